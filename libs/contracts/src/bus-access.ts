import { COMMAND_TOPICS, deadLetterTopic, replyTopic, Topics } from './topics';

/** The services that talk over Kafka, each as a principal of its own (SASL user `tally-<service>`). */
export const BUS_SERVICES = ['gateway', 'identity', 'ledger', 'fraud', 'analytics', 'notification'] as const;
export type BusService = (typeof BUS_SERVICES)[number];

/**
 * What one service's Kafka principal may do, and nothing more: the topics it consumes, the topics it
 * produces to, and the prefixes of its consumer groups. The local broker is provisioned from this
 * table (libs/messaging provisionBusAccess); Strimzi's KafkaUsers from `kafkaAcls` in the Helm
 * chart's values, which `npm run chart:check` requires to be the same.
 */
export interface BusAccess {
  reads: string[];
  writes: string[];
  /** Consumer groups: `<service>.<consumer>` (event consumers), `<service>-commands` and `<service>-<topic>` (command servers, the gateway's per-replica groups). */
  groupPrefixes: string[];
}

const dlq = deadLetterTopic;
const reply = replyTopic;

/**
 * Derived from the code: commands go from the gateway to each service, which answers on the command
 * topic's `.reply`; events go through each producer's outbox; a consumer that gives up on an event
 * writes it to that topic's `.dlq` (EventConsumer). Nobody writes a command topic's `.dlq` today.
 */
const ACCESS: Record<BusService, Omit<BusAccess, 'groupPrefixes'>> = {
  gateway: {
    // ledger.events: the settlement watcher learns final states from them.
    reads: [...COMMAND_TOPICS.map(reply), Topics.ledgerEvents],
    writes: [...COMMAND_TOPICS],
  },
  identity: {
    // identity.credentials: the password commands, on a command server of their own.
    reads: [Topics.identityCommands, Topics.identityCredentials],
    writes: [reply(Topics.identityCommands), reply(Topics.identityCredentials), Topics.identityEvents],
  },
  ledger: {
    reads: [Topics.ledgerCommands, Topics.fraudDecisions],
    writes: [reply(Topics.ledgerCommands), Topics.ledgerEvents, Topics.ledgerReplay, Topics.auditEvents, dlq(Topics.fraudDecisions)],
  },
  fraud: {
    reads: [Topics.fraudCommands, Topics.ledgerEvents],
    writes: [reply(Topics.fraudCommands), Topics.fraudDecisions, Topics.auditEvents, dlq(Topics.ledgerEvents)],
  },
  analytics: {
    // audit.events and identity.events: the audit log of admin actions and security events.
    reads: [Topics.analyticsCommands, Topics.auditEvents, Topics.identityEvents, Topics.ledgerEvents],
    writes: [reply(Topics.analyticsCommands), Topics.analyticsEvents, dlq(Topics.auditEvents), dlq(Topics.identityEvents), dlq(Topics.ledgerEvents)],
  },
  notification: {
    reads: [Topics.notificationCommands, Topics.analyticsEvents, Topics.fraudDecisions, Topics.identityEvents, Topics.ledgerEvents],
    writes: [reply(Topics.notificationCommands), dlq(Topics.analyticsEvents), dlq(Topics.fraudDecisions), dlq(Topics.identityEvents), dlq(Topics.ledgerEvents)],
  },
};

/** The ACLs of one service's principal (sorted, so the table compares as text). */
export function busAccess(service: BusService): BusAccess {
  const access = ACCESS[service];
  if (!access) throw new Error(`unknown bus service "${String(service)}" (one of ${BUS_SERVICES.join(', ')})`);
  return { reads: [...access.reads].sort(), writes: [...access.writes].sort(), groupPrefixes: [`${service}.`, `${service}-`] };
}

/** Every topic a service reads or writes: what it checks (and creates, where it may) at start-up. */
export function busTopicsOf(service: BusService): string[] {
  const { reads, writes } = busAccess(service);
  return [...new Set([...reads, ...writes])].sort();
}
