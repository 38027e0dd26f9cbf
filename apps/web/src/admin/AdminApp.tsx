import { Button, Container, Text, Title } from '@mantine/core';
import { Route, Routes } from 'react-router';
import { AppFrame, NavItem } from '../shared/AppFrame';
import { useSession } from '../shared/session';
import { SignInPage } from '../shared/SignInPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { DashboardPage } from './pages/DashboardPage';
import { LedgerPage } from './pages/LedgerPage';
import { ReviewsPage } from './pages/ReviewsPage';
import { RulesPage } from './pages/RulesPage';
import { TransactionDetailPage } from './pages/TransactionDetailPage';
import { TransactionsPage } from './pages/TransactionsPage';
import { UserDetailPage } from './pages/UserDetailPage';
import { UsersPage } from './pages/UsersPage';

const NAV: NavItem[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/users', label: 'Users' },
  { to: '/transactions', label: 'Transactions' },
  { to: '/reviews', label: 'Fraud reviews' },
  { to: '/rules', label: 'Fraud rules' },
  { to: '/audit', label: 'Audit log' },
  { to: '/ledger', label: 'Ledger' },
];

/** The admin console: admins act, auditors read (every acting control is disabled for them, and the API refuses it anyway). */
export function AdminApp() {
  const { user, hasRole, signOut } = useSession();
  if (!user) return <SignInPage title="Tally admin console" subtitle="Sign in with an admin or auditor account" />;
  if (!hasRole('admin', 'auditor')) {
    return (
      <Container size={480} py={64}>
        <Title order={1} size="h2">
          No access
        </Title>
        <Text mt="sm">{user.email} has neither the admin nor the auditor role.</Text>
        <Button mt="md" onClick={() => void signOut()}>
          Sign in as someone else
        </Button>
      </Container>
    );
  }
  return (
    <AppFrame product={hasRole('admin') ? 'Tally admin' : 'Tally admin · read only'} nav={NAV}>
      <Routes>
        <Route path="/" element={<DashboardPage />} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/users/:id" element={<UserDetailPage />} />
        <Route path="/transactions" element={<TransactionsPage />} />
        <Route path="/transactions/:id" element={<TransactionDetailPage />} />
        <Route path="/reviews" element={<ReviewsPage />} />
        <Route path="/rules" element={<RulesPage />} />
        <Route path="/audit" element={<AuditLogPage />} />
        <Route path="/ledger" element={<LedgerPage />} />
        <Route path="*" element={<Text>There is no such page.</Text>} />
      </Routes>
    </AppFrame>
  );
}

/** Whether the signed-in user may act (admin), not only read (auditor). */
export function useCanAct(): boolean {
  return useSession().hasRole('admin');
}
