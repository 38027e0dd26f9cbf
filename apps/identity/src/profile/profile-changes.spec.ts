import { DomainError } from '@tally/contracts';
import { profileChanges } from './profile-changes';

function problems(input: Record<string, unknown>): Record<string, string> | undefined {
  try {
    profileChanges(input);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION_FAILED');
    return (err as DomainError).details as Record<string, string>;
  }
}

describe('profileChanges', () => {
  it('sets only the fields sent, checked and normalised', () => {
    const changes = profileChanges({
      fullName: '  Siti Aminah ',
      timeZone: 'asia/kuala_lumpur',
      defaultCurrency: 'MYR',
      language: 'pt',
      theme: 'dark',
      phone: '+60 12-345 6789',
      username: 'siti.a',
    });
    expect(Object.fromEntries(changes)).toEqual({
      full_name: 'Siti Aminah',
      time_zone: 'Asia/Kuala_Lumpur',
      default_currency: 'MYR',
      language: 'pt',
      theme: 'dark',
      phone: '+60 12-345 6789',
      username: 'siti.a',
    });
    expect(profileChanges({}).size).toBe(0);
    expect(Object.fromEntries(profileChanges({ language: 'de' }))).toEqual({ language: 'de' });
  });

  it('clears phone, username and default currency with null, never the name, time zone, language or theme', () => {
    expect(Object.fromEntries(profileChanges({ phone: null, username: null, defaultCurrency: null }))).toEqual({
      phone: null,
      username: null,
      default_currency: null,
    });
    expect(Object.keys(problems({ fullName: null, timeZone: null, language: null, theme: null }) ?? {})).toEqual(['fullName', 'timeZone', 'language', 'theme']);
  });

  it('names every bad field at once', () => {
    expect(
      problems({
        fullName: '   ',
        phone: 'call me',
        username: 'a',
        timeZone: '+05:00',
        defaultCurrency: 'XXX',
        language: 'klingon',
        theme: 'neon',
      }),
    ).toEqual({
      fullName: 'must be 1 to 200 characters',
      phone: 'must be a phone number, or null to remove it',
      username: 'must be 3 to 32 letters, digits, _ . or -, or null to remove it',
      timeZone: 'must be an IANA time-zone name such as Asia/Kuala_Lumpur',
      defaultCurrency: 'must be a supported ISO 4217 code, or null',
      language: 'must be one of en, es, fr, de, pt',
      theme: 'must be one of light, dark',
    });
    expect(problems({ fullName: 'x'.repeat(201) })).toEqual({ fullName: 'must be 1 to 200 characters' });
    expect(problems({ timeZone: 'Mars/Olympus_Mons' })).toHaveProperty('timeZone');
    expect(problems({ defaultCurrency: 12 })).toHaveProperty('defaultCurrency');
  });
});
