import { Injectable } from '@nestjs/common';
import { Actor, AnalyticsCommands, LedgerCommands, MonthlySummaryView, UserSummaryView, WalletView } from '@tally/contracts';
import { formatAmount, parseAmount } from '@tally/money';
import { CommandClient } from '../commands/command-client';

const RECENT_TRANSACTIONS = 5;

/**
 * GET /v1/me/summary from the services that own each part, asked in parallel: balances, wallets and
 * recent transactions from the ledger (the source of truth, current to the request); the month's
 * figures from analytics' projection of ledger.events (aggregates the ledger's hot tables need not
 * compute; it trails the ledger by the event's trip). Nothing is added across currencies.
 */
@Injectable()
export class SummaryService {
  constructor(private readonly commands: CommandClient) {}

  async forUser(actor: Actor): Promise<UserSummaryView> {
    const [wallets, month, recent] = await Promise.all([
      this.commands.send(LedgerCommands.listWallets, {}, { actor }),
      this.commands.send(AnalyticsCommands.monthlySummary, {}, { actor }),
      this.commands.send(LedgerCommands.listTransactions, { limit: String(RECENT_TRANSACTIONS), sortBy: 'createdAt', sortOrder: 'desc' }, { actor }),
    ]);
    const main = mainCurrency(wallets, month);
    const mainLine = month.items.find((l) => l.currency === main);
    return {
      totalBalances: totalBalances(wallets),
      walletCount: wallets.length,
      wallets,
      monthlySummary: mainLine ?? {
        currency: main,
        credits: formatAmount(0n, main),
        debits: formatAmount(0n, main),
        net: formatAmount(0n, main),
        transactionCount: 0,
      },
      monthlySummaries: month.items,
      periodStart: month.periodStart,
      periodEnd: month.periodEnd,
      recentTransactions: recent.items,
    };
  }
}

/** Sum of the wallets' balances per currency, in minor units (closed wallets hold zero). */
export function totalBalances(wallets: WalletView[]): { currency: string; balance: string }[] {
  const totals = new Map<string, bigint>();
  for (const w of wallets) totals.set(w.currency, (totals.get(w.currency) ?? 0n) + toMinor(w.balance, w.currency));
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ currency, balance: formatAmount(minor, currency) }));
}

/** A balance may be zero, which parseAmount (for requests) refuses; balances are never negative. */
function toMinor(balance: string, currency: string): bigint {
  return /^0(\.0+)?$/.test(balance) ? 0n : parseAmount(balance, currency);
}

/**
 * The currency monthlySummary speaks: the one of the user's first wallet that is not closed, else the
 * one with the most transactions this month, else USD.
 */
export function mainCurrency(wallets: WalletView[], month: MonthlySummaryView): string {
  const open = wallets.find((w) => w.status !== 'closed');
  if (open) return open.currency;
  const busiest = [...month.items].sort((a, b) => b.transactionCount - a.transactionCount)[0];
  return busiest?.currency ?? 'USD';
}
