import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, BalanceAsOfPayload, BalanceAsOfView } from '@tally/contracts';
import { formatAmount } from '@tally/money';
import { WalletsService } from '../wallets/wallets.service';
import { SqlRunner } from './balance-verification';
import { parsePastInstant } from './past-instant';

// Posted: credits − debits of posted and post_pending postings. Held: pending debits not yet posted or voided.
const SUMS = `
  coalesce(sum(CASE WHEN direction = 'C' THEN amount ELSE -amount END) FILTER (WHERE phase IN ('posted', 'post_pending')), 0) AS balance,
  coalesce(sum(CASE WHEN phase = 'pending' THEN amount ELSE -amount END) FILTER (WHERE direction = 'D' AND phase <> 'posted'), 0) AS held`;

/**
 * An account's posted balance and held debits at an instant, from its postings up to then (a
 * posting's time is its transaction's start). Walked through the (account_id, created_at) index from
 * either end: forward from the opening, or back from today's balance row (same snapshot),
 * subtracting what came later. Both give the same answer while the balance row equals its postings,
 * which verification checks.
 */
export async function accountBalanceAt(
  db: SqlRunner,
  accountId: string,
  instant: string,
  walkFrom: 'opening' | 'today',
): Promise<{ balance: bigint; held: bigint }> {
  const rows: { balance: string; held: string }[] =
    walkFrom === 'today'
      ? await db.query(
          `WITH later AS (SELECT ${SUMS} FROM ledger.postings WHERE account_id = $1 AND created_at > $2::timestamptz)
           SELECT ((b.posted_credits - b.posted_debits) - later.balance)::text AS balance, (b.pending_debits - later.held)::text AS held
             FROM ledger.balances b, later WHERE b.account_id = $1`,
          [accountId, instant],
        )
      : await db.query(
          `SELECT balance::text, held::text FROM (SELECT ${SUMS} FROM ledger.postings WHERE account_id = $1 AND created_at <= $2::timestamptz) s`,
          [accountId, instant],
        );
  return { balance: BigInt(rows[0]?.balance ?? 0), held: BigInt(rows[0]?.held ?? 0) };
}

/**
 * A wallet's balance as it stood at a past instant. The current balance stays a single row read;
 * this walks the postings from whichever end is nearer in time: the wallet's opening or now.
 */
@Injectable()
export class BalanceAsOfService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly wallets: WalletsService,
  ) {}

  async get(actor: Actor, input: BalanceAsOfPayload, now = new Date()): Promise<BalanceAsOfView> {
    const asOf = parsePastInstant('asOf', input?.asOf, now);
    // Ownership first: someone else's wallet is NOT_FOUND, whatever the time.
    const wallet = await this.wallets.owned(actor, input.walletId);
    const current = await this.wallets.balance(actor, input.walletId);
    const openedAt = new Date(wallet.created_at).getTime();
    const walkFrom = now.getTime() - asOf.at.getTime() < asOf.at.getTime() - openedAt ? 'today' : 'opening';
    const { balance, held } = await accountBalanceAt(this.dataSource, wallet.account_id, asOf.text, walkFrom);
    const money = (minor: bigint) => formatAmount(minor, wallet.currency);
    return {
      ...current,
      balance: money(balance),
      pending: money(held),
      available: money(balance - held),
      asOf: asOf.at.toISOString(),
    };
  }
}
