import { Anchor, Badge, Card, Code, Group, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Page, ReviewCaseView, ReviewDecisionView } from '@tally/contracts';
import { query } from '../../shared/api';
import { formatMoney } from '../../shared/money';
import { ReasonAction } from '../../shared/ReasonAction';
import { useApi } from '../../shared/session';
import { Empty, ErrorNotice, formatTime, Loading, PageHeader, StatusBadge } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';
import { useCanAct } from '../AdminApp';

function Evidence({ value }: { value: Record<string, unknown> }) {
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>
      {Object.entries(value)
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join('\n')}
    </Code>
  );
}

function ReviewCase({ item, onDecided }: { item: ReviewCaseView; onDecided: (d: ReviewDecisionView) => void }) {
  const api = useApi();
  const canAct = useCanAct();
  const decide = async (decision: 'approve' | 'reject', reason: string) =>
    onDecided(await api.post<ReviewDecisionView>(`/v1/admin/fraud/reviews/${item.transactionId}/${decision}`, { reason }));
  return (
    <Card withBorder data-testid="review-case" data-transaction-id={item.transactionId}>
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Text fw={700}>{formatMoney(item.amount, item.currency)}</Text>
          <Text>
            {item.type} {item.merchantName ? `at ${item.merchantName}` : ''}
          </Text>
          <StatusBadge status={item.band} />
          <Badge variant="outline">score {item.score}</Badge>
          {item.flags.map((f) => (
            <Badge key={f} color="red" variant="light">
              {f}
            </Badge>
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          held {formatTime(item.createdAt)}
        </Text>
      </Group>
      <Group gap="md" mt={4}>
        <Anchor component={Link} to={`/transactions/${item.transactionId}`} size="sm">
          Transaction
        </Anchor>
        <Anchor component={Link} to={`/users/${item.userId}`} size="sm">
          User
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
        <div>
          <Text size="sm" fw={700} mb={4}>
            Rules hit
          </Text>
          <Table.ScrollContainer minWidth={360}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Rule</Table.Th>
                  <Table.Th>Points</Table.Th>
                  <Table.Th>Evidence</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {item.rulesHit.map((hit) => (
                  <Table.Tr key={hit.rule}>
                    <Table.Td>{hit.flag}</Table.Td>
                    <Table.Td>{hit.points}</Table.Td>
                    <Table.Td>
                      <Evidence value={hit.evidence} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
        <div>
          <Text size="sm" fw={700} mb={4}>
            The user&apos;s history when scored
          </Text>
          <Evidence value={item.userHistory} />
        </div>
      </SimpleGrid>
      {item.decision ? (
        <Text size="sm" mt="sm">
          {item.decision.decision === 'approve' ? 'Approved' : 'Rejected'} {formatTime(item.decision.decidedAt)}: {item.decision.reason}
        </Text>
      ) : (
        <Group mt="sm">
          <ReasonAction
            label="Approve"
            title="Approve the held transaction"
            description="The ledger posts it."
            color="green"
            disabled={!canAct}
            onConfirm={(r) => decide('approve', r)}
          />
          <ReasonAction
            label="Reject"
            title="Reject the held transaction"
            description="The ledger voids it and releases the funds."
            color="red"
            disabled={!canAct}
            onConfirm={(r) => decide('reject', r)}
          />
        </Group>
      )}
    </Card>
  );
}

/** Held transactions with the evidence that held them; an admin approves or rejects each with a reason. */
export function ReviewsPage() {
  const api = useApi();
  const [status, setStatus] = useState('open');
  const [decided, setDecided] = useState<ReviewDecisionView>();
  const cases = useResource(() => api.get<Page<ReviewCaseView>>(`/v1/admin/fraud/reviews${query({ status, limit: 50 })}`), [status]);
  return (
    <Stack>
      <PageHeader title="Fraud review queue">
        <SegmentedControl
          aria-label="Cases"
          value={status}
          onChange={setStatus}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'approved', label: 'Approved' },
            { value: 'rejected', label: 'Rejected' },
            { value: 'expired', label: 'Expired' },
          ]}
        />
      </PageHeader>
      {decided && (
        <Text role="status" c="green.9" size="sm">
          {decided.decision === 'approve' ? 'Approved' : 'Rejected'}: the ledger is settling it.{' '}
          <Anchor component={Link} to={`/transactions/${decided.transactionId}`}>
            See the transaction
          </Anchor>
        </Text>
      )}
      <ErrorNotice error={cases.error} />
      {cases.loading && <Loading label="Loading review cases" />}
      {cases.data && (cases.data.items.length === 0 ? <Empty>No {status} cases.</Empty> : null)}
      {cases.data?.items.map((item) => (
        <ReviewCase
          key={item.transactionId}
          item={item}
          onDecided={(d) => {
            setDecided(d);
            cases.reload();
          }}
        />
      ))}
    </Stack>
  );
}
