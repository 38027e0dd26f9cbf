import { Button, ButtonProps, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { FormEvent, useState } from 'react';
import { ErrorNotice } from './ui';
import { useAction } from './use-action';

/**
 * A button that asks for a reason, confirms and runs an admin action; the API's refusal is shown in
 * the dialog. `reasonRequired` follows what the route demands.
 */
export function ReasonAction({
  label,
  title,
  description,
  confirmLabel,
  reasonRequired = true,
  disabled,
  color,
  variant,
  onConfirm,
}: {
  label: string;
  title: string;
  description?: string;
  confirmLabel?: string;
  reasonRequired?: boolean;
  disabled?: boolean;
  color?: string;
  variant?: ButtonProps['variant'];
  onConfirm: (reason: string) => Promise<unknown>;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = (e: FormEvent) =>
    action.run(async () => {
      await onConfirm(reason.trim());
      setReason('');
      close();
    }, e);

  return (
    <>
      <Button size="xs" color={color} variant={variant ?? 'light'} disabled={disabled} onClick={open}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered>
        <form onSubmit={submit}>
          <Stack>
            {description && <Text size="sm">{description}</Text>}
            <Textarea
              label="Reason"
              description={reasonRequired ? 'Recorded in the audit log' : 'Optional; recorded in the audit log'}
              required={reasonRequired}
              maxLength={500}
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-autofocus
            />
            <ErrorNotice error={action.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color={color} loading={action.busy}>
                {confirmLabel ?? label}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
