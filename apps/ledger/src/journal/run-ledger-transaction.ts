import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@tally/contracts';

/** Deadlock and serialization failure: the work was rolled back and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

export type LedgerWork<T> = (manager: EntityManager) => Promise<T>;

/**
 * Runs the ledger's writes that move no money (opening a wallet, a PIN change, a status change,
 * a goal, admin runs) in one database transaction, retrying a deadlock or serialization failure.
 * Money moves only through the posting kernel (posting/posting-kernel.ts).
 */
export async function runLedgerTransaction<T>(dataSource: DataSource, work: LedgerWork<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (err) {
      if (isRetryable(err) && attempt < MAX_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
        continue;
      }
      throw asDomainError(err);
    }
  }
}

function isRetryable(err: unknown): boolean {
  const code = driverError(err)?.code;
  return code !== undefined && RETRYABLE.has(code);
}

/** The database's own refusals, as the errors a client understands. */
function asDomainError(err: unknown): unknown {
  const constraint = driverError(err)?.constraint;
  if (constraint === 'balances_no_overdraft') return new DomainError('INSUFFICIENT_FUNDS', 'Insufficient funds');
  if (constraint === 'postings_wallet_not_closed') return new DomainError('WALLET_NOT_ACTIVE', 'The wallet is closed');
  return err;
}

function driverError(err: unknown): { code?: string; constraint?: string } | undefined {
  return (err as { driverError?: { code?: string; constraint?: string } } | undefined)?.driverError;
}
