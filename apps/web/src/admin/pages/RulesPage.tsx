import { Button, Card, Group, NumberInput, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { FraudRuleView } from '@tally/contracts';
import { useApi } from '../../shared/session';
import { ErrorNotice, formatTime, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';
import { useCanAct } from '../AdminApp';
import { useAction } from '../../shared/use-action';

function RuleEditor({ rule, onSaved }: { rule: FraudRuleView; onSaved: () => void }) {
  const api = useApi();
  const canAct = useCanAct();
  const [weight, setWeight] = useState<number | string>(rule.weight);
  const [enabled, setEnabled] = useState(rule.enabled);
  const [parameters, setParameters] = useState(JSON.stringify(rule.parameters, null, 2));
  const action = useAction();
  const save = () =>
    action.run(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(parameters);
      } catch {
        throw new Error('Parameters must be JSON, e.g. {"maxCount": 5}');
      }
      await api.patch(`/v1/admin/fraud/rules/${rule.code}`, { weight: Number(weight), enabled, parameters: parsed });
      onSaved();
    });
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Title order={2} size="h4">
          {rule.flag}
        </Title>
        <Text size="xs" c="dimmed">
          {rule.code} · changed {formatTime(rule.updatedAt)}
        </Text>
      </Group>
      <Text size="sm" mb="sm">
        {rule.description}
      </Text>
      <Group align="flex-start">
        <NumberInput label="Weight (points)" min={0} max={100} value={weight} onChange={setWeight} disabled={!canAct} w={140} />
        <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} disabled={!canAct} mt={28} />
        <Textarea
          label="Parameters"
          autosize
          minRows={2}
          value={parameters}
          onChange={(e) => setParameters(e.currentTarget.value)}
          disabled={!canAct}
          style={{ flex: 1, minWidth: 220 }}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
      </Group>
      <ErrorNotice error={action.error} title="The rule was not saved" />
      <Button mt="sm" size="xs" onClick={() => void save()} loading={action.busy} disabled={!canAct}>
        Save
      </Button>
    </Card>
  );
}

/** The fraud rules as data: weight, switch and parameters per rule, every change audited. */
export function RulesPage() {
  const api = useApi();
  const rules = useResource(() => api.get<{ items: FraudRuleView[] }>('/v1/admin/fraud/rules'), []);
  return (
    <Stack>
      <PageHeader title="Fraud rules" />
      <Text size="sm">A transaction scoring 60 or more is held for review; the score is the sum of the weights of the rules it hits (at most 100).</Text>
      <ErrorNotice error={rules.error} />
      {rules.loading && !rules.data && <Loading label="Loading rules" />}
      {rules.data?.items.map((rule) => (
        <RuleEditor key={`${rule.code}-${rule.updatedAt}`} rule={rule} onSaved={rules.reload} />
      ))}
    </Stack>
  );
}
