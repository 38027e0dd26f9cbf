import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, ADMIN_READ_ROLES, DomainError, FxRateView, requireRole, RequestOrigin, SetFxRatePayload, uuidv7 } from '@tally/contracts';
import { Messaging, recordAdminAction } from '@tally/messaging';
import { isSupportedCurrency } from '@tally/money';
import { runLedgerTransaction } from '../journal/run-ledger-transaction';

/** A positive decimal: up to 12 digits before the point and 10 after (what a quoted rate needs). */
const RATE = /^(?!0+(?:\.0+)?$)\d{1,12}(?:\.\d{1,10})?$/;

interface RateRow {
  base: string;
  quote: string;
  rate: string;
  updated_at: Date;
}

/**
 * The stored FX rates as data: admins and auditors read them, an admin sets one with a reason. A
 * change is kept in ledger.fx_rate_changes (append-only: old rate, new rate, who, why) and announced
 * on audit.events in the same transaction; the next batch of money commands uses it.
 */
@Injectable()
export class FxRatesAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: Messaging,
  ) {}

  async list(actor: Actor): Promise<FxRateView[]> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const rows: RateRow[] = await this.dataSource.query(
      `SELECT trim(base_currency) AS base, trim(quote_currency) AS quote, rate::text AS rate, updated_at FROM ledger.fx_rates ORDER BY quote_currency, base_currency`,
    );
    return rows.map(toView);
  }

  async set(actor: Actor, payload: SetFxRatePayload, origin: RequestOrigin): Promise<FxRateView> {
    requireRole(actor, 'admin');
    const { base, quote, rate, reason } = payload;
    if (!isSupportedCurrency(base) || !isSupportedCurrency(quote) || base === quote) {
      throw new DomainError('VALIDATION_FAILED', 'base and quote must be two different supported ISO 4217 codes', { base, quote });
    }
    if (typeof rate !== 'string' || !RATE.test(rate)) {
      throw new DomainError('VALIDATION_FAILED', 'rate must be a positive decimal such as 4.70 (at most 12 digits before the point and 10 after)', {
        field: 'rate',
      });
    }
    if (typeof reason !== 'string' || reason.trim().length < 1 || reason.length > 500) {
      throw new DomainError('VALIDATION_FAILED', 'reason must be 1 to 500 characters', { field: 'reason' });
    }
    const view = await runLedgerTransaction(this.dataSource, async (manager) => {
      const [opposite] = await manager.query(`SELECT 1 FROM ledger.fx_rates WHERE base_currency = $1 AND quote_currency = $2`, [quote, base]);
      if (opposite) {
        throw new DomainError('CONFLICT', `The rate is stored as ${quote}/${base}; set that pair (one direction is stored, the other derived)`, {
          base: quote,
          quote: base,
        });
      }
      const [before] = await manager.query(`SELECT rate::text AS rate FROM ledger.fx_rates WHERE base_currency = $1 AND quote_currency = $2 FOR UPDATE`, [
        base,
        quote,
      ]);
      const [row]: RateRow[] = await manager.query(
        `INSERT INTO ledger.fx_rates (base_currency, quote_currency, rate, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (base_currency, quote_currency) DO UPDATE SET rate = EXCLUDED.rate, updated_at = now()
         RETURNING trim(base_currency) AS base, trim(quote_currency) AS quote, rate::text AS rate, updated_at`,
        [base, quote, rate],
      );
      const changeId = uuidv7();
      await manager.query(
        `INSERT INTO ledger.fx_rate_changes (id, base_currency, quote_currency, old_rate, new_rate, changed_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [changeId, base, quote, before?.rate ?? null, rate, actor.userId, reason.trim()],
      );
      await recordAdminAction(manager, 'ledger', {
        actorId: actor.userId,
        action: 'ledger.fx_rate.set',
        targetType: 'fx_rate',
        targetId: `${base}/${quote}`,
        reason: reason.trim(),
        origin,
        details: { oldRate: before?.rate ?? null, newRate: row.rate, changeId },
      });
      return toView(row);
    });
    this.messaging.published();
    return view;
  }
}

function toView(row: RateRow): FxRateView {
  return { base: row.base, quote: row.quote, rate: row.rate, updatedAt: new Date(row.updated_at).toISOString() };
}
