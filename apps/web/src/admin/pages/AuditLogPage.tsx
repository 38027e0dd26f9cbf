import { Anchor, Button, Group, Pagination, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AuditLogEntryView, Page } from '@tally/contracts';
import { query } from '../../shared/api';
import { useApi } from '../../shared/session';
import { Empty, ErrorNotice, formatTime, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';

const PAGE = 50;
const FIELDS = ['actorId', 'userId', 'action', 'fromDay', 'toDay'] as const;

/** Every admin action and security event of every service, with who, from where and why. */
export function AuditLogPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1');
  const [draft, setDraft] = useState<Record<string, string>>(() => Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])));
  const fromDay = params.get('fromDay');
  const toDay = params.get('toDay');
  const log = useResource(
    () =>
      api.get<Page<AuditLogEntryView>>(
        `/v1/admin/audit-logs${query({
          actorId: params.get('actorId'),
          userId: params.get('userId'),
          action: params.get('action'),
          from: fromDay ? `${fromDay}T00:00:00.000Z` : undefined,
          to: toDay ? new Date(Date.parse(`${toDay}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
          limit: PAGE,
          offset: (page - 1) * PAGE,
        })}`,
      ),
    [params.toString()],
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(
      Object.fromEntries(
        Object.entries(draft)
          .filter(([, v]) => v.trim() !== '')
          .map(([k, v]) => [k, v.trim()]),
      ),
    );
  }
  return (
    <Stack>
      <PageHeader title="Audit log" />
      <form onSubmit={submit} aria-label="Filter the audit log">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }}>
          <TextInput label="Actor id" value={draft.actorId} onChange={(e) => setDraft({ ...draft, actorId: e.currentTarget.value })} />
          <TextInput label="User id" value={draft.userId} onChange={(e) => setDraft({ ...draft, userId: e.currentTarget.value })} />
          <TextInput
            label="Action"
            placeholder="fraud.review.approved"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
          />
          <TextInput label="From (day)" type="date" value={draft.fromDay} onChange={(e) => setDraft({ ...draft, fromDay: e.currentTarget.value })} />
          <TextInput label="To (day, inclusive)" type="date" value={draft.toDay} onChange={(e) => setDraft({ ...draft, toDay: e.currentTarget.value })} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit">Apply filters</Button>
        </Group>
      </form>
      <ErrorNotice error={log.error} />
      {log.loading && <Loading label="Loading the audit log" />}
      {log.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {log.data.total} entries
          </Text>
          {log.data.items.length === 0 ? (
            <Empty>Nothing matches.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={960}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Source</Table.Th>
                    <Table.Th>Action</Table.Th>
                    <Table.Th>Actor</Table.Th>
                    <Table.Th>Target</Table.Th>
                    <Table.Th>Reason</Table.Th>
                    <Table.Th>IP</Table.Th>
                    <Table.Th>User agent</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {log.data.items.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td>{formatTime(e.occurredAt)}</Table.Td>
                      <Table.Td>{e.source}</Table.Td>
                      <Table.Td>{e.action}</Table.Td>
                      <Table.Td>
                        {e.actorId ? (
                          <Anchor component={Link} to={`/users/${e.actorId}`}>
                            {e.actorId.slice(-8)}
                          </Anchor>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td>
                        {e.targetType === 'transaction' && e.targetId ? (
                          <Anchor component={Link} to={`/transactions/${e.targetId}`}>
                            transaction
                          </Anchor>
                        ) : e.targetType === 'user' && e.targetId ? (
                          <Anchor component={Link} to={`/users/${e.targetId}`}>
                            user
                          </Anchor>
                        ) : (
                          `${e.targetType ?? ''} ${e.targetId ?? ''}`.trim() || '—'
                        )}
                      </Table.Td>
                      <Table.Td>{e.reason ?? '—'}</Table.Td>
                      <Table.Td>{e.ip ?? '—'}</Table.Td>
                      <Table.Td>
                        <Text size="xs" lineClamp={2}>
                          {e.userAgent ?? '—'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {log.data.total > PAGE && (
            <Pagination
              total={Math.ceil(log.data.total / PAGE)}
              value={page}
              onChange={(p) => setParams({ ...Object.fromEntries(params.entries()), page: String(p) })}
              aria-label="Pages of the audit log"
            />
          )}
        </>
      )}
    </Stack>
  );
}
