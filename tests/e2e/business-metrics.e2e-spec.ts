import { ApiClient, daytimeZone, waitFor } from '@tally/testing';
import { GATEWAY_URL, TEST_PORTS } from '../stack-env';
import { logInAdmin, signUp } from './sign-up';

jest.setTimeout(120_000);

/** One sample's value from a Prometheus text page, by metric name and label subset. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

async function metrics(service: keyof typeof TEST_PORTS): Promise<string> {
  return (await fetch(`http://127.0.0.1:${TEST_PORTS[service]}/metrics`)).text();
}

/**
 * Business metrics on the services that own them, read from their stores when scraped: the ledger's
 * transactions by type and status, volumes and pending holds; fraud's scores, flags and waiting
 * reviews; every service's outbox backlog and consumer lag.
 */
describe('business metrics for Prometheus', () => {
  const api = new ApiClient(GATEWAY_URL);

  it('count what the ledger and fraud hold, and show outbox backlog and consumer lag per service', async () => {
    const user = await signUp(api, 'metrics');
    const wallet = (await user.post('/v1/wallets', { currency: 'USD', pin: '2580', dailyLimit: '10000', monthlyLimit: '100000', timeZone: daytimeZone() }))
      .body;
    const before = await metrics('ledger');
    const deposits = sample(before, 'ledger_transactions', { type: 'deposit', status: 'completed', service: 'ledger' }) ?? 0;
    expect((await user.post(`/v1/wallets/${wallet.id}/deposits`, { amount: '5000.00' })).status).toBe(201);
    for (let i = 0; i < 5; i++)
      await user.post('/v1/payments', { walletId: wallet.id, amount: '10.00', merchantName: `Shop ${i}`, merchantCategory: 'shopping', pin: '2580' });
    const held = await user.post('/v1/payments', {
      walletId: wallet.id,
      amount: '2200.00',
      merchantName: 'Electronics Mall',
      merchantCategory: 'electronics',
      pin: '2580',
    });
    expect(held.status).toBe(202);

    const ledger = await waitFor(
      async () => {
        const text = await metrics('ledger');
        return (sample(text, 'ledger_transactions', { type: 'deposit', status: 'completed' }) ?? 0) >= deposits + 1 &&
          (sample(text, 'ledger_holds_pending', { currency: 'USD' }) ?? 0) >= 1
          ? text
          : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 2000, what: 'the ledger metrics to count the deposit and the hold' },
    );
    expect(sample(ledger, 'ledger_transactions', { type: 'purchase', status: 'completed' })).toBeGreaterThanOrEqual(5);
    expect(sample(ledger, 'ledger_transaction_volume', { type: 'deposit', currency: 'USD' })).toBeGreaterThanOrEqual(5000);
    expect(sample(ledger, 'ledger_holds_pending_amount', { currency: 'USD' })).toBeGreaterThanOrEqual(2200);
    expect(sample(ledger, 'outbox_backlog', { service: 'ledger' })).toBeGreaterThanOrEqual(0);
    expect(ledger).toContain('# TYPE ledger_transactions gauge');

    // fraud.commands' lag is known once its consumer group has committed: one admin read of fraud's
    // makes sure of that, whatever ran before this spec on the stack.
    expect((await (await logInAdmin(api)).get('/v1/admin/fraud/rules')).status).toBe(200);
    const fraud = await waitFor(
      async () => {
        const text = await metrics('fraud');
        const lagKnown = sample(text, 'kafka_consumer_lag', { group: 'fraud-commands', topic: 'fraud.commands' }) !== undefined;
        return lagKnown && (sample(text, 'fraud_reviews_waiting', { band: 'review' }) ?? 0) >= 1 ? text : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 2000, what: 'fraud to count the waiting review' },
    );
    expect(sample(fraud, 'fraud_scored_transactions', { range: '60-69', decision: 'review' })).toBeGreaterThanOrEqual(1);
    expect(sample(fraud, 'fraud_flags_raised', { flag: 'HIGH_VALUE' })).toBeGreaterThanOrEqual(1);

    // Every consumer group of a service shows its lag (0 or more) per topic.
    const analytics = await metrics('analytics');
    expect(sample(analytics, 'kafka_consumer_lag', { group: 'analytics.spending', topic: 'ledger.events' })).toBeGreaterThanOrEqual(0);
    expect(sample(analytics, 'outbox_oldest_unpublished_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(fraud, 'kafka_consumer_lag', { group: 'fraud-commands', topic: 'fraud.commands' })).toBeGreaterThanOrEqual(0);
  });
});
