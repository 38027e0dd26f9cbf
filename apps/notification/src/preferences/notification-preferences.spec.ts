import { checkEventChannels, defaultChannels, effectivePreferences, mergeEventChannels } from './notification-preferences';

describe('notification preferences', () => {
  it('defaults to in-app and webhook for every event, email for security notices only', () => {
    const all = effectivePreferences({});
    expect(Object.keys(all)).toHaveLength(10);
    expect(all['transaction.completed']).toEqual({ inApp: true, email: false, webhook: true });
    expect(all['security.account_locked']).toEqual({ inApp: true, email: true, webhook: true });
    expect(defaultChannels('balance.low').email).toBe(false);
  });

  it('merges stored overrides channel by channel over the defaults', () => {
    const stored = mergeEventChannels(
      { 'transaction.completed': { inApp: false } },
      { 'transaction.completed': { email: true }, 'balance.low': { webhook: false } },
    );
    expect(stored).toEqual({ 'transaction.completed': { inApp: false, email: true }, 'balance.low': { webhook: false } });
    const all = effectivePreferences(stored);
    expect(all['transaction.completed']).toEqual({ inApp: false, email: true, webhook: true });
    expect(all['balance.low']).toEqual({ inApp: true, email: false, webhook: false });
  });

  it('refuses unknown event types, unknown channels and non-boolean values', () => {
    const { problems } = checkEventChannels({
      'transaction.exploded': { inApp: true },
      'transaction.completed': { sms: true, email: 'yes' },
      'balance.low': true,
    });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['balance.low', 'transaction.completed.email', 'transaction.completed.sms', 'transaction.exploded'].map((f) => `events.${f}`).sort(),
    );
    expect(checkEventChannels([]).problems).toHaveLength(1);
    expect(checkEventChannels(undefined)).toEqual({ problems: [], overrides: {} });
  });

  it('answers the overrides of a valid body', () => {
    expect(checkEventChannels({ 'goal.milestone': { email: true, inApp: false } })).toEqual({
      problems: [],
      overrides: { 'goal.milestone': { email: true, inApp: false } },
    });
  });
});
