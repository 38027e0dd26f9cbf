/** Every Kafka topic Tally uses. No topic name is typed inline anywhere else. */
export const Topics = {
  identityCommands: 'identity.commands',
  /**
   * Identity's commands that check or hash a password (login, registration, password reset and
   * change, re-authentication): a consumer of their own, so a flood of them never holds up the
   * session checks and reads on identity.commands.
   */
  identityCredentials: 'identity.credentials',
  identityEvents: 'identity.events',
  ledgerCommands: 'ledger.commands',
  ledgerEvents: 'ledger.events',
  /** Journal replay: the ledger's events published again (same ids) for projections being rebuilt. */
  ledgerReplay: 'ledger.replay',
  fraudCommands: 'fraud.commands',
  fraudDecisions: 'fraud.decisions',
  analyticsCommands: 'analytics.commands',
  analyticsEvents: 'analytics.events',
  notificationCommands: 'notification.commands',
  /** Admin actions (who did what, from where) announced by the services that carried them out; analytics keeps the audit log. */
  auditEvents: 'audit.events',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** Where a message goes after its retries are spent. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Where request/reply answers to a command topic go (the @nestjs/microservices Kafka convention). */
export function replyTopic(topic: string): string {
  return `${topic}.reply`;
}

export const COMMAND_TOPICS: readonly Topic[] = [
  Topics.identityCommands,
  Topics.identityCredentials,
  Topics.ledgerCommands,
  Topics.fraudCommands,
  Topics.analyticsCommands,
  Topics.notificationCommands,
];

export const EVENT_TOPICS: readonly Topic[] = [
  Topics.identityEvents,
  Topics.ledgerEvents,
  Topics.ledgerReplay,
  Topics.fraudDecisions,
  Topics.analyticsEvents,
  Topics.auditEvents,
];

/** All topics a broker needs before services start: commands, their replies, events and dead letters. */
export function allTopics(): string[] {
  const topics = new Set<string>();
  for (const t of COMMAND_TOPICS) {
    topics.add(t);
    topics.add(replyTopic(t));
    topics.add(deadLetterTopic(t));
  }
  for (const t of EVENT_TOPICS) {
    topics.add(t);
    topics.add(deadLetterTopic(t));
  }
  return [...topics].sort();
}
