import { allTopics, COMMAND_TOPICS, deadLetterTopic, EVENT_TOPICS, replyTopic, Topics } from './topics';
import { BUS_SERVICES, busAccess } from './bus-access';

describe('busAccess', () => {
  const rows = BUS_SERVICES.map((service) => ({ service, ...busAccess(service) }));
  const readersOf = (topic: string) => rows.filter((r) => r.reads.includes(topic)).map((r) => r.service);
  const writersOf = (topic: string) => rows.filter((r) => r.writes.includes(topic)).map((r) => r.service);

  it('names only topics of allTopics()', () => {
    for (const row of rows) for (const topic of [...row.reads, ...row.writes]) expect(allTopics()).toContain(topic);
  });

  it('lets only the gateway send commands, one service consume each, and only that one answer', () => {
    for (const topic of COMMAND_TOPICS) {
      expect(writersOf(topic)).toEqual(['gateway']);
      expect(readersOf(topic)).toHaveLength(1);
      expect(writersOf(replyTopic(topic))).toEqual(readersOf(topic));
      expect(readersOf(replyTopic(topic))).toEqual(['gateway']);
    }
  });

  it('gives each event topic its producers only, and a dead-letter topic to each of its consumers', () => {
    expect(writersOf(Topics.ledgerEvents)).toEqual(['ledger']);
    expect(writersOf(Topics.identityEvents)).toEqual(['identity']);
    expect(writersOf(Topics.fraudDecisions)).toEqual(['fraud']);
    expect(writersOf(Topics.analyticsEvents)).toEqual(['analytics']);
    expect(writersOf(Topics.auditEvents).sort()).toEqual(['fraud', 'ledger']);
    for (const topic of EVENT_TOPICS) {
      // The gateway's settlement watcher only watches: it dead-letters nothing.
      const consumers = readersOf(topic).filter((s) => s !== 'gateway');
      expect(writersOf(deadLetterTopic(topic)).sort()).toEqual(consumers.sort());
    }
  });

  it("names each service's consumer groups by its own prefixes", () => {
    expect(busAccess('ledger').groupPrefixes).toEqual(['ledger.', 'ledger-']);
  });
});
