import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import type { AdminTransactionDetailView } from '@tally/contracts';
import { formatMoney } from '../../shared/money';
import { useApi } from '../../shared/session';
import { ErrorNotice, formatTime, Loading, PageHeader, StatusBadge } from '../../shared/ui';
import { useInterval, useResource } from '../../shared/use-resource';

/** One transaction with the journal entries behind it: every posting per account, each entry balanced. */
export function TransactionDetailPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const detail = useResource(() => api.get<AdminTransactionDetailView>(`/v1/admin/transactions/${id}`), [id]);
  // A held transaction settles in the background (fraud, a review): watch it until it does.
  useInterval(detail.reload, 2000, detail.data?.transaction.status === 'pending');
  if (detail.loading && !detail.data) return <Loading label="Loading the transaction" />;
  if (!detail.data) return <ErrorNotice error={detail.error} title="The transaction could not be loaded" />;
  const { transaction: t, journalEntries, related } = detail.data;
  const facts: [string, string][] = [
    ['Type', t.type.replace(/_/g, ' ')],
    ['Amount', formatMoney(t.amount, t.currency)],
    ['Fee', formatMoney(t.fee, t.currency)],
    ['Refunded', formatMoney(t.refundedAmount, t.currency)],
    ['Merchant', t.merchantName ? `${t.merchantName} (${t.merchantCategory ?? '—'})` : '—'],
    ['Counterparty wallet', t.counterpartyWalletNumber ?? '—'],
    ['Fraud score', t.fraudScore === undefined ? '—' : `${t.fraudScore} ${t.fraudFlags?.length ? `(${t.fraudFlags.join(', ')})` : ''}`],
    ['Created', formatTime(t.createdAt)],
    ['Completed', formatTime(t.completedAt)],
    ['Description', t.description || '—'],
  ];
  if (t.imported) facts.push(['Happened (imported)', formatTime(t.occurredAt)]);
  if (t.originalCurrency) facts.push(['Paid in', `${formatMoney(t.originalAmount, t.originalCurrency)} at ${t.fxRate}`]);
  return (
    <Stack>
      <PageHeader title={t.reference}>
        <Group>
          <StatusBadge status={t.status} />
          {t.imported && <Badge variant="outline">imported</Badge>}
          <Anchor component={Link} to={`/users/${t.userId}`}>
            Owner
          </Anchor>
        </Group>
      </PageHeader>
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          {facts.map(([label, value]) => (
            <Text size="sm" key={label}>
              <Text span fw={700}>
                {label}:
              </Text>{' '}
              {value}
            </Text>
          ))}
        </SimpleGrid>
      </Card>
      <Title order={2} size="h3">
        Journal entries
      </Title>
      {journalEntries.map((entry) => (
        <Card withBorder key={entry.id} data-testid="journal-entry">
          <Group justify="space-between" mb="xs">
            <Text fw={700}>
              {entry.kind} · {entry.phase.replace(/_/g, ' ')}
            </Text>
            <Text size="xs" c="dimmed">
              {formatTime(entry.createdAt)} · {entry.id}
            </Text>
          </Group>
          <Table.ScrollContainer minWidth={560}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th ta="right">Debit</Table.Th>
                  <Table.Th ta="right">Credit</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entry.postings.map((p, i) => (
                  <Table.Tr key={`${p.accountId}-${i}`}>
                    <Table.Td>{p.accountCode}</Table.Td>
                    <Table.Td>{p.accountType}</Table.Td>
                    <Table.Td ta="right">{p.direction === 'D' ? formatMoney(p.amount, p.currency) : ''}</Table.Td>
                    <Table.Td ta="right">{p.direction === 'C' ? formatMoney(p.amount, p.currency) : ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      ))}
      {related.length > 0 && (
        <>
          <Title order={2} size="h3">
            Related transactions
          </Title>
          {related.map((r) => (
            <Text size="sm" key={r.id}>
              <Anchor component={Link} to={`/transactions/${r.id}`}>
                {r.reference}
              </Anchor>{' '}
              · {r.type.replace(/_/g, ' ')} · {formatMoney(r.amount, r.currency)} · {r.status}
            </Text>
          ))}
        </>
      )}
    </Stack>
  );
}
