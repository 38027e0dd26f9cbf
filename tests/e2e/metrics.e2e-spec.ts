import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@tally/testing';
import { TEST_PORTS } from '../stack-env';

/** The metrics the Helm chart's alerts and dashboard read, by the service that serves them (kafka_consumergroup_lag is Kafka Exporter's). */
const SERVED: Record<string, string[]> = {
  ledger: [
    'http_request_duration_seconds',
    'kafka_messages_handled_total',
    'outbox_oldest_unpublished_seconds',
    'outbox_unpublished_messages',
    'outbox_publish_failures_total',
    'ledger_oldest_pending_hold_seconds',
    'ledger_verification_differences',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_p99_seconds',
  ],
  fraud: ['kafka_messages_handled_total', 'outbox_oldest_unpublished_seconds'],
  gateway: ['http_request_duration_seconds'],
};
const EXTERNAL = ['kafka_consumergroup_lag'];

describe('the metrics the deployment alerts on', () => {
  const chartText = ['templates/monitoring.yaml', 'dashboards/tally.json'].map((f) => readFileSync(join(REPO_ROOT, 'deploy/helm/tally', f), 'utf8')).join('\n');

  it.each(Object.entries(SERVED))('%s serves what the alerts and the dashboard read', async (service, names) => {
    const res = await fetch(`http://127.0.0.1:${TEST_PORTS[service as keyof typeof TEST_PORTS]}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const served = new Set([...text.matchAll(/^# TYPE (\w+) /gm)].map((m) => m[1]));
    expect(names.filter((name) => !served.has(name))).toEqual([]);
    // Gauges read from the database answer with numbers (no hold is older than the test run).
    if (service === 'ledger') expect(Number(/^ledger_oldest_pending_hold_seconds\{[^}]*\} (\S+)$/m.exec(text)?.[1])).toBeLessThan(3600);
  });

  it('the alerts and the dashboard read no metric that nothing serves', () => {
    const known = new Set([...Object.values(SERVED).flat(), ...EXTERNAL]);
    const used = new Set(
      [...chartText.matchAll(/\b((?:http|kafka|outbox|ledger|process|nodejs)_[a-z0-9_]+?)(?:_count|_bucket|_sum)?\b(?=[{[ )])/g)].map((m) => m[1]),
    );
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(8);
  });
});
