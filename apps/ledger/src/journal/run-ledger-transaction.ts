import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@tally/contracts';

const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Runs work in one database transaction, retrying a deadlock or serialization failure, and turns
 * the database's own refusal of an overdraft into INSUFFICIENT_FUNDS.
 */
export async function runLedgerTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (err) {
      const driver = (err as { driverError?: { code?: string; constraint?: string } }).driverError;
      if (driver?.constraint === 'balances_no_overdraft') {
        throw new DomainError('INSUFFICIENT_FUNDS', 'Insufficient funds');
      }
      if (driver?.code && RETRYABLE.has(driver.code) && attempt < 5) {
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.floor(Math.random() * 10)));
        continue;
      }
      throw err;
    }
  }
}
