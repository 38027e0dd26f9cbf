import { isUuid } from '@tally/contracts';
import { ledgerEventId } from './ledger-event-id';

const ENTRY = '0190f5c2-7b1e-7a4c-8d2e-3f4a5b6c7d8e';

describe('ledgerEventId', () => {
  it('is a version 5 UUID with the RFC 4122 variant', () => {
    const id = ledgerEventId(ENTRY, 'transaction.posted');
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('5');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('is the same for the same entry and type, whatever the letter case of the entry id', () => {
    expect(ledgerEventId(ENTRY, 'transaction.posted')).toBe(ledgerEventId(ENTRY.toUpperCase(), 'transaction.posted'));
  });

  it('differs by event type and by entry', () => {
    const ids = new Set([
      ledgerEventId(ENTRY, 'transaction.posted'),
      ledgerEventId(ENTRY, 'transaction.pending'),
      ledgerEventId(ENTRY.replace(/e$/, 'f'), 'transaction.posted'),
    ]);
    expect(ids.size).toBe(3);
  });

  it('is RFC 4122 UUIDv5 of "<entry id>|<type>" in Tally’s namespace, and never changes (old entries must keep matching)', () => {
    // Python: uuid.uuid5(uuid.UUID('8c1f2b6e-4d3a-4f0e-9b7c-5a1d2e3f4a5b'), ENTRY + '|transaction.posted')
    expect(ledgerEventId(ENTRY, 'transaction.posted')).toBe('833158ea-924d-5ffd-82ee-e1aa30549855');
  });
});
