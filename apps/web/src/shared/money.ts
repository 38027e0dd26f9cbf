/**
 * Money as the API gives it: decimal strings with the currency's exact digits. Text is shown as it
 * comes (with the currency); charts need a number to draw a bar's height, and get one from
 * chartValue, which is for drawing only: no sum, balance or check is ever computed from it.
 */
export function formatMoney(amount: string | undefined | null, currency: string): string {
  if (amount === undefined || amount === null) return '—';
  const negative = amount.startsWith('-');
  const [whole, fraction] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${currency} ${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

export function chartValue(amount: string): number {
  return Number(amount);
}

/** The currency the most lines are in, for a chart that can show one currency at a time. */
export function mainCurrency(lines: { currency: string }[], fallback = 'USD'): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.currency, (counts.get(l.currency) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? fallback;
}

/** A whole amount of minor units' worth: "12.5" → "12.50" for a 2-digit currency; the API re-checks. */
export function isAmountText(text: string): boolean {
  return /^\d{1,15}(\.\d{1,3})?$/.test(text.trim());
}
