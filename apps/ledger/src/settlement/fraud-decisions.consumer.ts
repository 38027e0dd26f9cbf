import { Injectable, OnModuleInit } from '@nestjs/common';
import { FraudDecisionV1 } from '@tally/contracts';
import { Messaging, onEach } from '@tally/messaging';
import { SettlePendingHandler } from './settle-pending.handler';

/** Fraud's decisions, a fetched batch at a time into the posting kernel (each applied once: its id is claimed in the kernel's batch). */
@Injectable()
export class FraudDecisionsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly settle: SettlePendingHandler,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('fraud-decisions', [
      onEach(FraudDecisionV1, async (event, topic) => {
        await this.settle.onDecision(event, topic);
      }),
    ]);
  }
}
