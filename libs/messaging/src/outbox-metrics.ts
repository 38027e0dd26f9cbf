import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { metricsRegistry } from '@tally/observability';

let source: { dataSource: DataSource; schema: string } | undefined;

async function backlog(): Promise<{ count: number; oldestSeconds: number }> {
  if (!source?.dataSource.isInitialized) return { count: 0, oldestSeconds: 0 };
  const [row] = await source.dataSource.query(
    `SELECT count(*)::int AS count, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS oldest FROM "${source.schema}".outbox WHERE published_at IS NULL`,
  );
  return { count: row.count, oldestSeconds: row.oldest };
}

/**
 * The outbox's backlog at each scrape (the partial index on unpublished rows keeps it cheap): rows
 * not yet on Kafka and the age of the oldest. A relay that cannot publish shows as a growing age
 * (alert TallyOutboxBacklog in the Helm chart).
 */
new Gauge({
  name: 'outbox_unpublished_messages',
  help: 'Outbox rows not yet published to Kafka',
  registers: [metricsRegistry],
  async collect() {
    this.set((await backlog().catch(() => ({ count: 0 }))).count);
  },
});
new Gauge({
  name: 'outbox_oldest_unpublished_seconds',
  help: 'Age of the oldest outbox row not yet published to Kafka (0 when none)',
  registers: [metricsRegistry],
  async collect() {
    this.set((await backlog().catch(() => ({ oldestSeconds: 0 }))).oldestSeconds);
  },
});

/** Points the outbox gauges at this service's outbox (MessagingModule, once per process). */
export function measureOutbox(dataSource: DataSource, schema: string): void {
  source = { dataSource, schema };
}
