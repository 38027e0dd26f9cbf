import { Client } from 'pg';
import { hashSecret } from '@tally/auth';
import { Actor, DomainError, uuidv7 } from '@tally/contracts';
import { recreateDatabase, testDatabaseUrl } from '@tally/testing';
import { HARNESS_PIN, LedgerHarness } from '../testing/ledger-harness';

const URL = testDatabaseUrl('int_pin_locks');
const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const OLD_KEY = `k1:${key(1)}`;
const NEW_KEYS = `k2:${key(2)},k1:${key(1)}`;

const codeOf = (s: PromiseSettledResult<unknown>) => (s.status === 'fulfilled' ? 'ok' : (s.reason as DomainError).code);

/**
 * PIN checks as the posting kernel runs them, against the real database: misses counted exactly
 * under concurrency, a lock that ends, the owner's reset and an admin's unlock (announced for the
 * audit log), keys rotated and old scrypt hashes upgraded on the next right entry.
 */
describe('wallet PINs: keyed hashes, exact miss counts, locks that end', () => {
  let ledger: LedgerHarness;
  let owner: Client;
  const admin: Actor = { userId: uuidv7(), roles: ['user', 'admin'] };

  beforeAll(async () => {
    await recreateDatabase(URL);
    ledger = await LedgerHarness.open(URL, 20, { PIN_PEPPERS: OLD_KEY });
    owner = new Client({ connectionString: URL });
    await owner.connect();
  });

  afterAll(async () => {
    await owner?.end();
    await ledger?.close();
  });

  const withdraw = (who: { actor: Actor; walletId: string }, pin: string, h = ledger) =>
    h.withdrawals.execute(who.actor, { walletId: who.walletId, amount: '1.00', pin }, uuidv7());
  const pinState = async (walletId: string) =>
    (await owner.query(`SELECT failed_pin_attempts, pin_locked_until, pin_hash FROM ledger.wallets WHERE id = $1`, [walletId])).rows[0];

  it('counts exactly 5 of 20 concurrent wrong PINs, then locks; the right PIN is refused while locked', async () => {
    const ann = await ledger.fundedWallet('USD', '100.00');
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => withdraw(ann, '9182')));
    const codes = settled.map(codeOf);
    expect(codes.filter((c) => c === 'INVALID_PIN')).toHaveLength(4);
    expect(codes.filter((c) => c === 'PIN_LOCKED')).toHaveLength(16);
    const state = await pinState(ann.walletId);
    expect(state.failed_pin_attempts).toBe(5);
    expect(state.pin_locked_until).not.toBeNull();
    const locked = await withdraw(ann, HARNESS_PIN).catch((err: DomainError) => err);
    expect(locked).toMatchObject({ code: 'PIN_LOCKED', details: { lockedUntil: new Date(state.pin_locked_until).toISOString() } });
    // Nothing was held by any of them.
    expect((await ledger.walletsService.balance(ann.actor, ann.walletId)).available).toBe('100.00');
  });

  it('ends the lock when its time is up (the stored end moved into the past), and the count starts again', async () => {
    const bob = await ledger.fundedWallet('USD', '100.00');
    for (let i = 0; i < 5; i++) await withdraw(bob, '9182').catch(() => undefined);
    expect((await pinState(bob.walletId)).failed_pin_attempts).toBe(5);
    await owner.query(`UPDATE ledger.wallets SET pin_locked_until = now() - interval '1 second' WHERE id = $1`, [bob.walletId]);
    expect(await withdraw(bob, HARNESS_PIN)).toMatchObject({ status: 'pending' });
    expect(await pinState(bob.walletId)).toMatchObject({ failed_pin_attempts: 0, pin_locked_until: null });
  });

  it('lets the owner reset a locked PIN (after the gateway checked the password) and an admin unlock one, announced', async () => {
    const cat = await ledger.fundedWallet('USD', '100.00');
    for (let i = 0; i < 5; i++) await withdraw(cat, '9182').catch(() => undefined);
    await expect(ledger.lifecycle.resetPin(cat.actor, { walletId: cat.walletId, newPin: '1234' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(ledger.lifecycle.resetPin({ userId: uuidv7(), roles: ['user'] }, { walletId: cat.walletId, newPin: '7391' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await ledger.lifecycle.resetPin(cat.actor, { walletId: cat.walletId, newPin: '7391' });
    expect(await withdraw(cat, '7391')).toMatchObject({ status: 'pending' });
    await expect(withdraw(cat, HARNESS_PIN)).rejects.toMatchObject({ code: 'INVALID_PIN' });

    const dee = await ledger.fundedWallet('USD', '100.00');
    for (let i = 0; i < 5; i++) await withdraw(dee, '9182').catch(() => undefined);
    await expect(ledger.lifecycle.unlockPin(dee.actor, { walletId: dee.walletId, reason: 'me' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(ledger.lifecycle.unlockPin(admin, { walletId: dee.walletId, reason: ' ' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await ledger.lifecycle.unlockPin(admin, { walletId: dee.walletId, reason: 'owner called support' });
    expect(await withdraw(dee, HARNESS_PIN)).toMatchObject({ status: 'pending' });
    const announced = await owner.query(
      `SELECT payload->'data' AS data FROM ledger.outbox WHERE payload->>'type' = 'wallet.pin_unlocked' AND payload->'data'->>'walletId' = $1`,
      [dee.walletId],
    );
    expect(announced.rows.map((r) => r.data)).toEqual([
      expect.objectContaining({ unlockedBy: admin.userId, reason: 'owner called support', failedAttempts: 5, wasLocked: true }),
    ]);
    const resets = await owner.query(
      `SELECT payload->'data'->>'method' AS method FROM ledger.outbox WHERE payload->>'type' = 'wallet.pin_changed' AND payload->'data'->>'walletId' = $1`,
      [cat.walletId],
    );
    expect(resets.rows).toEqual([{ method: 'reset' }]);
  });

  it('rotates keys: a PIN stored under the old key is stored again under the new one on its next right entry', async () => {
    const eve = await ledger.fundedWallet('USD', '100.00');
    expect((await pinState(eve.walletId)).pin_hash).toMatch(/^hmac-sha256\$k1\$/);
    const rotated = await LedgerHarness.open(URL, 5, { PIN_PEPPERS: NEW_KEYS });
    try {
      await expect(withdraw(eve, '9182', rotated)).rejects.toMatchObject({ code: 'INVALID_PIN' });
      expect((await pinState(eve.walletId)).pin_hash).toMatch(/^hmac-sha256\$k1\$/);
      expect(await withdraw(eve, HARNESS_PIN, rotated)).toMatchObject({ status: 'pending' });
      expect((await pinState(eve.walletId)).pin_hash).toMatch(/^hmac-sha256\$k2\$/);
    } finally {
      await rotated.close();
    }
    // With only the new key left, the PIN still works; under only the old key it no longer can be checked.
    const newOnly = await LedgerHarness.open(URL, 5, { PIN_PEPPERS: `k2:${key(2)}` });
    try {
      expect(await withdraw(eve, HARNESS_PIN, newOnly)).toMatchObject({ status: 'pending' });
    } finally {
      await newOnly.close();
    }
    await expect(withdraw(eve, HARNESS_PIN)).rejects.toMatchObject({ code: 'PIN_LOCKED', details: { reason: 'pin_key_retired' } });
  });

  it('upgrades an old scrypt PIN hash on the next right entry; a wrong one still counts', async () => {
    const fay = await ledger.fundedWallet('USD', '100.00');
    await owner.query(`UPDATE ledger.wallets SET pin_hash = $2 WHERE id = $1`, [fay.walletId, await hashSecret(HARNESS_PIN)]);
    await expect(withdraw(fay, '9182')).rejects.toMatchObject({ code: 'INVALID_PIN' });
    expect(await pinState(fay.walletId)).toMatchObject({ failed_pin_attempts: 1, pin_hash: expect.stringMatching(/^scrypt\$/) });
    expect(await withdraw(fay, HARNESS_PIN)).toMatchObject({ status: 'pending' });
    expect(await pinState(fay.walletId)).toMatchObject({ failed_pin_attempts: 0, pin_hash: expect.stringMatching(/^hmac-sha256\$k1\$/) });
  });
});
