import { Injectable, OnModuleInit } from '@nestjs/common';
import { TransactionPostedV1, TransactionVoidedV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { NotificationsService } from './notifications.service';

@Injectable()
export class LedgerEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('in-app', [
      on(TransactionPostedV1, (event, manager) => this.notifications.onPosted(event, manager)),
      on(TransactionVoidedV1, (event, manager) => this.notifications.onVoided(event, manager)),
    ]);
  }
}
