import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, isUuid } from '@tally/contracts';

/** What never changes about a wallet once it is opened. */
export interface WalletFacts {
  id: string;
  userId: string;
  accountId: string;
  currency: string;
  timeZone: string;
  walletNumber: string;
}

/**
 * The facts of each wallet that never change (owner, account, currency, time zone, number), kept
 * once read: a command checks ownership and parses its amount in the wallet's currency before it
 * joins a batch, and the kernel computes spending windows in the wallet's time zone before it locks
 * anything, without a query per command. What does change (status, PIN, limits, balance) is read
 * under the batch's locks.
 */
@Injectable()
export class WalletDirectory {
  private readonly facts = new Map<string, WalletFacts>();

  constructor(private readonly dataSource: DataSource) {}

  async get(ids: string[]): Promise<Map<string, WalletFacts>> {
    const missing = [...new Set(ids)].filter((id) => isUuid(id) && !this.facts.has(id));
    if (missing.length > 0) {
      const rows: { id: string; user_id: string; account_id: string; currency: string; time_zone: string; wallet_number: string }[] =
        await this.dataSource.query(
          `SELECT id, user_id, account_id, trim(currency) AS currency, time_zone, wallet_number FROM ledger.wallets WHERE id = ANY($1::uuid[])`,
          [missing],
        );
      // Bounded: a long-lived process forgets and reads again rather than growing without end.
      if (this.facts.size > 200_000) this.facts.clear();
      for (const r of rows) {
        this.facts.set(r.id, {
          id: r.id,
          userId: r.user_id,
          accountId: r.account_id,
          currency: r.currency,
          timeZone: r.time_zone,
          walletNumber: r.wallet_number,
        });
      }
    }
    const found = new Map<string, WalletFacts>();
    for (const id of ids) {
      const f = this.facts.get(id);
      if (f) found.set(id, f);
    }
    return found;
  }

  /** The caller's wallet, or NOT_FOUND: another user's wallet is indistinguishable from none. */
  async owned(actor: Actor, walletId: unknown): Promise<WalletFacts> {
    const facts = typeof walletId === 'string' ? (await this.get([walletId])).get(walletId) : undefined;
    if (!facts || facts.userId !== actor.userId) throw new DomainError('NOT_FOUND', 'Wallet not found');
    return facts;
  }
}
