import { Text } from '@mantine/core';
import { Route, Routes } from 'react-router';
import { AppFrame, NavItem } from '../shared/AppFrame';
import { useSession } from '../shared/session';
import { SignInPage } from '../shared/SignInPage';
import { BudgetsPage } from './pages/BudgetsPage';
import { GoalsPage } from './pages/GoalsPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { OverviewPage } from './pages/OverviewPage';
import { SendPage } from './pages/SendPage';
import { SpendingPage } from './pages/SpendingPage';
import { TransactionsPage } from './pages/TransactionsPage';

const NAV: NavItem[] = [
  { to: '/', label: 'Overview' },
  { to: '/send', label: 'Send money' },
  { to: '/transactions', label: 'Transactions' },
  { to: '/spending', label: 'Spending' },
  { to: '/budgets', label: 'Budgets' },
  { to: '/goals', label: 'Goals' },
  { to: '/notifications', label: 'Notifications' },
];

/** The user's web app: their wallets and money, over the public API with their own token. */
export function UserApp() {
  const { user } = useSession();
  if (!user) return <SignInPage title="Tally" subtitle="Sign in to your wallets" />;
  return (
    <AppFrame product="Tally" nav={NAV}>
      <Routes>
        <Route path="/" element={<OverviewPage />} />
        <Route path="/send" element={<SendPage />} />
        <Route path="/transactions" element={<TransactionsPage />} />
        <Route path="/spending" element={<SpendingPage />} />
        <Route path="/budgets" element={<BudgetsPage />} />
        <Route path="/goals" element={<GoalsPage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="*" element={<Text>There is no such page.</Text>} />
      </Routes>
    </AppFrame>
  );
}
