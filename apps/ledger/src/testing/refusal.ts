import { DomainError } from '@tally/contracts';

/** The DomainError a ledger command refused with; fails the spec if it succeeded or threw anything else. */
export async function refusalOf(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}
