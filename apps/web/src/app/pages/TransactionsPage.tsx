import { Pagination, Select, Stack, Text } from '@mantine/core';
import { useSearchParams } from 'react-router';
import type { TransactionList, WalletView } from '@tally/contracts';
import { query } from '../../shared/api';
import { useApi } from '../../shared/session';
import { filtersToQuery, TransactionFilters } from '../../shared/TransactionFilters';
import { Empty, ErrorNotice, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';
import { TransactionTable } from './OverviewPage';

const PAGE = 25;

/** The user's transactions with the API's filters. */
export function TransactionsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries([...params.entries()].filter(([k]) => k !== 'page'));
  const page = Number(params.get('page') ?? '1');
  const wallets = useResource(() => api.get<{ items: WalletView[] }>('/v1/wallets'), []);
  const list = useResource(
    () => api.get<TransactionList>(`/v1/transactions${query({ ...filtersToQuery(filters), limit: PAGE, offset: (page - 1) * PAGE })}`),
    [params.toString()],
  );
  return (
    <Stack>
      <PageHeader title="Transactions" />
      <TransactionFilters
        key={params.toString()}
        value={filters}
        onChange={(f) => setParams(f)}
        extra={(draft, set) => (
          <Select
            label="Wallet"
            clearable
            data={(wallets.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.currency} · ${w.walletNumber}` }))}
            value={draft.walletId ?? null}
            onChange={(v) => set('walletId', v ?? '')}
          />
        )}
      />
      <ErrorNotice error={list.error} />
      {list.loading && <Loading label="Loading transactions" />}
      {list.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {list.data.total} transactions
          </Text>
          {list.data.items.length === 0 ? <Empty>No transaction matches.</Empty> : <TransactionTable items={list.data.items} />}
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
