import { NotificationChannels, NotificationEventType, NotificationEventTypes } from '@tally/contracts';

export type StoredEventChannels = Partial<Record<NotificationEventType, Partial<NotificationChannels>>>;

const CHANNELS: readonly (keyof NotificationChannels)[] = ['inApp', 'email', 'webhook'];

export function isNotificationEventType(value: unknown): value is NotificationEventType {
  return typeof value === 'string' && (NotificationEventTypes as readonly string[]).includes(value);
}

/**
 * What applies when the user stored nothing: in-app for everything, email for security notices
 * only, webhook on (a webhook still only receives the events it subscribed to).
 */
export function defaultChannels(type: NotificationEventType): NotificationChannels {
  return { inApp: true, email: type.startsWith('security.'), webhook: true };
}

/** The stored overrides merged over the defaults, for every known event type. */
export function effectivePreferences(stored: StoredEventChannels): Record<NotificationEventType, NotificationChannels> {
  const result = {} as Record<NotificationEventType, NotificationChannels>;
  for (const type of NotificationEventTypes) result[type] = { ...defaultChannels(type), ...stored[type] };
  return result;
}

export interface PreferenceProblem {
  field: string;
  problem: string;
}

/**
 * Checks a PUT body's `events` part: known event types only, and for each only the three channels
 * as booleans. Answers the problems (empty when valid) and the overrides to merge.
 */
export function checkEventChannels(events: unknown): { problems: PreferenceProblem[]; overrides: StoredEventChannels } {
  const problems: PreferenceProblem[] = [];
  const overrides: StoredEventChannels = {};
  if (events === undefined) return { problems, overrides };
  if (typeof events !== 'object' || events === null || Array.isArray(events)) {
    return { problems: [{ field: 'events', problem: 'must be an object keyed by event type' }], overrides };
  }
  for (const [type, channels] of Object.entries(events)) {
    if (!isNotificationEventType(type)) {
      problems.push({ field: `events.${type}`, problem: `unknown event type (one of ${NotificationEventTypes.join(', ')})` });
      continue;
    }
    if (typeof channels !== 'object' || channels === null || Array.isArray(channels)) {
      problems.push({ field: `events.${type}`, problem: 'must be an object of channels: inApp, email, webhook' });
      continue;
    }
    const set: Partial<NotificationChannels> = {};
    for (const [channel, on] of Object.entries(channels)) {
      if (!(CHANNELS as readonly string[]).includes(channel)) {
        problems.push({ field: `events.${type}.${channel}`, problem: 'unknown channel (one of inApp, email, webhook)' });
      } else if (typeof on !== 'boolean') {
        problems.push({ field: `events.${type}.${channel}`, problem: 'must be true or false' });
      } else {
        set[channel as keyof NotificationChannels] = on;
      }
    }
    overrides[type] = set;
  }
  return { problems, overrides };
}

/** Merges new overrides into the stored ones, channel by channel. */
export function mergeEventChannels(stored: StoredEventChannels, overrides: StoredEventChannels): StoredEventChannels {
  const merged: StoredEventChannels = { ...stored };
  for (const [type, channels] of Object.entries(overrides) as [NotificationEventType, Partial<NotificationChannels>][]) {
    merged[type] = { ...merged[type], ...channels };
  }
  return merged;
}
