import { Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { FormEvent, ReactNode, useState } from 'react';
import { useReference } from './reference';

export type Filters = Record<string, string>;

/** api-v1 fixes these. */
const TRANSACTION_STATUSES = ['pending', 'completed', 'failed', 'voided', 'reversed'];
const FIELDS = ['type', 'status', 'merchantCategory', 'from', 'to', 'minAmount', 'maxAmount'];

/** GET /v1/transactions' filters as a form; dates are whole UTC days (to is inclusive here, exclusive in the API). */
export function TransactionFilters({
  value,
  onChange,
  extra,
}: {
  value: Filters;
  onChange: (f: Filters) => void;
  extra?: (f: Filters, set: (k: string, v: string) => void) => ReactNode;
}) {
  const { transactionTypes } = useReference();
  const [draft, setDraft] = useState<Filters>(value);
  const set = (key: string, v: string) => setDraft((d) => ({ ...d, [key]: v }));
  function submit(e: FormEvent) {
    e.preventDefault();
    onChange(Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== '' && v !== undefined)));
  }
  return (
    <form onSubmit={submit} aria-label="Filter transactions">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {extra?.(draft, set)}
        <Select label="Type" clearable data={transactionTypes} value={draft.type ?? null} onChange={(v) => set('type', v ?? '')} />
        <Select label="Status" clearable data={TRANSACTION_STATUSES} value={draft.status ?? null} onChange={(v) => set('status', v ?? '')} />
        <TextInput
          label="Merchant category"
          placeholder="food_beverage"
          value={draft.merchantCategory ?? ''}
          onChange={(e) => set('merchantCategory', e.currentTarget.value)}
        />
        <TextInput label="From (day)" type="date" value={draft.fromDay ?? ''} onChange={(e) => set('fromDay', e.currentTarget.value)} />
        <TextInput label="To (day, inclusive)" type="date" value={draft.toDay ?? ''} onChange={(e) => set('toDay', e.currentTarget.value)} />
        <TextInput label="Minimum amount" inputMode="decimal" value={draft.minAmount ?? ''} onChange={(e) => set('minAmount', e.currentTarget.value)} />
        <TextInput label="Maximum amount" inputMode="decimal" value={draft.maxAmount ?? ''} onChange={(e) => set('maxAmount', e.currentTarget.value)} />
      </SimpleGrid>
      <Group mt="sm">
        <Button type="submit">Apply filters</Button>
        <Button
          variant="default"
          onClick={() => {
            setDraft({});
            onChange({});
          }}
        >
          Clear
        </Button>
      </Group>
    </form>
  );
}

/** The form's fields as the API's query (UTC day bounds to instants). */
export function filtersToQuery(filters: Filters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const key of [...FIELDS, 'userId', 'walletId']) if (filters[key]) q[key] = filters[key];
  if (filters.fromDay) q.from = `${filters.fromDay}T00:00:00.000Z`;
  if (filters.toDay) q.to = new Date(Date.parse(`${filters.toDay}T00:00:00.000Z`) + 86_400_000).toISOString();
  return q;
}
