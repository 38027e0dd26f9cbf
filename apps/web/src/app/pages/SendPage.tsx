import { Alert, Button, Card, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { FormEvent, useState } from 'react';
import type { TransactionView, WalletView } from '@tally/contracts';
import { newIdempotencyKey } from '../../shared/api';
import { formatMoney, isAmountText } from '../../shared/money';
import { useApi } from '../../shared/session';
import { ErrorNotice, Loading, PageHeader } from '../../shared/ui';
import { useResource } from '../../shared/use-resource';
import { useAction } from '../../shared/use-action';

/** A transfer to another wallet number, confirmed with the sending wallet's PIN; a fee applies. */
export function SendPage() {
  const api = useApi();
  const wallets = useResource(() => api.get<{ items: WalletView[] }>('/v1/wallets'), []);
  const [fromWalletId, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [pin, setPin] = useState('');
  const [sent, setSent] = useState<{ tx: TransactionView; pending: boolean }>();
  const action = useAction();
  // One key per attempt: a resubmission after a network failure is the same transfer, never a second one.
  const [idempotencyKey, setKey] = useState(newIdempotencyKey);

  const active = (wallets.data?.items ?? []).filter((w) => w.status === 'active');
  const from = fromWalletId ?? active[0]?.id ?? null;
  const wallet = active.find((w) => w.id === from);

  async function submit(e: FormEvent) {
    setSent(undefined);
    const done = await action.run(async () => {
      if (!isAmountText(amount)) throw new Error('Enter the amount as a number such as 25.00');
      const tx = await api.post<TransactionView>(
        '/v1/transfers',
        {
          fromWalletId: from,
          toWalletNumber: to.trim().toUpperCase(),
          amount: amount.trim(),
          pin,
          ...(description.trim() ? { description: description.trim() } : {}),
        },
        idempotencyKey,
      );
      setSent({ tx, pending: tx.status === 'pending' });
      setAmount('');
      setKey(newIdempotencyKey());
      wallets.reload();
    }, e);
    // The PIN is never left in the form, sent or not.
    setPin('');
    return done;
  }

  if (wallets.loading && !wallets.data) return <Loading label="Loading your wallets" />;
  return (
    <Stack maw={560}>
      <PageHeader title="Send money" />
      <ErrorNotice error={wallets.error} />
      {sent && (
        <Alert color={sent.pending ? 'yellow' : 'green'} title={sent.pending ? 'Sent for review' : 'Sent'} role="status" data-testid="transfer-result">
          <Text size="sm">
            {formatMoney(sent.tx.amount, sent.tx.currency)} to {sent.tx.counterpartyWalletNumber} — {sent.tx.status}
            {sent.tx.fee !== '0.00' ? `, fee ${formatMoney(sent.tx.fee, sent.tx.currency)}` : ''}.
          </Text>
          {sent.pending && <Text size="sm">It is held while it is checked; you will be notified when it completes.</Text>}
        </Alert>
      )}
      <Card withBorder component="form" onSubmit={submit} aria-label="Send money">
        <Stack>
          <Select
            label="From wallet"
            data={active.map((w) => ({ value: w.id, label: `${w.currency} · ${w.walletNumber} · ${formatMoney(w.available, w.currency)} available` }))}
            value={from}
            onChange={setFrom}
            allowDeselect={false}
            required
          />
          <TextInput label="To wallet number" placeholder="WA000000000000" required value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          <TextInput
            label={`Amount${wallet ? ` (${wallet.currency})` : ''}`}
            inputMode="decimal"
            required
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
          />
          <TextInput label="Note (optional)" maxLength={200} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <PasswordInput
            label="PIN"
            description="The sending wallet's PIN"
            inputMode="numeric"
            autoComplete="off"
            required
            value={pin}
            onChange={(e) => setPin(e.currentTarget.value)}
          />
          <ErrorNotice error={action.error} title="The money was not sent" />
          <Button type="submit" loading={action.busy} disabled={!from}>
            Send
          </Button>
        </Stack>
      </Card>
    </Stack>
  );
}
