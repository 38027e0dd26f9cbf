import { DomainError } from '@tally/contracts';

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * A point in time from the API: ISO 8601 with a date, a time and a zone ("2025-01-31T12:00:00Z",
 * "2025-01-31T14:00+02:00"), a real calendar date, and not after `now`. Returns the instant and
 * the text as given, which keeps microseconds for Postgres.
 */
export function parsePastInstant(field: string, value: unknown, now: Date): { at: Date; text: string } {
  const invalid = () => new DomainError('VALIDATION_FAILED', `${field} must be an ISO 8601 time with a zone, e.g. 2025-01-31T12:00:00Z`, { [field]: value });
  if (typeof value !== 'string') throw invalid();
  const m = ISO_INSTANT.exec(value);
  if (!m) throw invalid();
  const [year, month, day, hour, minute, second, zoneHours, zoneMinutes] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || zoneHours > 23 || zoneMinutes > 59) {
    throw invalid();
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw invalid();
  if (at.getTime() > now.getTime()) {
    throw new DomainError('VALIDATION_FAILED', `${field} cannot be in the future`, { [field]: value });
  }
  return { at, text: value };
}
