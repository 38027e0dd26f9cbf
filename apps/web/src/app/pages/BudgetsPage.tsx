import { Button, Card, Group, Progress, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { FormEvent, useState } from 'react';
import type { BudgetProgressView, BudgetView, Page } from '@tally/contracts';
import { newIdempotencyKey } from '../../shared/api';
import { useAction } from '../../shared/use-action';
import { formatMoney } from '../../shared/money';
import { useReference } from '../../shared/reference';
import { useApi } from '../../shared/session';
import { Empty, ErrorNotice, formatTime, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';

function BudgetCard({ budget }: { budget: BudgetView }) {
  const api = useApi();
  const progress = useResource(() => api.get<BudgetProgressView>(`/v1/budgets/${budget.id}/progress`), [budget.id]);
  const p = progress.data;
  const color = !p ? 'gray' : p.percent >= 100 ? 'red' : p.percent >= 80 ? 'orange' : 'teal';
  return (
    <Card withBorder data-testid="budget">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {budget.category.replace(/_/g, ' ')}
        </Title>
        <Text size="sm">
          {formatMoney(budget.amount, budget.currency)} {budget.period}
        </Text>
      </Group>
      <ErrorNotice error={progress.error} />
      {p && (
        <>
          <Progress value={Math.min(p.percent, 100)} color={color} size="lg" mt="sm" aria-label={`${budget.category} budget used`} />
          <Text size="sm" mt={4}>
            {formatMoney(p.spent, p.currency)} spent ({p.percent}%) · {formatMoney(p.remaining, p.currency)} left · until {formatTime(p.periodEnd).slice(0, 10)}
          </Text>
          <Text size="xs" c="dimmed">
            Alerts at {budget.alertAt.join(', ')} %
          </Text>
        </>
      )}
    </Card>
  );
}

/** Budgets per category with how much of each is spent this period. */
export function BudgetsPage() {
  const api = useApi();
  const { currencies } = useReference();
  const budgets = useResource(() => api.get<Page<BudgetView>>('/v1/budgets?limit=100'), []);
  const [category, setCategory] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<string | null>('USD');
  const [period, setPeriod] = useState<string | null>('monthly');
  const action = useAction();
  const submit = (e: FormEvent) =>
    action.run(async () => {
      await api.post('/v1/budgets', { category: category.trim(), amount: amount.trim(), currency, period }, newIdempotencyKey());
      setCategory('');
      setAmount('');
      budgets.reload();
    }, e);
  return (
    <Stack>
      <PageHeader title="Budgets" />
      <ErrorNotice error={budgets.error} />
      {budgets.loading && !budgets.data && <Loading label="Loading budgets" />}
      {budgets.data && budgets.data.items.length === 0 && <Empty>No budgets yet.</Empty>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {budgets.data?.items.map((b) => (
          <BudgetCard key={b.id} budget={b} />
        ))}
      </SimpleGrid>
      <Card withBorder component="form" onSubmit={submit} aria-label="New budget">
        <Title order={2} size="h4" mb="xs">
          New budget
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <TextInput
            label="Category"
            description="e.g. food_beverage, groceries, transfer"
            required
            value={category}
            onChange={(e) => setCategory(e.currentTarget.value)}
          />
          <TextInput label="Amount" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.currentTarget.value)} />
          <Select label="Currency" data={currencies.length ? currencies : ['USD']} value={currency} onChange={setCurrency} allowDeselect={false} />
          <Select label="Period" data={['monthly', 'quarterly', 'yearly']} value={period} onChange={setPeriod} allowDeselect={false} />
        </SimpleGrid>
        <ErrorNotice error={action.error} title="The budget was not created" />
        <Button type="submit" mt="sm" loading={action.busy}>
          Create budget
        </Button>
      </Card>
    </Stack>
  );
}
