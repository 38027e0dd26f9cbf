import { formatMoney, isAmountText, mainCurrency } from './money';

describe('formatMoney', () => {
  it.each([
    ['1234567.50', 'USD', 'USD 1,234,567.50'],
    ['1500', 'JPY', 'JPY 1,500'],
    ['1.250', 'KWD', 'KWD 1.250'],
    ['-20.00', 'EUR', '−EUR 20.00'],
    ['0.00', 'CHF', 'CHF 0.00'],
  ])('%s %s is shown as %s, digits untouched', (amount, currency, shown) => {
    expect(formatMoney(amount, currency)).toBe(shown);
  });

  it('shows a dash for no amount', () => {
    expect(formatMoney(undefined, 'USD')).toBe('—');
  });
});

describe('mainCurrency', () => {
  it('picks the currency of most lines, then the first by name', () => {
    expect(mainCurrency([{ currency: 'USD' }, { currency: 'EUR' }, { currency: 'EUR' }])).toBe('EUR');
    expect(mainCurrency([{ currency: 'USD' }, { currency: 'EUR' }])).toBe('EUR');
    expect(mainCurrency([], 'MYR')).toBe('MYR');
  });
});

describe('isAmountText', () => {
  it.each([
    ['10', true],
    ['10.50', true],
    ['0.001', true],
    ['1e3', false],
    ['-5', false],
    ['', false],
    ['10.', false],
  ])('%s → %s', (text, ok) => {
    expect(isAmountText(text)).toBe(ok);
  });
});
