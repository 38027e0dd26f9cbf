import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RuleSetting } from '../scoring/scoring-engine';
import { FraudRule } from './fraud-rule';

export interface RuleRow extends RuleSetting {
  updatedAt: Date;
  updatedBy: string | null;
}

const COLUMNS = `code, weight, enabled, parameters, updated_at AS "updatedAt", updated_by AS "updatedBy"`;

@Injectable()
export class RulesRepository {
  /** Creates the row of every registered rule that has none yet, with the class's defaults; existing rows are left as admins set them. */
  async ensureRegistered(manager: EntityManager, rules: readonly FraudRule[]): Promise<void> {
    for (const rule of rules) {
      await manager.query(`INSERT INTO fraud.rules (code, weight, parameters) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING`, [
        rule.code,
        rule.defaultWeight,
        JSON.stringify(rule.defaultParameters),
      ]);
    }
  }

  async all(manager: EntityManager): Promise<RuleRow[]> {
    return manager.query(`SELECT ${COLUMNS} FROM fraud.rules ORDER BY code`);
  }

  async lock(manager: EntityManager, code: string): Promise<RuleRow | undefined> {
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM fraud.rules WHERE code = $1 FOR UPDATE`, [code]);
    return row;
  }

  /** Updates the rule and appends the change to fraud.rule_changes (who and when). */
  async update(manager: EntityManager, setting: RuleSetting, changedBy: string): Promise<RuleRow> {
    const [[row]] = await manager.query(
      `UPDATE fraud.rules SET weight = $2, enabled = $3, parameters = $4, updated_at = now(), updated_by = $5 WHERE code = $1 RETURNING ${COLUMNS}`,
      [setting.code, setting.weight, setting.enabled, JSON.stringify(setting.parameters), changedBy],
    );
    await manager.query(`INSERT INTO fraud.rule_changes (code, weight, enabled, parameters, changed_by) VALUES ($1, $2, $3, $4, $5)`, [
      setting.code,
      setting.weight,
      setting.enabled,
      JSON.stringify(setting.parameters),
      changedBy,
    ]);
    return row;
  }
}
