import type { AnyCommandContract } from './command-contract';
import { AnalyticsCommands } from './analytics-commands';
import { FraudCommands } from './fraud-commands';
import { IdentityCommands } from './identity-commands';
import { LedgerCommands } from './ledger-commands';
import { NotificationCommands, NotificationSettingsCommands } from './notification-commands';

/** Every command version the services answer; each service's command router has a route for each one on its topics. */
export const COMMAND_CONTRACTS: readonly AnyCommandContract[] = [
  ...Object.values(IdentityCommands),
  ...Object.values(LedgerCommands),
  ...Object.values(FraudCommands),
  ...Object.values(AnalyticsCommands),
  ...Object.values(NotificationCommands),
  ...Object.values(NotificationSettingsCommands),
];
