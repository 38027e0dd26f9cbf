import { DataSource } from 'typeorm';
import { Actor, EventEnvelope, FraudDecisionV1, uuidv7 } from '@tally/contracts';
import { openServiceDatabase } from '@tally/database';
import { Messaging } from '@tally/messaging';
import { AccountsRepository } from '../accounts/accounts.repository';
import { LEDGER_MIGRATIONS } from '../app.module';
import { loadLedgerConfig } from '../config/ledger.config';
import { CreateDepositHandler } from '../deposits/create-deposit.handler';
import { IdempotencyRepository } from '../idempotency/idempotency.repository';
import { JournalRepository } from '../journal/journal.repository';
import { LEDGER_RUNTIME_ROLE } from '../migrations/1763856000000-ledger-runtime-role';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';
import { SettlePendingHandler } from '../settlement/settle-pending.handler';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { CreateTransferHandler } from '../transfers/create-transfer.handler';
import { WalletsRepository } from '../wallets/wallets.repository';
import { WalletsService } from '../wallets/wallets.service';

/**
 * The ledger's command handlers wired to a real database without Nest or Kafka, for integration
 * specs and benchmarks that drive the posting path directly. Events still go to the outbox table;
 * no relay publishes them here.
 */
export class LedgerHarness {
  readonly accounts: AccountsRepository;
  readonly journal = new JournalRepository();
  readonly wallets: WalletsRepository;
  readonly transactions: TransactionsRepository;
  readonly walletsService: WalletsService;
  readonly deposits: CreateDepositHandler;
  readonly transfers: CreateTransferHandler;
  readonly settle: SettlePendingHandler;

  private constructor(readonly db: DataSource) {
    const idempotency = new IdempotencyRepository(db);
    const messaging = { published: () => undefined } as unknown as Messaging;
    this.accounts = new AccountsRepository(db);
    this.wallets = new WalletsRepository(db);
    this.transactions = new TransactionsRepository(db);
    this.walletsService = new WalletsService(db, this.wallets, this.accounts, idempotency, messaging, loadLedgerConfig({}));
    const parts = [db, this.walletsService, this.wallets, this.accounts, this.journal, this.transactions, idempotency, messaging] as const;
    this.deposits = new CreateDepositHandler(...parts);
    this.transfers = new CreateTransferHandler(...parts);
    this.settle = new SettlePendingHandler(this.accounts, this.journal, this.transactions);
  }

  /** Applies the ledger's migrations to the database at url (the caller starts it empty). */
  static async open(url: string, poolSize = 40): Promise<LedgerHarness> {
    const db = await openServiceDatabase({
      url,
      schema: 'ledger',
      applicationName: 'ledger-harness',
      migrations: LEDGER_MIGRATIONS,
      poolSize,
      runtimeRole: LEDGER_RUNTIME_ROLE,
    });
    return new LedgerHarness(db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** A user with one funded wallet (limits high enough not to get in the way). */
  async fundedWallet(currency: string, amount: string): Promise<{ actor: Actor; walletId: string; walletNumber: string }> {
    const actor = { userId: uuidv7(), roles: ['user'] };
    const wallet = await this.walletsService.open(actor, { currency, pin: '1234', dailyLimit: '100000000', monthlyLimit: '100000000' }, uuidv7());
    await this.deposits.execute(actor, { walletId: wallet.id, amount }, uuidv7());
    return { actor, walletId: wallet.id, walletNumber: wallet.walletNumber };
  }

  /** What the ledger does when fraud's decision arrives (inside the consumer's transaction). */
  async decide(transactionId: string, decision: 'approve' | 'reject'): Promise<void> {
    const event: EventEnvelope<FraudDecisionV1> = {
      id: uuidv7(),
      type: FraudDecisionV1.type,
      version: FraudDecisionV1.version,
      source: 'harness',
      subject: transactionId,
      occurredAt: new Date().toISOString(),
      data: { transactionId, decision, score: 0, flags: [] },
    };
    await runLedgerTransaction(this.db, (m) => this.settle.onDecision(event, m));
  }
}
