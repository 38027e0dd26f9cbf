import { canonicalTimeZone, DomainError, PROFILE_LANGUAGES, PROFILE_THEMES, UpdateProfilePayload } from '@tally/contracts';
import { isSupportedCurrency } from '@tally/money';
import { PHONE, USERNAME } from '../users/profile-rules';

/** The identity.users columns PATCH /v1/me may set, by payload field: the only names that reach the SQL. */
const COLUMNS = {
  fullName: 'full_name',
  phone: 'phone',
  username: 'username',
  timeZone: 'time_zone',
  defaultCurrency: 'default_currency',
  language: 'language',
  theme: 'theme',
} as const;

export type ProfileColumn = (typeof COLUMNS)[keyof typeof COLUMNS];

/**
 * The columns a profile update sets, each value checked; every problem is named at once (400
 * VALIDATION_FAILED with one entry per field). Fields left out do not change.
 */
export function profileChanges(input: UpdateProfilePayload): Map<ProfileColumn, string | null> {
  const changes = new Map<ProfileColumn, string | null>();
  const problems: Record<string, string> = {};
  const check = (field: keyof typeof COLUMNS, value: string | null | undefined, problem: string) => {
    if (value === undefined) problems[field] = problem;
    else changes.set(COLUMNS[field], value);
  };
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const orNull = (value: unknown, ok: (v: string) => boolean) => (value === null ? null : typeof value === 'string' && ok(value) ? value : undefined);

  if (input.fullName !== undefined) {
    const name = text(input.fullName)?.trim();
    check('fullName', name && name.length <= 200 ? name : undefined, 'must be 1 to 200 characters');
  }
  if (input.phone !== undefined)
    check(
      'phone',
      orNull(input.phone, (v) => PHONE.test(v)),
      'must be a phone number, or null to remove it',
    );
  if (input.username !== undefined) {
    check(
      'username',
      orNull(input.username, (v) => USERNAME.test(v)),
      'must be 3 to 32 letters, digits, _ . or -, or null to remove it',
    );
  }
  if (input.timeZone !== undefined) check('timeZone', canonicalTimeZone(input.timeZone), 'must be an IANA time-zone name such as Asia/Kuala_Lumpur');
  if (input.defaultCurrency !== undefined) {
    check('defaultCurrency', orNull(input.defaultCurrency, isSupportedCurrency), 'must be a supported ISO 4217 code, or null');
  }
  if (input.language !== undefined) {
    check('language', oneOf(input.language, PROFILE_LANGUAGES), `must be one of ${PROFILE_LANGUAGES.join(', ')}`);
  }
  if (input.theme !== undefined) check('theme', oneOf(input.theme, PROFILE_THEMES), `must be one of ${PROFILE_THEMES.join(', ')}`);

  if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The profile update is invalid', problems);
  return changes;
}

function oneOf(value: unknown, allowed: readonly string[]): string | undefined {
  return typeof value === 'string' && allowed.includes(value) ? value : undefined;
}
