import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  BudgetThresholdV1,
  EmailTokenIssuedV2,
  FraudDecisionV1,
  GoalMilestoneV1,
  SecurityEventV1,
  TransactionPendingV1,
  TransactionPostedV1,
  TransactionReversedV1,
  TransactionVoidedV1,
  WalletLimitReachedV1,
  WalletOpenedV1,
} from '@tally/contracts';
import { Messaging, on, Subscription } from '@tally/messaging';
import { EventNotificationsService } from './event-notifications.service';

/** Every event notification reacts to (ledger.events, fraud.decisions, identity.events, analytics.events); analytics' and identity's contracts come from their branches. */
export function notificationSubscriptions(events: EventNotificationsService): Subscription[] {
  return [
    on(WalletOpenedV1, (e, m) => events.onWalletOpened(e, m)),
    on(TransactionPendingV1, (e, m) => events.onPending(e, m)),
    on(TransactionPostedV1, (e, m) => events.onPosted(e, m)),
    on(TransactionVoidedV1, (e, m) => events.onVoided(e, m)),
    on(TransactionReversedV1, (e, m) => events.onReversed(e, m)),
    on(WalletLimitReachedV1, (e, m) => events.onLimitReached(e, m)),
    on(FraudDecisionV1, (e, m) => events.onFraudDecision(e, m)),
    on(GoalMilestoneV1, (e, m) => events.onGoalMilestone(e, m)),
    on(SecurityEventV1, (e, m) => events.onSecurityEvent(e, m)),
    on(EmailTokenIssuedV2, (e, m) => events.onEmailTokenIssued(e, m)),
    on(BudgetThresholdV1, (e, m) => events.onBudgetThreshold(e, m)),
  ];
}

@Injectable()
export class NotificationEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly events: EventNotificationsService,
  ) {}

  onModuleInit(): void {
    // The group of issue 2's in-app consumer: it keeps its committed offsets.
    this.messaging.consume('in-app', notificationSubscriptions(this.events));
  }
}
