import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { storeGauge } from '@tally/observability';

/** Fraud's business metrics, read from its tables when scraped: scores by band of ten and decision, flags raised, reviews waiting. */
@Injectable()
export class FraudMetrics implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    storeGauge({
      name: 'fraud_scored_transactions',
      help: 'Transactions fraud scored, by score range (tens) and decision',
      labelNames: ['range', 'decision'],
      read: async () => {
        const rows: { bucket: number; decision: string; n: number }[] = await this.dataSource.query(
          `SELECT least(score / 10, 9)::int AS bucket, decision, count(*)::int AS n FROM fraud.scores GROUP BY 1, 2`,
        );
        return rows.map((r) => ({ labels: { range: r.bucket === 9 ? '90-100' : `${r.bucket * 10}-${r.bucket * 10 + 9}`, decision: r.decision }, value: r.n }));
      },
    });
    storeGauge({
      name: 'fraud_flags_raised',
      help: 'Scored transactions that raised each flag',
      labelNames: ['flag'],
      read: async () => {
        const rows: { flag: string; n: number }[] = await this.dataSource.query(
          `SELECT flag, count(*)::int AS n FROM fraud.scores, unnest(flags) AS flag GROUP BY flag`,
        );
        return rows.map((r) => ({ labels: { flag: r.flag }, value: r.n }));
      },
    });
    storeGauge({
      name: 'fraud_reviews_waiting',
      help: 'Held transactions waiting for an admin, by band (review, high_risk)',
      labelNames: ['band'],
      read: async () => {
        const rows: { band: string; n: number }[] = await this.dataSource.query(
          `SELECT band, count(*)::int AS n FROM fraud.review_cases WHERE status = 'open' GROUP BY band`,
        );
        return rows.map((r) => ({ labels: { band: r.band }, value: r.n }));
      },
    });
  }
}
