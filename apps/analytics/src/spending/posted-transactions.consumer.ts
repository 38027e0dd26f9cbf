import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionPostedV1, TransactionReversedV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { SpendingService } from './spending.service';

@Injectable()
export class PostedTransactionsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly spending: SpendingService,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('spending', [
      on(TransactionPostedV1, (event, manager) => this.spending.onPosted(event, manager)),
      on(TransactionReversedV1, (event, manager) => this.spending.onReversed(event, manager)),
    ]);
  }
}
