import { RateBook } from '../fx/rate-book';
import { BatchState, CommandWrites } from './batch-state';

/** An Idempotency-Key claimed for a command: the same key and request answer the first outcome again. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  command: string;
  hash: string;
}

/**
 * What a command needs locked and read before it decides. The kernel takes the locks of a whole
 * batch in one fixed order (keys, inbox ids, users, spending wallets, goals, credited wallets,
 * transactions), so batches never deadlock on each other.
 */
export interface PostingNeeds {
  claim?: IdempotencyClaim;
  /** An event applied once: a redelivery finds its id and is answered by `duplicate()`. */
  inbox?: { id: string; topic: string; type: string };
  /** Users whose daily limit across wallets the command checks (their limit row is locked). */
  users?: string[];
  /** Wallets money leaves (locked FOR NO KEY UPDATE): spending from one wallet is serialised. */
  wallets?: string[];
  /** Wallets whose daily and monthly spending the command checks against their limits. */
  spendingOf?: string[];
  /** Wallets money arrives in, by number or id (KEY SHARE: a status change waits for the batch). */
  walletNumbers?: string[];
  sharedWallets?: string[];
  /** Goals money leaves or enters (locked: milestones are counted exactly). */
  goals?: string[];
  /** Transactions settled, refunded or reversed (locked FOR UPDATE), with their entry's postings. */
  transactions?: string[];
}

export interface DecisionContext {
  state: BatchState;
  writes: CommandWrites;
  /** The batch's database transaction time: every row of the batch is created at it. */
  now: Date;
  rates: RateBook;
}

/**
 * One money command as the posting kernel runs it: it declares what it needs, then decides from
 * the locked state without I/O, writing rows through `ctx.writes` or throwing a DomainError to
 * refuse (which drops its writes but not `kept` ones). Its result is its answer, stored under its
 * Idempotency-Key.
 */
export interface PostingCommand<T> {
  /** For logs and metrics: deposit, transfer, settle, ... */
  kind: string;
  needs: PostingNeeds;
  decide(ctx: DecisionContext): T;
  /** The answer to a redelivered event (inbox id seen before). */
  duplicate?(): T;
}
