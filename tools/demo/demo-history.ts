import type { ImportEntryInput } from '@tally/contracts';
import { decimal, MERCHANTS, pickCategory, Random } from './demo-people';

export interface HistoryOwner {
  index: number;
  walletNumber: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * One user's past months as import rows: a salary at the start of each month, purchases across
 * categories through the month, a cash withdrawal, transfers to other demo users, now and then a
 * refund of something bought. Every month's spending stays well under its salary, so the rows can
 * be booked in the order they happened without ever running short. Times fall between 08:00 and
 * 22:00 India time; nothing is later than yesterday.
 */
export function historyOf(owner: HistoryOwner, others: HistoryOwner[], months: number, now: Date): ImportEntryInput[] {
  const r = new Random(7000 + owner.index);
  const rows: ImportEntryInput[] = [];
  const yesterday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 1;
  const salary = BigInt(r.int(2800, 6500)) * 100n;
  for (let back = months; back >= 0; back--) {
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1);
    const days = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back + 1, 0)).getUTCDate();
    // 08:00 to 22:00 IST is 02:30 to 16:30 UTC.
    const at = (day: number) => monthStart + (day - 1) * DAY + 2.5 * HOUR + r.int(0, 14 * 60 - 1) * 60_000;
    const add = (time: number, row: Omit<ImportEntryInput, 'occurredAt' | 'walletNumber'>) => {
      if (time <= yesterday) rows.push({ ...row, walletNumber: owner.walletNumber, occurredAt: new Date(time).toISOString() });
    };
    const tag = `u${owner.index}-m${months - back}`;
    add(monthStart + 3.5 * HOUR, { ref: `${tag}-salary`, type: 'deposit', amount: decimal(salary), description: 'Salary' });
    const purchases = r.int(14, 22);
    for (let p = 0; p < purchases; p++) {
      const category = pickCategory(r);
      const merchant = MERCHANTS[category];
      const ref = `${tag}-p${p}`;
      const day = r.int(2, days);
      const amount = BigInt(r.int(merchant.min, merchant.max));
      const bought = at(day);
      add(bought, { ref, type: 'purchase', amount: decimal(amount), merchantName: r.pick(merchant.names), merchantCategory: category });
      // Now and then something bought is returned a few days later, in part or in full.
      if (category === 'shopping' && r.chance(0.35)) {
        const back2 = r.chance(0.5) ? amount : amount / 2n;
        add(Math.max(bought + HOUR, at(Math.min(days, day + r.int(2, 6)))), {
          type: 'refund',
          refundOf: ref,
          amount: decimal(back2),
          description: 'Returned item',
        });
      }
    }
    add(at(r.int(5, 25)), { type: 'withdrawal', amount: decimal(BigInt(r.int(50, 300)) * 100n), description: 'ATM cash' });
    const transfers = r.int(1, 2);
    for (let t = 0; t < transfers && others.length > 0; t++) {
      const to = r.pick(others);
      add(at(r.int(3, days)), {
        type: 'transfer',
        toWalletNumber: to.walletNumber,
        amount: decimal(BigInt(r.int(10, 150)) * 100n),
        description: r.pick(['Dinner split', 'Rent share', 'Gift', 'Movie tickets', 'Trip']),
      });
    }
  }
  return rows.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}
