import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, FraudRuleView, UpdateRulePayload } from '@tally/contracts';
import { Messaging, recordAdminAction, requestOrigin } from '@tally/messaging';
import { FRAUD_RULES } from './rule-registry';
import { RuleRow, RulesRepository } from './rules.repository';

/** Rules as data: each registered rule's row, listed and edited by admins (every edit recorded). */
@Injectable()
export class RulesService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RulesRepository,
    private readonly messaging: Messaging,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.rules.ensureRegistered(this.dataSource.manager, FRAUD_RULES);
  }

  async list(): Promise<{ items: FraudRuleView[] }> {
    const rows = await this.rules.all(this.dataSource.manager);
    return { items: rows.filter((r) => registered(r.code)).map(toView) };
  }

  async update(actor: Actor, payload: UpdateRulePayload): Promise<FraudRuleView> {
    const rule = registered(payload.code);
    if (!rule) throw new DomainError('NOT_FOUND', 'No such fraud rule');
    const view = await this.dataSource.transaction(async (manager) => {
      const current = await this.rules.lock(manager, rule.code);
      if (!current) throw new DomainError('NOT_FOUND', 'No such fraud rule');
      const next = {
        code: rule.code,
        weight: payload.weight ?? current.weight,
        enabled: payload.enabled ?? current.enabled,
        parameters: { ...current.parameters, ...(payload.parameters ?? {}) },
      };
      const problems = rule.parameterProblems(next.parameters);
      if (!Number.isInteger(next.weight) || next.weight < 0 || next.weight > 100) problems.push('weight must be an integer from 0 to 100');
      if (typeof next.enabled !== 'boolean') problems.push('enabled must be true or false');
      if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', problems.join('; '), { problems });
      const updated = toView(await this.rules.update(manager, next, actor.userId));
      await recordAdminAction(manager, 'fraud', {
        actorId: actor.userId,
        action: 'fraud.rule.updated',
        targetType: 'fraud_rule',
        targetId: rule.code,
        origin: requestOrigin(payload),
        details: {
          before: { weight: current.weight, enabled: current.enabled, parameters: current.parameters },
          after: { weight: next.weight, enabled: next.enabled, parameters: next.parameters },
        },
      });
      return updated;
    });
    this.messaging.published();
    return view;
  }
}

function registered(code: unknown) {
  return FRAUD_RULES.find((r) => r.code === code);
}

function toView(row: RuleRow): FraudRuleView {
  const rule = registered(row.code);
  return {
    code: row.code,
    flag: rule?.flag ?? '',
    weight: row.weight,
    enabled: row.enabled,
    parameters: row.parameters,
    description: rule?.description ?? '',
    updatedAt: new Date(row.updatedAt).toISOString(),
    updatedBy: row.updatedBy,
  };
}
