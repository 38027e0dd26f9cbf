import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionPendingV1, TransactionPostedV1, TransactionVoidedV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { ScoringService } from './scoring.service';

@Injectable()
export class PendingTransactionsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly scoring: ScoringService,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('scoring', [
      on(TransactionPendingV1, (event, manager) => this.scoring.onPending(event, manager)),
      on(TransactionPostedV1, (event, manager) => this.scoring.onSettled(event, manager)),
      on(TransactionVoidedV1, (event, manager) => this.scoring.onSettled(event, manager)),
    ]);
  }
}
