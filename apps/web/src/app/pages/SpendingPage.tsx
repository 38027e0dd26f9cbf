import { Card, Group, Select, SimpleGrid, Stack } from '@mantine/core';
import { useState } from 'react';
import type { SpendingView, WalletView } from '@tally/contracts';
import { query } from '../../shared/api';
import { SimpleBarChart, SimplePieChart } from '../../shared/charts';
import { chartValue, formatMoney } from '../../shared/money';
import { useApi } from '../../shared/session';
import { ChartFigure, Empty, ErrorNotice, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';

/** The first instant of the UTC month `back` months before this one. */
function monthsAgo(back: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
}

/** Where the money went: by category over a chosen span, and month by month. */
export function SpendingPage() {
  const api = useApi();
  const wallets = useResource(() => api.get<{ items: WalletView[] }>('/v1/wallets'), []);
  const currencies = [...new Set((wallets.data?.items ?? []).map((w) => w.currency))];
  const [chosen, setChosen] = useState<string | null>(null);
  const [span, setSpan] = useState('0');
  const currency = chosen ?? currencies[0];
  const from = monthsAgo(Number(span)).toISOString();
  const byCategory = useResource(
    () => (currency ? api.get<SpendingView>(`/v1/analytics/spending${query({ groupBy: 'category', currency, from })}`) : undefined),
    [currency, span],
  );
  const byMonth = useResource(
    () => (currency ? api.get<SpendingView>(`/v1/analytics/spending${query({ groupBy: 'month', currency, from: monthsAgo(11).toISOString() })}`) : undefined),
    [currency],
  );
  if (wallets.loading && !wallets.data) return <Loading label="Loading" />;
  return (
    <Stack>
      <PageHeader title="Spending">
        <Group>
          <Select label="Currency" data={currencies} value={currency ?? null} onChange={setChosen} allowDeselect={false} />
          <Select
            label="Categories over"
            data={[
              { value: '0', label: 'This month' },
              { value: '2', label: 'The last 3 months' },
              { value: '11', label: 'The last 12 months' },
            ]}
            value={span}
            onChange={(v) => v && setSpan(v)}
            allowDeselect={false}
          />
        </Group>
      </PageHeader>
      {!currency && <Empty>Open a wallet to see your spending.</Empty>}
      <ErrorNotice error={byCategory.error ?? byMonth.error} title="Spending could not be loaded" />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          {byCategory.data &&
            (byCategory.data.groups.length === 0 ? (
              <Empty>No spending in this span.</Empty>
            ) : (
              <ChartFigure
                caption={`By category (${byCategory.data.currency})`}
                summary={byCategory.data.groups.map((g) => `${g.key}: ${formatMoney(g.total, byCategory.data?.currency ?? '')}`).join(', ')}
                testId="chart-categories"
              >
                <SimplePieChart data={byCategory.data.groups.map((g) => ({ name: g.key.replace(/_/g, ' '), value: chartValue(g.total) }))} />
              </ChartFigure>
            ))}
        </Card>
        <Card withBorder>
          {byMonth.data &&
            (byMonth.data.groups.length === 0 ? (
              <Empty>No spending in the last 12 months.</Empty>
            ) : (
              <ChartFigure
                caption={`By month (${byMonth.data.currency})`}
                summary={byMonth.data.groups.map((g) => `${g.key}: ${formatMoney(g.total, byMonth.data?.currency ?? '')}`).join(', ')}
                testId="chart-months"
              >
                <SimpleBarChart
                  data={byMonth.data.groups.map((g) => ({ month: g.key, total: chartValue(g.total) }))}
                  x="month"
                  series={[{ key: 'total', name: 'Spent' }]}
                />
              </ChartFigure>
            ))}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
