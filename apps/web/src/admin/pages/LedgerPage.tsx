import { Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { ReplayRunView, TrialBalanceView, VerificationRunView } from '@tally/contracts';
import { newIdempotencyKey } from '../../shared/api';
import { formatMoney } from '../../shared/money';
import { useApi } from '../../shared/session';
import { ErrorNotice, formatTime, Loading, PageHeader } from '../../shared/ui';
import { useInterval, useResource } from '../../shared/use-resource';
import { useCanAct } from '../AdminApp';

/** Polls a background run every second until it completes. */
function useRun<T extends { id: string; status: string }>(path: string) {
  const api = useApi();
  const [run, setRun] = useState<T>();
  const [error, setError] = useState<unknown>();
  const poll = useCallback(() => {
    if (!run) return;
    api.get<T>(`${path}/${run.id}`).then(setRun, setError);
  }, [api, path, run]);
  useInterval(poll, 1000, run?.status === 'running');
  const start = async (body: unknown) => {
    setError(undefined);
    try {
      setRun(await api.post<T>(path, body, newIdempotencyKey()));
    } catch (err) {
      setError(err);
    }
  };
  return { run, error, start };
}

/** The books: the trial balance per currency, and verification and replay runs started here with their progress. */
export function LedgerPage() {
  const api = useApi();
  const canAct = useCanAct();
  const trial = useResource(() => api.get<TrialBalanceView>('/v1/admin/ledger/trial-balance'), []);
  const verification = useRun<VerificationRunView>('/v1/admin/ledger/verifications');
  const replay = useRun<ReplayRunView>('/v1/admin/ledger/replays');
  const [replayFrom, setReplayFrom] = useState('');
  const totalAccounts = trial.data?.items.reduce((n, l) => n + l.accounts, 0) ?? 0;
  const v = verification.run;
  const r = replay.run;
  return (
    <Stack>
      <PageHeader title="Ledger">
        <Button variant="default" size="xs" onClick={trial.reload}>
          Refresh
        </Button>
      </PageHeader>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            Trial balance
          </Title>
          {trial.data && (
            <Badge color={trial.data.balanced ? 'green' : 'red'} size="lg" data-testid="trial-balanced">
              {trial.data.balanced ? 'balanced' : 'NOT balanced'}
            </Badge>
          )}
        </Group>
        <ErrorNotice error={trial.error} />
        {trial.loading && !trial.data && <Loading label="Loading the trial balance" />}
        {trial.data && (
          <Table.ScrollContainer minWidth={640}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Currency</Table.Th>
                  <Table.Th ta="right">Posted debits</Table.Th>
                  <Table.Th ta="right">Posted credits</Table.Th>
                  <Table.Th ta="right">Held debits</Table.Th>
                  <Table.Th ta="right">Held credits</Table.Th>
                  <Table.Th ta="right">Accounts</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {trial.data.items.map((l) => (
                  <Table.Tr key={l.currency}>
                    <Table.Td>{l.currency}</Table.Td>
                    <Table.Td ta="right">{formatMoney(l.totalDebits, l.currency)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(l.totalCredits, l.currency)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(l.pendingDebits, l.currency)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(l.pendingCredits, l.currency)}</Table.Td>
                    <Table.Td ta="right">{l.accounts}</Table.Td>
                    <Table.Td>{l.balanced ? '✓' : '✗'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {trial.data && (
          <Text size="xs" c="dimmed" mt="xs">
            As of {formatTime(trial.data.generatedAt)}
          </Text>
        )}
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Verify every balance
          </Title>
          <Text size="sm" mb="sm">
            Recomputes each account&apos;s balance from its postings, a chunk at a time in the background, and lists every difference.
          </Text>
          <Button size="xs" disabled={!canAct || v?.status === 'running'} onClick={() => void verification.start({})}>
            Start verification
          </Button>
          <ErrorNotice error={verification.error} />
          {v && (
            <Stack gap={4} mt="sm" aria-live="polite" data-testid="verification-run">
              <Progress
                value={v.status === 'completed' ? 100 : totalAccounts ? Math.min(99, (v.checkedAccounts * 100) / totalAccounts) : 10}
                animated={v.status === 'running'}
                aria-label="Verification progress"
              />
              <Text size="sm">
                {v.status === 'running' ? 'Running' : 'Completed'}: {v.checkedAccounts} of about {totalAccounts} accounts checked, {v.differenceCount}{' '}
                differences
              </Text>
              {v.ok !== null && <Badge color={v.ok ? 'green' : 'red'}>{v.ok ? 'every balance matches its postings' : 'differences found'}</Badge>}
              {v.differences.slice(0, 20).map((d) => (
                <Text size="xs" key={`${d.accountId}-${d.field}`}>
                  {d.accountId} {d.field}: expected {d.expected}, found {d.actual}
                </Text>
              ))}
            </Stack>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Replay the journal
          </Title>
          <Text size="sm" mb="sm">
            Publishes the ledger&apos;s events again to ledger.replay for rebuilding a projection; live consumers do not see it.
          </Text>
          <Group align="flex-end">
            <TextInput
              label="From (optional, ISO time)"
              placeholder="2026-01-01T00:00:00Z"
              value={replayFrom}
              onChange={(e) => setReplayFrom(e.currentTarget.value)}
            />
            <Button
              size="xs"
              disabled={!canAct || r?.status === 'running'}
              onClick={() => void replay.start(replayFrom.trim() ? { from: replayFrom.trim() } : {})}
            >
              Start replay
            </Button>
          </Group>
          <ErrorNotice error={replay.error} />
          {r && (
            <Stack gap={4} mt="sm" aria-live="polite" data-testid="replay-run">
              <Progress value={r.status === 'completed' ? 100 : 50} animated={r.status === 'running'} aria-label="Replay progress" />
              <Text size="sm">
                {r.status === 'running' ? 'Running' : 'Completed'}: {r.walletsReplayed} wallets and {r.entriesReplayed} entries, {r.eventsWritten} events
                written to {r.topic}
              </Text>
            </Stack>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
