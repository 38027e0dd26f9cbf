import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-client';

describe('kafkaLogCreator', () => {
  function logged(level: logLevel, error: string): string[] {
    const seen: string[] = [];
    const logger = { log: () => undefined, error: () => seen.push('error'), warn: () => seen.push('warn'), debug: () => seen.push('debug') };
    kafkaLogCreator(logger)()({ namespace: 'x', level, label: 'ERROR', log: { timestamp: 't', message: 'm', error } });
    return seen;
  }

  it('keeps real errors as errors', () => {
    expect(logged(logLevel.ERROR, 'Broker not connected')).toEqual(['error']);
  });

  it('downgrades what kafkajs retries or answers itself: rebalances, a loading coordinator, a topic created by another service', () => {
    expect(logged(logLevel.ERROR, 'The group is rebalancing, so a rejoin is needed')).toEqual(['warn']);
    expect(logged(logLevel.ERROR, "The coordinator is loading and hence can't process requests")).toEqual(['warn']);
    expect(logged(logLevel.ERROR, 'Topic creation errors')).toEqual(['warn']);
  });

  it('sends kafkajs info lines to debug', () => {
    expect(logged(logLevel.INFO, '')).toEqual(['debug']);
  });
});
