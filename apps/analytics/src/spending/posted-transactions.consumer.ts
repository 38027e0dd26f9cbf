import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionPendingV1, TransactionPostedV1, TransactionReversedV1, TransactionVoidedV1, WalletPinUnlockedV1 } from '@tally/contracts';
import { AuditLogService } from '../audit/audit-log.service';
import { Messaging, on } from '@tally/messaging';
import { PlatformAnalyticsService } from '../platform/platform-analytics.service';
import { SpendingService } from './spending.service';

/**
 * ledger.events for analytics: each user's spending (completed movements), the platform's
 * transactions (every status), and the admin actions the ledger announces there (PIN unlocks). One handler per event type does both, in one transaction, because
 * the service's consumers share one inbox.
 */
@Injectable()
export class PostedTransactionsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly spending: SpendingService,
    private readonly platform: PlatformAnalyticsService,
    private readonly audit: AuditLogService,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('spending', [
      on(TransactionPendingV1, (event, manager) => this.platform.onTransaction(event, manager, 'pending')),
      on(TransactionPostedV1, async (event, manager) => {
        await this.spending.onPosted(event, manager);
        await this.platform.onTransaction(event, manager, 'completed');
      }),
      on(TransactionVoidedV1, (event, manager) => this.platform.onTransaction(event, manager, 'voided')),
      on(TransactionReversedV1, async (event, manager) => {
        await this.spending.onReversed(event, manager);
        await this.platform.onTransaction(event, manager, 'reversed');
      }),
      // An admin action the ledger announces on its own topic, for the audit log.
      on(WalletPinUnlockedV1, (event, manager) => this.audit.onPinUnlocked(event, manager)),
    ]);
  }
}
