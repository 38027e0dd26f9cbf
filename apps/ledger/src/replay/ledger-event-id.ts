import { createHash } from 'node:crypto';

// Tally's namespace for name-based (version 5) event ids; never change it, or replays stop matching.
const NAMESPACE = Buffer.from('8c1f2b6e4d3a4f0e9b7c5a1d2e3f4a5b', 'hex');

/**
 * The id of the event that announces a journal entry (or a wallet's opening): a UUIDv5 of the
 * source row's id and the event type. The live path and a replay both use it, so a consumer's inbox
 * recognises a replayed event it has already applied.
 */
export function ledgerEventId(sourceId: string, eventType: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${sourceId.toLowerCase()}|${eventType}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
