import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, FraudStatsView } from '@tally/contracts';

/** Fraud statistics for admins over fraud's own tables, optionally for scores since/until an ISO time. */
@Injectable()
export class StatsService {
  constructor(private readonly dataSource: DataSource) {}

  async stats(query: { from?: string; to?: string }): Promise<FraudStatsView> {
    const from = time(query.from, 'from') ?? new Date(0);
    const to = time(query.to, 'to') ?? new Date('9999-12-31T00:00:00Z');
    const window = [from, to];
    const where = `created_at >= $1 AND created_at < $2`;
    const decisions: { decision: string; n: number }[] = await this.dataSource.query(
      `SELECT decision, count(*)::int AS n FROM fraud.scores WHERE ${where} GROUP BY decision`,
      window,
    );
    const flags: { flag: string; n: number }[] = await this.dataSource.query(
      `SELECT flag, count(*)::int AS n FROM fraud.scores, unnest(flags) AS flag WHERE ${where} GROUP BY flag ORDER BY flag`,
      window,
    );
    const buckets: { bucket: number; n: number }[] = await this.dataSource.query(
      `SELECT least(score / 10, 9) AS bucket, count(*)::int AS n FROM fraud.scores WHERE ${where} GROUP BY 1`,
      window,
    );
    const reviews: { status: string; n: number }[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM fraud.review_cases WHERE ${where} GROUP BY status`,
      window,
    );
    const count = (rows: { n: number }[], key: (r: never) => string) => Object.fromEntries(rows.map((r) => [key(r as never), r.n]));
    const byBucket = new Map(buckets.map((b) => [Number(b.bucket), b.n]));
    return {
      scored: decisions.reduce((n, d) => n + d.n, 0),
      decisions: { approve: 0, review: 0, reject: 0, ...count(decisions, (r: { decision: string }) => r.decision) },
      flags: count(flags, (r: { flag: string }) => r.flag),
      scoreHistogram: Array.from({ length: 10 }, (_, i) => ({ range: i === 9 ? '90-100' : `${i * 10}-${i * 10 + 9}`, count: byBucket.get(i) ?? 0 })),
      reviews: { open: 0, approved: 0, rejected: 0, expired: 0, ...count(reviews, (r: { status: string }) => r.status) },
    };
  }
}

function time(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new DomainError('VALIDATION_FAILED', `${name} must be an ISO 8601 time`);
  return date;
}
