import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '@tally/contracts';

export type SystemAccountPurpose = 'funding' | 'fee_revenue' | 'merchant_settlement' | 'fx_position';

const SYSTEM_ACCOUNT_TYPE: Record<SystemAccountPurpose, string> = {
  funding: 'asset',
  fee_revenue: 'revenue',
  // What Tally owes merchants for purchases, per currency, until it settles with them.
  merchant_settlement: 'liability',
  // Tally's position in a currency from conversions: FX purchases go through one per currency.
  fx_position: 'equity',
};

export interface BalanceRow {
  account_id: string;
  currency: string;
  posted_debits: string;
  posted_credits: string;
  pending_debits: string;
  pending_credits: string;
}

@Injectable()
export class AccountsRepository {
  /** System account ids never change once created, so they are looked up once per process. */
  private readonly systemAccountIds = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The system account for a purpose and currency, created on first use. Created outside the
   * caller's transaction (idempotently), so a caller that rolls back cannot leave a cached id
   * pointing at an account that was never committed.
   */
  async systemAccount(purpose: SystemAccountPurpose, currency: string): Promise<string> {
    const code = `system:${purpose}:${currency}`;
    const cached = this.systemAccountIds.get(code);
    if (cached) return cached;
    await this.dataSource.query(
      `WITH created AS (
         INSERT INTO ledger.accounts (id, code, type, currency) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING RETURNING id, currency)
       INSERT INTO ledger.balance_rows (account_id, currency, debits_must_not_exceed_credits)
       SELECT id, currency, false FROM created`,
      [uuidv7(), code, SYSTEM_ACCOUNT_TYPE[purpose], currency],
    );
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM ledger.accounts WHERE code = $1`, [code]);
    this.systemAccountIds.set(code, rows[0].id);
    return rows[0].id;
  }

  /**
   * Fee revenue is credited by nearly every debit. Credits append balance deltas and lock no
   * balance row (BalanceDeltas migration), so one account per currency serves them all. Databases
   * from before that change also hold shard accounts (`system:fee_revenue:<CUR>:<n>`); they stay
   * ordinary revenue accounts that reports and verification count like any other.
   */
  feeRevenueAccount(currency: string): Promise<string> {
    return this.systemAccount('fee_revenue', currency);
  }

  /** A user's wallet account: a liability of Tally to the user, never allowed below zero. */
  async createWalletAccount(manager: EntityManager, ownerId: string, currency: string): Promise<string> {
    const id = uuidv7();
    await manager.query(
      `INSERT INTO ledger.accounts (id, code, type, currency, owner_id, debits_must_not_exceed_credits)
       VALUES ($1, $2, 'liability', $3, $4, true)`,
      [id, `wallet:${id}`, currency, ownerId],
    );
    await manager.query(`INSERT INTO ledger.balance_rows (account_id, currency, debits_must_not_exceed_credits) VALUES ($1, $2, true)`, [id, currency]);
    return id;
  }

  /** Each account's balance: its row plus the deltas not folded into it yet (the ledger.balances view). */
  async balances(manager: EntityManager, accountIds: string[]): Promise<Map<string, BalanceRow>> {
    const rows: BalanceRow[] = await manager.query(`SELECT * FROM ledger.balances WHERE account_id = ANY($1::uuid[])`, [accountIds]);
    return new Map(rows.map((r) => [r.account_id, r]));
  }
}

/** What a wallet holder sees: credits minus debits, less what is held for pending debits. */
export function walletFigures(row: BalanceRow | undefined): { balance: bigint; pending: bigint; available: bigint } {
  if (!row) return { balance: 0n, pending: 0n, available: 0n };
  const balance = BigInt(row.posted_credits) - BigInt(row.posted_debits);
  const pending = BigInt(row.pending_debits);
  return { balance, pending, available: balance - pending };
}
