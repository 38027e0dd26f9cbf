import { allTopics, COMMAND_TOPICS, deadLetterTopic, EVENT_TOPICS, replyTopic, Topics } from './topics';

describe('topic naming', () => {
  it('deadLetterTopic appends .dlq', () => {
    expect(deadLetterTopic('ledger.events')).toBe('ledger.events.dlq');
  });

  it('replyTopic appends .reply', () => {
    expect(replyTopic('ledger.commands')).toBe('ledger.commands.reply');
  });

  it('every Topics value is either a command topic or an event topic, and not both', () => {
    for (const topic of Object.values(Topics)) {
      const inCommands = COMMAND_TOPICS.includes(topic);
      const inEvents = EVENT_TOPICS.includes(topic);
      expect([topic, inCommands !== inEvents]).toEqual([topic, true]);
    }
  });
});

describe('allTopics', () => {
  const topics = allTopics();

  it.each([...COMMAND_TOPICS])('includes command topic %s, its .reply and its .dlq', (topic) => {
    expect(topics).toContain(topic);
    expect(topics).toContain(`${topic}.reply`);
    expect(topics).toContain(`${topic}.dlq`);
  });

  it.each([...EVENT_TOPICS])('includes event topic %s and its .dlq', (topic) => {
    expect(topics).toContain(topic);
    expect(topics).toContain(`${topic}.dlq`);
  });

  it('does not give event topics a .reply topic', () => {
    for (const topic of EVENT_TOPICS) expect(topics).not.toContain(`${topic}.reply`);
  });

  it('has no duplicates', () => {
    expect(new Set(topics).size).toBe(topics.length);
  });

  it('has exactly 3 topics per command topic and 2 per event topic', () => {
    expect(topics).toHaveLength(COMMAND_TOPICS.length * 3 + EVENT_TOPICS.length * 2);
    expect(topics).toHaveLength(30);
  });

  it('contains nothing else', () => {
    const expected = new Set<string>();
    for (const t of COMMAND_TOPICS) [t, `${t}.reply`, `${t}.dlq`].forEach((x) => expected.add(x));
    for (const t of EVENT_TOPICS) [t, `${t}.dlq`].forEach((x) => expected.add(x));
    expect(new Set(topics)).toEqual(expected);
  });

  it('is sorted and returns a fresh array each call', () => {
    expect(topics).toEqual([...topics].sort());
    const again = allTopics();
    expect(again).toEqual(topics);
    expect(again).not.toBe(topics);
  });

  it('only uses valid Kafka topic names', () => {
    for (const topic of topics) expect(topic).toMatch(/^[a-zA-Z0-9._-]{1,249}$/);
  });
});
