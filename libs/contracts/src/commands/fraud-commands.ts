import { Topics } from '../topics';
import type { Shape } from '../schema';
import { CommandContract, defineCommand, ListQuery, NoPayload, REQUEST_ORIGIN_SHAPE } from './command-contract';
import type { RequestOrigin } from './identity-commands';
import type { Page } from './notification-commands';

/** Admin commands fraud answers on fraud.commands (the gateway sends them for /v1/admin/fraud/*). */
const fraud = <TPayload, TReply = unknown>(type: string, shape: Shape): CommandContract<TPayload, TReply> =>
  defineCommand<TPayload, TReply>({ topic: Topics.fraudCommands, type, shape });

export const FraudCommands = {
  listReviews: fraud<ListReviewsQuery, Page<ReviewCaseView>>('reviews.list', { status: 'string?' }),
  decideReview: fraud<DecideReviewPayload & RequestOrigin, ReviewDecisionView>('reviews.decide', {
    transactionId: 'uuid',
    decision: 'string',
    reason: 'string',
    ...REQUEST_ORIGIN_SHAPE,
  }),
  listRules: fraud<NoPayload, { items: FraudRuleView[] }>('rules.list', {}),
  updateRule: fraud<UpdateRulePayload & RequestOrigin, FraudRuleView>('rules.update', {
    code: 'string',
    weight: 'number?',
    enabled: 'boolean?',
    parameters: 'object?',
    ...REQUEST_ORIGIN_SHAPE,
  }),
  stats: fraud<{ from?: string; to?: string }, FraudStatsView>('stats.get', { from: 'string?', to: 'string?' }),
};

export interface ListReviewsQuery extends ListQuery {
  /** open (default): still waiting for an admin; or approved, rejected, expired. */
  status?: string;
}

export interface DecideReviewPayload {
  transactionId: string;
  decision: 'approve' | 'reject';
  reason: string;
}

/** One rule hit as the engine saw it: its flag, the points it added and the facts behind it. */
export interface RuleHitView {
  rule: string;
  flag: string;
  points: number;
  evidence: Record<string, unknown>;
}

export interface ReviewCaseView {
  transactionId: string;
  userId: string;
  type: string;
  amount: string;
  currency: string;
  merchantName: string | null;
  score: number;
  flags: string[];
  /** review (60–79 by default) or high_risk (80–100). */
  band: string;
  status: string;
  rulesHit: RuleHitView[];
  /** The user's history when the transaction was scored (fraud's projection). */
  userHistory: Record<string, unknown>;
  createdAt: string;
  decision?: ReviewDecisionView;
}

export interface ReviewDecisionView {
  transactionId: string;
  decision: 'approve' | 'reject';
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

export interface FraudRuleView {
  code: string;
  flag: string;
  weight: number;
  enabled: boolean;
  parameters: Record<string, unknown>;
  description: string;
  updatedAt: string;
  updatedBy: string | null;
}

export interface UpdateRulePayload {
  code: string;
  weight?: number;
  enabled?: boolean;
  parameters?: Record<string, unknown>;
}

export interface FraudStatsView {
  scored: number;
  decisions: Record<string, number>;
  flags: Record<string, number>;
  /** Scores in buckets of 10: "0-9", "10-19", ... "90-100". */
  scoreHistogram: { range: string; count: number }[];
  reviews: Record<string, number>;
}
