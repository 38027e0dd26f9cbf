import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionPendingV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { ScoringService } from './scoring.service';

@Injectable()
export class PendingTransactionsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly scoring: ScoringService,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('scoring', [on(TransactionPendingV1, (event, manager) => this.scoring.onPending(event, manager))]);
  }
}
