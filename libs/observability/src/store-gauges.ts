import { Gauge } from 'prom-client';
import { metricsRegistry } from './metrics';

export interface GaugeSample {
  labels: Record<string, string>;
  value: number;
}

export interface StoreGaugeOptions {
  name: string;
  help: string;
  labelNames: string[];
  /** How long one reading is reused: scrapes stay cheap however often they come. */
  ttlMs?: number;
  read: () => Promise<GaugeSample[]>;
}

const readers = new Map<string, { read: () => Promise<GaugeSample[]>; ttlMs: number; at: number; samples: GaugeSample[] }>();

/**
 * A business metric read from the service's own store when Prometheus scrapes (at most once per
 * ttlMs): the truth as committed, never counted twice by a retried transaction, and the same after
 * a restart. A failed reading leaves the last values in place. Registering a name again (a second
 * instance in one process, as in tests) keeps one gauge and takes the newer reader.
 */
export function storeGauge(options: StoreGaugeOptions): Gauge {
  readers.set(options.name, { read: options.read, ttlMs: options.ttlMs ?? 15_000, at: 0, samples: [] });
  const existing = metricsRegistry.getSingleMetric(options.name);
  if (existing) return existing as Gauge;
  return new Gauge({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [metricsRegistry],
    async collect() {
      const reader = readers.get(options.name);
      if (!reader) return;
      if (Date.now() - reader.at >= reader.ttlMs) {
        try {
          reader.samples = await reader.read();
          reader.at = Date.now();
        } catch {
          // The store is unreachable: readiness says so; the metric keeps its last reading.
        }
      }
      this.reset();
      for (const s of reader.samples) this.set(s.labels, s.value);
    },
  });
}
