import { Alert, Badge, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { ReactNode } from 'react';
import { ApiError } from './api';

/** The API's own message (and code), or what went wrong on the way; polite for screen readers. */
export function ErrorNotice({ error, title = 'That did not work' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  const message = api?.message ?? (error instanceof Error ? error.message : String(error));
  const problems = api?.details && typeof api.details === 'object' ? Object.entries(api.details).filter(([, v]) => typeof v === 'string') : [];
  return (
    <Alert color="red" variant="light" title={title} role="alert" data-testid="error">
      <Text size="sm">{message}</Text>
      {problems.length > 0 && (
        <ul>
          {problems.map(([field, problem]) => (
            <li key={field}>
              <Text size="sm">
                {field}: {String(problem)}
              </Text>
            </li>
          ))}
        </ul>
      )}
      {api && (
        <Text size="xs" c="dimmed">
          {api.code}
          {api.requestId ? ` · request ${api.requestId}` : ''}
        </Text>
      )}
    </Alert>
  );
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text size="sm">{label}…</Text>
      </Group>
    </Center>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
      <Title order={1} size="h2">
        {title}
      </Title>
      {children}
    </Group>
  );
}

const STATUS_COLOR: Record<string, string> = {
  completed: 'green',
  active: 'green',
  pending: 'yellow',
  open: 'yellow',
  running: 'blue',
  voided: 'gray',
  failed: 'red',
  reversed: 'grape',
  suspended: 'orange',
  frozen: 'orange',
  closed: 'gray',
  approved: 'green',
  rejected: 'red',
  expired: 'gray',
  high_risk: 'red',
  review: 'orange',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} variant="light" autoContrast>
      {status.replace(/_/g, ' ')}
    </Badge>
  );
}

/** A chart with a caption; the caption and `summary` say in words what the picture shows. */
export function ChartFigure({ caption, summary, children, testId }: { caption: string; summary: string; children: ReactNode; testId?: string }) {
  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <Stack gap={4}>
        <Title order={2} size="h4">
          <figcaption>{caption}</figcaption>
        </Title>
        <div role="img" aria-label={summary} style={{ width: '100%', height: 260 }}>
          {children}
        </div>
      </Stack>
    </figure>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" size="sm" py="md">
      {children}
    </Text>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}
