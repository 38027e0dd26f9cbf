import { AppShell, Burger, Button, Group, NavLink, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { ReactNode } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { useSession } from './session';

export interface NavItem {
  to: string;
  label: string;
}

/** Header, navigation (a drawer behind a burger on a phone's width), and the page. */
export function AppFrame({ product, nav, children }: { product: string; nav: NavItem[]; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  // Below the sm breakpoint the folded navigation is not rendered at all, so neither the keyboard nor a screen reader lands in it.
  const phone = useMediaQuery('(max-width: 48em)');
  const showLinks = !phone || opened;
  const { user, signOut } = useSession();
  const location = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
            <Title order={2} size="h4">
              {product}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" truncate maw={220}>
              <VisuallyHidden>Signed in as </VisuallyHidden>
              {user?.fullName}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {showLinks &&
          nav.map((item) => (
            <NavLink
              key={item.to}
              component={RouterLink}
              to={item.to}
              end={item.to === '/'}
              label={item.label}
              active={item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)}
              onClick={close}
            />
          ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
