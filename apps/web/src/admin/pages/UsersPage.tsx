import { Anchor, Badge, Button, Group, Pagination, Stack, Table, Text, TextInput } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AdminUserView, Page } from '@tally/contracts';
import { query } from '../../shared/api';
import { useApi } from '../../shared/session';
import { Empty, ErrorNotice, formatTime, Loading, PageHeader, StatusBadge } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';

const PAGE = 25;

/** Search by email, name or wallet number; the list is masked the seed's way. */
export function UsersPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1');
  const [text, setText] = useState(q);
  const users = useResource(
    () =>
      api.get<Page<AdminUserView>>(
        `/v1/admin/users${query({ q: q || undefined, limit: PAGE, offset: (page - 1) * PAGE, sortBy: 'createdAt', sortOrder: 'desc' })}`,
      ),
    [q, page],
  );

  function search(e: FormEvent) {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  }

  return (
    <Stack>
      <PageHeader title="Users" />
      <form onSubmit={search} role="search" aria-label="Search users">
        <Group align="flex-end">
          <TextInput
            label="Search"
            description="Part of an email, name or username, or a wallet number (WA…)"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      <ErrorNotice error={users.error} />
      {users.loading && <Loading label="Loading users" />}
      {users.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {users.data.total} {users.data.total === 1 ? 'user' : 'users'}
          </Text>
          {users.data.items.length === 0 ? (
            <Empty>No user matches.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Phone</Table.Th>
                    <Table.Th>Roles</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Joined</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.data.items.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/users/${u.id}`}>
                          {u.fullName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{u.email}</Table.Td>
                      <Table.Td>{u.phone ?? '—'}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {u.roles.map((r) => (
                            <Badge key={r} variant="outline" size="sm">
                              {r}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={u.status} />
                      </Table.Td>
                      <Table.Td>{formatTime(u.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {users.data.total > PAGE && (
            <Pagination
              total={Math.ceil(users.data.total / PAGE)}
              value={page}
              onChange={(p) => setParams({ ...(q ? { q } : {}), page: String(p) })}
              aria-label="Pages of users"
            />
          )}
        </>
      )}
    </Stack>
  );
}
