import { MonthlySummaryView, WalletView } from '@tally/contracts';
import { mainCurrency, totalBalances } from './summary.service';

function wallet(currency: string, balance: string, status = 'active'): WalletView {
  return { currency, balance, status } as WalletView;
}

const month = (items: { currency: string; transactionCount: number }[]): MonthlySummaryView => ({
  periodStart: '2026-11-01T00:00:00.000Z',
  periodEnd: '2026-12-01T00:00:00.000Z',
  items: items.map((i) => ({ ...i, credits: '0', debits: '0', net: '0' })),
});

describe('summary figures', () => {
  it('adds balances per currency in minor units, never across currencies', () => {
    const wallets = [wallet('USD', '0.10'), wallet('JPY', '1500'), wallet('USD', '0.20'), wallet('KWD', '1.005'), wallet('JPY', '0'), wallet('KWD', '0.000')];
    expect(totalBalances(wallets)).toEqual([
      { currency: 'JPY', balance: '1500' },
      { currency: 'KWD', balance: '1.005' },
      { currency: 'USD', balance: '0.30' },
    ]);
  });

  it("speaks the first open wallet's currency, else the month's busiest, else USD", () => {
    expect(mainCurrency([wallet('EUR', '0.00', 'closed'), wallet('MYR', '1.00')], month([]))).toBe('MYR');
    expect(
      mainCurrency(
        [wallet('EUR', '0.00', 'closed')],
        month([
          { currency: 'JPY', transactionCount: 1 },
          { currency: 'EUR', transactionCount: 3 },
        ]),
      ),
    ).toBe('EUR');
    expect(mainCurrency([], month([]))).toBe('USD');
  });
});
