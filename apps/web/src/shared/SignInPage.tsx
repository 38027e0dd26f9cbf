import { Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { asksForSecondFactor } from './second-factor';
import { useSession } from './session';
import { ErrorNotice } from './ui';
import { useAction } from './use-action';

/**
 * Email and password; when the API asks for a second factor (admins and auditors), a code field appears
 * and the sign-in is sent again with `code`.
 */
export function SignInPage({ title, subtitle, onSignedIn }: { title: string; subtitle: string; onSignedIn?: () => void }) {
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const action = useAction();
  const submit = (e: FormEvent) =>
    action.run(async () => {
      try {
        await signIn({ email: email.trim(), password, code: needsCode ? code.trim() : undefined });
        onSignedIn?.();
      } catch (err) {
        // Asked for a second factor: show the code field rather than an error.
        if (!asksForSecondFactor(err) || needsCode) throw err;
        setNeedsCode(true);
      }
    }, e);

  return (
    <Container size={420} py={64}>
      <Title order={1} ta="center">
        {title}
      </Title>
      <Text c="dimmed" size="sm" ta="center" mt={5}>
        {subtitle}
      </Text>
      <Paper withBorder shadow="sm" p="lg" mt="xl" radius="md" component="form" onSubmit={submit} aria-label="Sign in">
        <Stack>
          <TextInput label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          {needsCode && (
            <TextInput
              label="Authenticator code"
              description="Enter the 6-digit code from your authenticator app"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
            />
          )}
          <ErrorNotice error={action.error} title="Could not sign in" />
          <Button type="submit" loading={action.busy} fullWidth>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}
