import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { minorDigits, SUPPORTED_CURRENCIES } from '@tally/money';
import { storeGauge } from '@tally/observability';

/**
 * The ledger's business metrics, read from its tables when scraped: transactions by type and
 * status, completed volume by type and currency, and the holds still pending. Amounts become
 * Prometheus numbers in major units here, for graphs and alerts only; money is never computed from
 * them. One grouped scan of the transactions per reading (at most every 15 s). Two more gauges
 * feed the Helm chart's alerts: the age of the oldest pending hold (fraud not deciding, or the
 * hold sweep not running) and the differences the latest completed balance verification found.
 */
@Injectable()
export class LedgerMetrics implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const digits = [SUPPORTED_CURRENCIES, SUPPORTED_CURRENCIES.map((c) => minorDigits(c))];
    // One grouped scan serves every gauge of a scrape.
    let reading: { at: number; rows: Promise<GroupRow[]> } | undefined;
    const grouped = (): Promise<GroupRow[]> => {
      if (!reading || Date.now() - reading.at > 10_000) {
        const rows = this.dataSource.query(
          `SELECT t.type, t.status, trim(t.currency) AS currency, count(*)::int AS n,
                  (sum(t.amount) / 10 ^ d.digits)::float8 AS volume, (sum(t.amount + t.fee) / 10 ^ d.digits)::float8 AS held
             FROM ledger.transactions t JOIN unnest($1::text[], $2::int[]) AS d (currency, digits) ON d.currency = trim(t.currency)
            GROUP BY t.type, t.status, t.currency, d.digits`,
          digits,
        ) as Promise<GroupRow[]>;
        reading = { at: Date.now(), rows };
        rows.catch(() => (reading = undefined));
      }
      return reading.rows;
    };
    storeGauge({
      name: 'ledger_transactions',
      help: 'Transactions in the ledger by type and status (its transactions table)',
      labelNames: ['type', 'status'],
      read: async () => {
        const counts = new Map<string, number>();
        for (const r of await grouped()) counts.set(`${r.type}|${r.status}`, (counts.get(`${r.type}|${r.status}`) ?? 0) + r.n);
        return [...counts].map(([key, value]) => ({ labels: { type: key.split('|')[0], status: key.split('|')[1] }, value }));
      },
    });
    storeGauge({
      name: 'ledger_transaction_volume',
      help: 'Completed amounts by type and currency, in major units (for graphs; money is never computed from it)',
      labelNames: ['type', 'currency'],
      read: async () =>
        (await grouped()).filter((r) => r.status === 'completed').map((r) => ({ labels: { type: r.type, currency: r.currency }, value: r.volume })),
    });
    const pendingBy = async (field: 'n' | 'held') => {
      const sums = new Map<string, number>();
      for (const r of await grouped()) if (r.status === 'pending') sums.set(r.currency, (sums.get(r.currency) ?? 0) + r[field]);
      return [...sums].map(([currency, value]) => ({ labels: { currency }, value }));
    };
    storeGauge({
      name: 'ledger_holds_pending',
      help: 'Debits held (pending) right now, by currency',
      labelNames: ['currency'],
      read: () => pendingBy('n'),
    });
    storeGauge({
      name: 'ledger_holds_pending_amount',
      help: 'What the pending holds keep (amount and fee), by currency, in major units',
      labelNames: ['currency'],
      read: () => pendingBy('held'),
    });
    const db = this.dataSource;
    storeGauge({
      name: 'ledger_oldest_pending_hold_seconds',
      help: 'Age of the oldest held (pending) transaction, 0 when none',
      labelNames: [],
      read: async () => {
        const [row] = await db.query(
          `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM ledger.transactions
            WHERE status = 'pending' AND linked_transaction_id IS NULL AND pending_entry_id IS NOT NULL`,
        );
        return [{ labels: {}, value: row.age }];
      },
    });
    storeGauge({
      name: 'ledger_verification_differences',
      help: 'Balance rows that differed from their postings in the latest completed verification run (0 before any)',
      labelNames: [],
      read: async () => {
        const [row] = await db.query(
          `SELECT difference_count::int AS n FROM ledger.verification_runs WHERE status = 'completed' ORDER BY completed_at DESC LIMIT 1`,
        );
        return [{ labels: {}, value: row?.n ?? 0 }];
      },
    });
  }
}

interface GroupRow {
  type: string;
  status: string;
  currency: string;
  n: number;
  volume: number;
  held: number;
}
