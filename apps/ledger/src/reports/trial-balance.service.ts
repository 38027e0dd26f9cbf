import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, ADMIN_READ_ROLES, requireRole, TrialBalanceView } from '@tally/contracts';
import { CurrencyTotalsRow, trialBalanceLine } from './trial-balance';

/** Debits and credits per currency over every account, from the balance rows: O(accounts), one snapshot. */
@Injectable()
export class TrialBalanceService {
  constructor(private readonly dataSource: DataSource) {}

  async get(actor: Actor): Promise<TrialBalanceView> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const rows: CurrencyTotalsRow[] = await this.dataSource.query(
      `SELECT currency,
              sum(posted_debits)::text AS posted_debits, sum(posted_credits)::text AS posted_credits,
              sum(pending_debits)::text AS pending_debits, sum(pending_credits)::text AS pending_credits,
              count(*)::int AS accounts
         FROM ledger.balances GROUP BY currency ORDER BY currency`,
    );
    const items = rows.map(trialBalanceLine);
    return { items, balanced: items.every((line) => line.balanced), generatedAt: new Date().toISOString() };
  }
}
