import { Anchor, Pagination, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import type { AdminTransactionView, Page } from '@tally/contracts';
import { query } from '../../shared/api';
import { formatMoney } from '../../shared/money';
import { useApi } from '../../shared/session';
import { filtersToQuery, TransactionFilters } from '../../shared/TransactionFilters';
import { Empty, ErrorNotice, formatTime, Loading, PageHeader, StatusBadge } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';

const PAGE = 50;

/** Every user's transactions with the user list's filters plus the user. */
export function TransactionsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries([...params.entries()].filter(([k]) => k !== 'page'));
  const page = Number(params.get('page') ?? '1');
  const list = useResource(
    () => api.get<Page<AdminTransactionView>>(`/v1/admin/transactions${query({ ...filtersToQuery(filters), limit: PAGE, offset: (page - 1) * PAGE })}`),
    [params.toString()],
  );
  return (
    <Stack>
      <PageHeader title="Transactions" />
      <TransactionFilters
        key={params.toString()}
        value={filters}
        onChange={(f) => setParams(f)}
        extra={(draft, set) => <TextInput label="User id" value={draft.userId ?? ''} onChange={(e) => set('userId', e.currentTarget.value.trim())} />}
      />
      <ErrorNotice error={list.error} />
      {list.loading && <Loading label="Loading transactions" />}
      {list.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {list.data.total} transactions
          </Text>
          {list.data.items.length === 0 ? (
            <Empty>No transaction matches.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={860}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Reference</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Amount</Table.Th>
                    <Table.Th>Fee</Table.Th>
                    <Table.Th>Merchant / counterparty</Table.Th>
                    <Table.Th>User</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.items.map((t) => (
                    <Table.Tr key={t.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/transactions/${t.id}`}>
                          {t.reference}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{formatTime(t.occurredAt ?? t.createdAt)}</Table.Td>
                      <Table.Td>{t.type.replace(/_/g, ' ')}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={t.status} />
                      </Table.Td>
                      <Table.Td>{formatMoney(t.amount, t.currency)}</Table.Td>
                      <Table.Td>{formatMoney(t.fee, t.currency)}</Table.Td>
                      <Table.Td>{t.merchantName ?? t.counterpartyWalletNumber ?? '—'}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/users/${t.userId}`}>
                          {t.userId.slice(-8)}
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {list.data.total > PAGE && (
            <Pagination
              total={Math.ceil(list.data.total / PAGE)}
              value={page}
              onChange={(p) => setParams({ ...filters, page: String(p) })}
              aria-label="Pages of transactions"
            />
          )}
        </>
      )}
    </Stack>
  );
}
