import { Injectable, OnModuleInit } from '@nestjs/common';
import { FraudDecisionV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { SettlePendingHandler } from './settle-pending.handler';

@Injectable()
export class FraudDecisionsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly settle: SettlePendingHandler,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('fraud-decisions', [on(FraudDecisionV1, (event, manager) => this.settle.onDecision(event, manager))]);
  }
}
