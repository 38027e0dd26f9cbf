import { canonicalTimeZone } from '@tally/contracts';
import { spendingWindow } from './spending-window';

const at = (iso: string) => new Date(iso);
const window = (now: string, zone: string) => {
  const w = spendingWindow(at(now), zone);
  return { day: w.dayStart.toISOString(), month: w.monthStart.toISOString() };
};

describe('spendingWindow', () => {
  it('in UTC the day and month start at UTC midnight', () => {
    expect(window('2025-03-15T12:34:56.789Z', 'UTC')).toEqual({ day: '2025-03-15T00:00:00.000Z', month: '2025-03-01T00:00:00.000Z' });
  });

  describe('east of UTC (Asia/Tokyo, +09:00)', () => {
    it('one second before local midnight at the end of January is still 31 January', () => {
      // 2025-01-31T14:59:59Z is 23:59:59 on 31 January in Tokyo.
      expect(window('2025-01-31T14:59:59Z', 'Asia/Tokyo')).toEqual({ day: '2025-01-30T15:00:00.000Z', month: '2024-12-31T15:00:00.000Z' });
    });

    it('at local midnight a new day and a new month begin, while UTC is still on 31 January', () => {
      expect(window('2025-01-31T15:00:00Z', 'Asia/Tokyo')).toEqual({ day: '2025-01-31T15:00:00.000Z', month: '2025-01-31T15:00:00.000Z' });
    });
  });

  describe('west of UTC (America/New_York, -05:00 in winter)', () => {
    it('one second before local midnight is 31 January although UTC is on 1 February', () => {
      expect(window('2025-02-01T04:59:59Z', 'America/New_York')).toEqual({ day: '2025-01-31T05:00:00.000Z', month: '2025-01-01T05:00:00.000Z' });
    });

    it('at local midnight 1 February begins', () => {
      expect(window('2025-02-01T05:00:00Z', 'America/New_York')).toEqual({ day: '2025-02-01T05:00:00.000Z', month: '2025-02-01T05:00:00.000Z' });
    });

    it('follows daylight saving: the month began under EST, the day under EDT', () => {
      expect(window('2025-03-10T12:00:00Z', 'America/New_York')).toEqual({ day: '2025-03-10T04:00:00.000Z', month: '2025-03-01T05:00:00.000Z' });
    });

    it('on the day clocks go forward the day still starts at its (EST) midnight', () => {
      expect(window('2025-03-09T20:00:00Z', 'America/New_York').day).toBe('2025-03-09T05:00:00.000Z');
    });
  });

  it('a half-hour zone (Asia/Kolkata, +05:30) at the year end', () => {
    expect(window('2024-12-31T18:29:59Z', 'Asia/Kolkata')).toEqual({ day: '2024-12-30T18:30:00.000Z', month: '2024-11-30T18:30:00.000Z' });
    expect(window('2024-12-31T18:30:00Z', 'Asia/Kolkata')).toEqual({ day: '2024-12-31T18:30:00.000Z', month: '2024-12-31T18:30:00.000Z' });
  });

  it('the far east (Pacific/Kiritimati, +14:00) is a day ahead of UTC for ten hours', () => {
    expect(window('2025-06-30T10:00:00Z', 'Pacific/Kiritimati')).toEqual({ day: '2025-06-30T10:00:00.000Z', month: '2025-06-30T10:00:00.000Z' });
  });

  it('where daylight saving skips midnight the day starts when the clocks land (America/Santiago, 8 September 2024)', () => {
    // Clocks went from 00:00 (-04) to 01:00 (-03) at 04:00 UTC: 8 September starts at 01:00 local.
    expect(window('2024-09-08T15:00:00Z', 'America/Santiago').day).toBe('2024-09-08T04:00:00.000Z');
    expect(window('2024-09-08T03:59:59Z', 'America/Santiago').day).toBe('2024-09-07T04:00:00.000Z');
  });

  it('where clocks go back at midnight the repeated hour belongs to the day before (America/Santiago, 6 April 2025)', () => {
    // At 03:00 UTC, 24:00 (-03) became 23:00 on 5 April (-04); 6 April begins at 00:00 -04, 04:00 UTC.
    expect(window('2025-04-06T12:00:00Z', 'America/Santiago').day).toBe('2025-04-06T04:00:00.000Z');
  });
});

describe('canonicalTimeZone', () => {
  it('accepts IANA names and returns their canonical spelling', () => {
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
  });

  it('refuses what is not a zone name', () => {
    for (const bad of ['', 'Mars/Olympus_Mons', '+05:00', 'UTC+1', '../etc/passwd', 'Europe/Berlin ', 42, undefined, 'A'.repeat(65)]) {
      expect(canonicalTimeZone(bad)).toBeUndefined();
    }
  });
});
