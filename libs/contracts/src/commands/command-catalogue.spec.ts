import { COMMAND_TOPICS } from '../topics';
import { COMMAND_CONTRACTS } from './command-catalogue';
import { commandPayloadProblems } from './command-contract';

describe('command contracts', () => {
  it('name one command topic, a type and a positive version each, and no two share topic, type and version', () => {
    const seen = new Set<string>();
    for (const contract of COMMAND_CONTRACTS) {
      expect(COMMAND_TOPICS).toContain(contract.topic);
      expect(contract.type).toMatch(/^[a-z][\w.-]*$/i);
      expect(Number.isInteger(contract.version) && contract.version >= 1).toBe(true);
      const key = `${contract.topic} ${contract.type}@v${contract.version}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    expect(seen.size).toBeGreaterThan(80);
  });

  it('check payloads by their shape: required fields, optional fields, and fields they do not name', () => {
    const open = COMMAND_CONTRACTS.find((c) => c.type === 'wallet.open')!;
    expect(commandPayloadProblems(open, { currency: 'USD', pin: '2580', extra: 'kept for additive changes' })).toEqual([]);
    expect(commandPayloadProblems(open, { currency: 12 })).toEqual(expect.arrayContaining(['currency must be string', 'pin must be string']));
    expect(commandPayloadProblems(open, 'not an object')).toEqual(['payload must be an object']);
  });
});
