import { Button, Card, Group, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import type { NotificationView, Page } from '@tally/contracts';
import { useApi } from '../../shared/session';
import { Empty, ErrorNotice, formatTime, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';
import { useAction } from '../../shared/use-action';

/** In-app notifications, newest first; marking one read. */
export function NotificationsPage() {
  const api = useApi();
  const [unread, setUnread] = useState(false);
  const action = useAction();
  const list = useResource(() => api.get<Page<NotificationView>>(`/v1/me/notifications?limit=50${unread ? '&unread=true' : ''}`), [unread]);
  const markRead = (id: string) =>
    action.run(async () => {
      await api.post(`/v1/me/notifications/${id}/read`);
      list.reload();
    });
  return (
    <Stack>
      <PageHeader title="Notifications">
        <Switch label="Unread only" checked={unread} onChange={(e) => setUnread(e.currentTarget.checked)} />
      </PageHeader>
      <ErrorNotice error={list.error ?? action.error} />
      {list.loading && !list.data && <Loading label="Loading notifications" />}
      {list.data && list.data.items.length === 0 && <Empty>Nothing here.</Empty>}
      {list.data?.items.map((n) => (
        <Card withBorder key={n.id} data-testid="notification" bg={n.readAt ? undefined : 'indigo.0'}>
          <Group justify="space-between" wrap="wrap">
            <Text fw={n.readAt ? 400 : 700}>{n.title}</Text>
            <Text size="xs" c="dimmed">
              {formatTime(n.createdAt)}
            </Text>
          </Group>
          <Text size="sm">{n.body}</Text>
          {!n.readAt && (
            <Button size="xs" variant="subtle" mt={4} onClick={() => void markRead(n.id)} aria-label={`Mark "${n.title}" read`}>
              Mark read
            </Button>
          )}
        </Card>
      ))}
    </Stack>
  );
}
