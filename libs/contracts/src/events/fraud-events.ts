import { Topics } from '../topics';
import { defineEvent } from './event-contract';

export type FraudDecisionOutcome = 'approve' | 'review' | 'reject';

export interface FraudDecisionV1 {
  transactionId: string;
  decision: FraudDecisionOutcome;
  score: number;
  flags: string[];
  reason?: string | null;
}

export const FraudDecisionV1 = defineEvent<FraudDecisionV1>({
  type: 'fraud.decision',
  version: 1,
  topic: Topics.fraudDecisions,
  shape: { transactionId: 'uuid', decision: 'string', score: 'int', flags: 'string[]', reason: 'string?' },
});
