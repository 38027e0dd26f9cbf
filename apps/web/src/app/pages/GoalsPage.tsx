import { Badge, Button, Card, Group, PasswordInput, Progress, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { FormEvent, useState } from 'react';
import type { GoalView, WalletView } from '@tally/contracts';
import { newIdempotencyKey } from '../../shared/api';
import { useAction } from '../../shared/use-action';
import { formatMoney } from '../../shared/money';
import { useReference } from '../../shared/reference';
import { useApi } from '../../shared/session';
import { Empty, ErrorNotice, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';

const MILESTONES = [25, 50, 75, 100];

function Contribute({ goal, wallets, onDone }: { goal: GoalView; wallets: WalletView[]; onDone: () => void }) {
  const api = useApi();
  const usable = wallets.filter((w) => w.currency === goal.currency && w.status === 'active');
  const [picked, setWalletId] = useState<string | null>(null);
  // The wallets may load after the card first renders: until one is picked, the first usable one.
  const walletId = picked ?? usable[0]?.id ?? null;
  const [amount, setAmount] = useState('');
  const [pin, setPin] = useState('');
  const action = useAction();
  const submit = (e: FormEvent) =>
    action.run(async () => {
      await api.post(`/v1/goals/${goal.id}/contributions`, { fromWalletId: walletId, amount: amount.trim(), pin }, newIdempotencyKey());
      setAmount('');
      setPin('');
      onDone();
    }, e);
  if (usable.length === 0) return <Text size="xs">Open a {goal.currency} wallet to save toward this goal.</Text>;
  return (
    <form onSubmit={submit} aria-label={`Save toward ${goal.name}`}>
      <Group align="flex-end" mt="sm">
        <Select
          label="From"
          data={usable.map((w) => ({ value: w.id, label: w.walletNumber }))}
          value={walletId}
          onChange={setWalletId}
          allowDeselect={false}
          w={180}
        />
        <TextInput label="Amount" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.currentTarget.value)} w={110} />
        <PasswordInput label="PIN" inputMode="numeric" required value={pin} onChange={(e) => setPin(e.currentTarget.value)} w={110} />
        <Button type="submit" size="sm" variant="light" loading={action.busy}>
          Save
        </Button>
      </Group>
      <ErrorNotice error={action.error} title="Nothing was saved" />
    </form>
  );
}

/** Money back from the goal to a wallet of its currency, or the whole goal closed into it. */
function MoveBack({ goal, wallets, onDone }: { goal: GoalView; wallets: WalletView[]; onDone: () => void }) {
  const api = useApi();
  const usable = wallets.filter((w) => w.currency === goal.currency && w.status === 'active');
  const [picked, setWalletId] = useState<string | null>(null);
  const walletId = picked ?? usable[0]?.id ?? null;
  const [amount, setAmount] = useState('');
  const action = useAction();
  const move = (e: FormEvent) =>
    action.run(async () => {
      await api.post(`/v1/goals/${goal.id}/withdrawals`, { toWalletId: walletId, amount: amount.trim() }, newIdempotencyKey());
      setAmount('');
      onDone();
    }, e);
  const close = () =>
    action.run(async () => {
      await api.request('DELETE', `/v1/goals/${goal.id}${walletId ? `?toWalletId=${encodeURIComponent(walletId)}` : ''}`);
      onDone();
    });
  if (usable.length === 0) return null;
  return (
    <form onSubmit={move} aria-label={`Move money back from ${goal.name}`}>
      <Group align="flex-end" mt="sm">
        <Select
          label="To"
          data={usable.map((w) => ({ value: w.id, label: w.name ?? w.walletNumber }))}
          value={walletId}
          onChange={setWalletId}
          allowDeselect={false}
          w={180}
        />
        <TextInput label="Amount back" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.currentTarget.value)} w={110} />
        <Button type="submit" size="sm" variant="light" loading={action.busy}>
          Move back
        </Button>
        <Button type="button" size="sm" variant="subtle" color="red" onClick={close} loading={action.busy}>
          Close goal
        </Button>
      </Group>
      <ErrorNotice error={action.error} title="Nothing was moved" />
    </form>
  );
}

/** Savings goals: how far each is, the milestones reached, and saving toward them from a wallet. */
export function GoalsPage() {
  const api = useApi();
  const { currencies } = useReference();
  const goals = useResource(() => api.get<{ items: GoalView[] }>('/v1/goals'), []);
  const wallets = useResource(() => api.get<{ items: WalletView[] }>('/v1/wallets'), []);
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [currency, setCurrency] = useState<string | null>('USD');
  const [deadline, setDeadline] = useState('');
  const create = useAction();
  const submit = (e: FormEvent) =>
    create.run(async () => {
      await api.post('/v1/goals', { name: name.trim(), targetAmount: target.trim(), currency, ...(deadline ? { deadline } : {}) }, newIdempotencyKey());
      setName('');
      setTarget('');
      setDeadline('');
      goals.reload();
    }, e);
  return (
    <Stack>
      <PageHeader title="Goals" />
      <ErrorNotice error={goals.error} />
      {goals.loading && !goals.data && <Loading label="Loading goals" />}
      {goals.data && goals.data.items.length === 0 && <Empty>No goals yet.</Empty>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {goals.data?.items.map((g) => (
          <Card withBorder key={g.id} data-testid="goal">
            <Group justify="space-between">
              <Title order={2} size="h4">
                {g.name}
              </Title>
              <Text size="sm">{g.deadline ? `by ${g.deadline}` : 'no deadline'}</Text>
            </Group>
            <Progress value={Math.min(g.percent, 100)} size="lg" mt="sm" aria-label={`${g.name} progress`} />
            <Text size="sm" mt={4}>
              {formatMoney(g.savedAmount, g.currency)} of {formatMoney(g.targetAmount, g.currency)} ({g.percent}%)
            </Text>
            <Group gap={6} mt={6} aria-label="Milestones">
              {MILESTONES.map((m) => (
                <Badge key={m} variant={g.percent >= m ? 'filled' : 'outline'} color={g.percent >= m ? 'teal' : 'gray'}>
                  {m}%{g.percent >= m ? ' reached' : ''}
                </Badge>
              ))}
            </Group>
            <Contribute goal={g} wallets={wallets.data?.items ?? []} onDone={goals.reload} />
            <MoveBack goal={g} wallets={wallets.data?.items ?? []} onDone={goals.reload} />
          </Card>
        ))}
      </SimpleGrid>
      <Card withBorder component="form" onSubmit={submit} aria-label="New goal">
        <Title order={2} size="h4" mb="xs">
          New goal
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <TextInput label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput label="Target" inputMode="decimal" required value={target} onChange={(e) => setTarget(e.currentTarget.value)} />
          <Select label="Currency" data={currencies.length ? currencies : ['USD']} value={currency} onChange={setCurrency} allowDeselect={false} />
          <TextInput label="Deadline (optional)" type="date" value={deadline} onChange={(e) => setDeadline(e.currentTarget.value)} />
        </SimpleGrid>
        <ErrorNotice error={create.error} title="The goal was not created" />
        <Button type="submit" mt="sm" loading={create.busy}>
          Create goal
        </Button>
      </Card>
    </Stack>
  );
}
