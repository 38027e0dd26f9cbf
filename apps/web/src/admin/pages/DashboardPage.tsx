import { Card, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { FraudStatsView, PlatformAnalyticsView } from '@tally/contracts';
import { query } from '../../shared/api';
import { SimpleBarChart, SimpleLineChart, SimplePieChart } from '../../shared/charts';
import { chartValue, formatMoney, mainCurrency } from '../../shared/money';
import { useApi } from '../../shared/session';
import { ChartFigure, ErrorNotice, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';

const RANGES: Record<string, { label: string; groupBy: 'day' | 'week' | 'month'; days: number }> = {
  '30d': { label: 'Last 30 days, by day', groupBy: 'day', days: 30 },
  '12w': { label: 'Last 12 weeks, by week', groupBy: 'week', days: 84 },
  '12m': { label: 'Last 12 months, by month', groupBy: 'month', days: 366 },
};

/** Midnight UTC, `days` days ago. */
function rangeStart(days: number): string {
  const from = new Date(Date.now() - days * 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  return from.toISOString();
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={`kpi-${label.toLowerCase().replace(/\W+/g, '-')}`}>
        {value}
      </Text>
    </Card>
  );
}

/** The platform at a glance: volume, revenue and registrations per period; fraud's score histogram and flag mix. */
export function DashboardPage() {
  const api = useApi();
  const [range, setRange] = useState('30d');
  const [currency, setCurrency] = useState<string | null>(null);
  const spec = RANGES[range];
  const analytics = useResource(
    () => api.get<PlatformAnalyticsView>(`/v1/admin/analytics${query({ from: rangeStart(spec.days), groupBy: spec.groupBy })}`),
    [range],
  );
  const fraud = useResource(() => api.get<FraudStatsView>(`/v1/admin/fraud/stats${query({ from: rangeStart(spec.days) })}`), [range]);

  const a = analytics.data;
  const currencies = a ? [...new Set(a.volume.map((v) => v.currency))] : [];
  const shown = currency && currencies.includes(currency) ? currency : a ? mainCurrency(a.series.flatMap((s) => s.volume)) : 'USD';
  const amountIn = (lines: { currency: string; amount: string }[]) => chartValue(lines.find((l) => l.currency === shown)?.amount ?? '0');
  const series = (a?.series ?? []).map((s) => ({
    period: s.period,
    volume: amountIn(s.volume),
    fees: amountIn(s.fees),
    registrations: s.registrations,
    activeUsers: s.activeUsers,
    transactions: s.transactions,
  }));
  const volume = a?.volume.find((v) => v.currency === shown)?.amount ?? '0';
  const fees = a?.feeRevenue.find((v) => v.currency === shown)?.amount ?? '0';

  return (
    <Stack>
      <PageHeader title="Dashboard">
        <Group>
          <Select
            label="Period"
            data={Object.entries(RANGES).map(([value, r]) => ({ value, label: r.label }))}
            value={range}
            onChange={(v) => v && setRange(v)}
            allowDeselect={false}
          />
          <Select label="Currency" data={currencies.length > 0 ? currencies : [shown]} value={shown} onChange={setCurrency} allowDeselect={false} />
        </Group>
      </PageHeader>
      <ErrorNotice error={analytics.error} title="Analytics could not be loaded" />
      {analytics.loading && !a && <Loading label="Loading analytics" />}
      {a && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
            <Kpi label="Transactions" value={String(a.totals.transactions)} />
            <Kpi label="Success rate" value={a.totals.successRate === null ? '—' : `${a.totals.successRate}%`} />
            <Kpi label="Active users" value={String(a.totals.activeUsers)} />
            <Kpi label="Registrations" value={String(a.totals.registrations)} />
            <Kpi label="Volume" value={formatMoney(volume, shown)} />
            <Kpi label="Fee revenue" value={formatMoney(fees, shown)} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Card withBorder>
              <ChartFigure
                caption={`Volume per ${spec.groupBy} (${shown})`}
                summary={`Completed volume in ${shown}: ${formatMoney(volume, shown)} over the period`}
                testId="chart-volume"
              >
                <SimpleLineChart data={series} x="period" series={[{ key: 'volume', name: `Volume (${shown})` }]} />
              </ChartFigure>
            </Card>
            <Card withBorder>
              <ChartFigure
                caption={`Fee revenue per ${spec.groupBy} (${shown})`}
                summary={`Fees earned in ${shown}: ${formatMoney(fees, shown)}`}
                testId="chart-revenue"
              >
                <SimpleBarChart data={series} x="period" series={[{ key: 'fees', name: `Fees (${shown})`, color: '#2b8a3e' }]} />
              </ChartFigure>
            </Card>
            <Card withBorder>
              <ChartFigure
                caption={`Registrations and active users per ${spec.groupBy}`}
                summary={`${a.totals.registrations} registrations and ${a.totals.activeUsers} active users`}
                testId="chart-registrations"
              >
                <SimpleBarChart
                  data={series}
                  x="period"
                  series={[
                    { key: 'registrations', name: 'Registrations' },
                    { key: 'activeUsers', name: 'Active users', color: '#e8590c' },
                  ]}
                />
              </ChartFigure>
            </Card>
            <Card withBorder>
              <ErrorNotice error={fraud.error} title="Fraud statistics could not be loaded" />
              {fraud.data && (
                <ChartFigure caption="Fraud score histogram" summary={`${fraud.data.scored} transactions scored`} testId="chart-fraud-scores">
                  <SimpleBarChart data={fraud.data.scoreHistogram} x="range" series={[{ key: 'count', name: 'Transactions', color: '#c92a2a' }]} />
                </ChartFigure>
              )}
            </Card>
            <Card withBorder>
              {fraud.data && (
                <ChartFigure
                  caption="Fraud flag mix"
                  summary={
                    Object.entries(fraud.data.flags)
                      .map(([flag, n]) => `${flag}: ${n}`)
                      .join(', ') || 'No flags raised'
                  }
                  testId="chart-fraud-flags"
                >
                  {Object.keys(fraud.data.flags).length > 0 ? (
                    <SimplePieChart data={Object.entries(fraud.data.flags).map(([name, value]) => ({ name, value }))} />
                  ) : (
                    <Text c="dimmed">No flags raised in this period.</Text>
                  )}
                </ChartFigure>
              )}
            </Card>
            <Card withBorder>
              <Stack gap="xs">
                <Text fw={700}>Top categories</Text>
                {a.topCategories.length === 0 && <Text c="dimmed">No purchases in this period.</Text>}
                {a.topCategories.map((c) => (
                  <Group key={`${c.category}-${c.currency}`} justify="space-between">
                    <Text size="sm">{c.category.replace(/_/g, ' ')}</Text>
                    <Text size="sm">
                      {c.count} · {formatMoney(c.volume, c.currency)}
                    </Text>
                  </Group>
                ))}
                <Text fw={700} mt="sm">
                  Held now
                </Text>
                {a.pendingNow.length === 0 ? (
                  <Text c="dimmed">Nothing held.</Text>
                ) : (
                  a.pendingNow.map((p) => (
                    <Text key={p.currency} size="sm">
                      {formatMoney(p.amount, p.currency)}
                    </Text>
                  ))
                )}
              </Stack>
            </Card>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
