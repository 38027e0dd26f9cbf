import { Anchor, Button, Card, Group, PasswordInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { SpendingView, TransactionView, UserSummaryView, WalletView } from '@tally/contracts';
import { newIdempotencyKey, query } from '../../shared/api';
import { useAction } from '../../shared/use-action';
import { SimpleBarChart } from '../../shared/charts';
import { chartValue, formatMoney } from '../../shared/money';
import { useReference } from '../../shared/reference';
import { useApi } from '../../shared/session';
import { ChartFigure, Empty, ErrorNotice, formatTime, Loading, PageHeader, StatusBadge } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';

function monthStart(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

function OpenWallet({ onOpened }: { onOpened: () => void }) {
  const api = useApi();
  const { currencies } = useReference();
  const [currency, setCurrency] = useState<string | null>('USD');
  const [pin, setPin] = useState('');
  const action = useAction();
  const submit = (e: FormEvent) =>
    action.run(async () => {
      await api.post('/v1/wallets', { currency, pin }, newIdempotencyKey());
      setPin('');
      onOpened();
    }, e);
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Open a wallet">
      <Title order={2} size="h4" mb="xs">
        Open a wallet
      </Title>
      <Group align="flex-end">
        <Select label="Currency" data={currencies.length ? currencies : ['USD']} value={currency} onChange={setCurrency} allowDeselect={false} w={120} />
        <PasswordInput label="New PIN (4 to 6 digits)" inputMode="numeric" required value={pin} onChange={(e) => setPin(e.currentTarget.value)} w={200} />
        <Button type="submit" loading={action.busy}>
          Open
        </Button>
      </Group>
      <ErrorNotice error={action.error} title="The wallet was not opened" />
    </Card>
  );
}

function AddMoney({ wallets, onDone }: { wallets: WalletView[]; onDone: () => void }) {
  const api = useApi();
  const [walletId, setWalletId] = useState<string | null>(wallets[0]?.id ?? null);
  const [amount, setAmount] = useState('');
  const action = useAction();
  const submit = (e: FormEvent) =>
    action.run(async () => {
      await api.post(`/v1/wallets/${walletId}/deposits`, { amount: amount.trim(), description: 'Top-up from the web app' }, newIdempotencyKey());
      setAmount('');
      onDone();
    }, e);
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Add money">
      <Title order={2} size="h4" mb="xs">
        Add money
      </Title>
      <Group align="flex-end">
        <Select
          label="To wallet"
          data={wallets.map((w) => ({ value: w.id, label: `${w.currency} · ${w.walletNumber}` }))}
          value={walletId}
          onChange={setWalletId}
          allowDeselect={false}
        />
        <TextInput label="Amount" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.currentTarget.value)} w={140} />
        <Button type="submit" loading={action.busy} variant="light">
          Add
        </Button>
      </Group>
      <ErrorNotice error={action.error} title="No money was added" />
    </Card>
  );
}

/** Balances, this month in figures and by category, the latest transactions. */
export function OverviewPage() {
  const api = useApi();
  const summary = useResource(() => api.get<UserSummaryView>('/v1/me/summary'), []);
  const currency = summary.data?.monthlySummary.currency;
  const spending = useResource(
    () => (currency ? api.get<SpendingView>(`/v1/analytics/spending${query({ groupBy: 'category', currency, from: monthStart() })}`) : undefined),
    [currency, summary.data],
  );
  if (summary.loading && !summary.data) return <Loading label="Loading your wallets" />;
  if (!summary.data) return <ErrorNotice error={summary.error} title="Your wallets could not be loaded" />;
  const s = summary.data;
  const wallets = s.wallets as WalletView[];
  const recent = s.recentTransactions as TransactionView[];
  const m = s.monthlySummary;
  return (
    <Stack>
      <PageHeader title="Overview">
        <Button variant="default" size="xs" onClick={summary.reload}>
          Refresh
        </Button>
      </PageHeader>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {wallets.map((w) => (
          <Card withBorder key={w.id} data-testid="wallet-card">
            <Text size="xs" c="dimmed">
              {w.walletNumber} · {w.status}
            </Text>
            <Text size="xl" fw={700} data-testid={`balance-${w.walletNumber}`}>
              {formatMoney(w.balance, w.currency)}
            </Text>
            <Text size="sm">
              Available {formatMoney(w.available, w.currency)}
              {w.pending !== '0.00' && w.pending !== '0' ? ` · held ${formatMoney(w.pending, w.currency)}` : ''}
            </Text>
            <Text size="xs" c="dimmed">
              Spent today {formatMoney(w.dailySpent, w.currency)} of {formatMoney(w.dailyLimit, w.currency)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {wallets.length === 0 && <Empty>You have no wallet yet.</Empty>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4">
            This month ({m.currency})
          </Title>
          <SimpleGrid cols={3} mt="xs">
            <div>
              <Text size="xs" c="dimmed">
                In
              </Text>
              <Text fw={700}>{formatMoney(m.credits, m.currency)}</Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">
                Out
              </Text>
              <Text fw={700}>{formatMoney(m.debits, m.currency)}</Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">
                Net
              </Text>
              <Text fw={700}>{formatMoney(m.net, m.currency)}</Text>
            </div>
          </SimpleGrid>
        </Card>
        <Card withBorder>
          <ErrorNotice error={spending.error} title="Spending could not be loaded" />
          {spending.data &&
            (spending.data.groups.length === 0 ? (
              <Empty>No spending this month yet.</Empty>
            ) : (
              <ChartFigure
                caption={`Spending this month by category (${spending.data.currency})`}
                summary={spending.data.groups.map((g) => `${g.key}: ${formatMoney(g.total, spending.data?.currency ?? '')}`).join(', ')}
                testId="chart-month-categories"
              >
                <SimpleBarChart
                  data={spending.data.groups.map((g) => ({ category: g.key, total: chartValue(g.total) }))}
                  x="category"
                  series={[{ key: 'total', name: 'Spent' }]}
                />
              </ChartFigure>
            ))}
        </Card>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {wallets.length > 0 && <AddMoney wallets={wallets} onDone={summary.reload} />}
        <OpenWallet onOpened={summary.reload} />
      </SimpleGrid>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            Latest transactions
          </Title>
          <Anchor component={Link} to="/transactions" size="sm">
            All transactions
          </Anchor>
        </Group>
        {recent.length === 0 ? <Empty>None yet.</Empty> : <TransactionTable items={recent} />}
      </Card>
    </Stack>
  );
}

export function TransactionTable({ items }: { items: TransactionView[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th ta="right">Fee</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>{formatTime(t.createdAt)}</Table.Td>
              <Table.Td>
                {t.type.replace(/_/g, ' ')}
                {t.merchantName ? ` · ${t.merchantName}` : t.counterpartyWalletNumber ? ` · ${t.counterpartyWalletNumber}` : ''}
                {t.description ? ` · ${t.description}` : ''}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={t.status} />
              </Table.Td>
              <Table.Td ta="right">{formatMoney(t.amount, t.currency)}</Table.Td>
              <Table.Td ta="right">{t.fee === '0.00' || t.fee === '0' ? '' : formatMoney(t.fee, t.currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
