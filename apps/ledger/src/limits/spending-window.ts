/**
 * Daily and monthly limits count spending since the start of the wallet holder's calendar day and
 * month in their own time zone (an IANA name such as "Europe/Berlin"). The windows are computed
 * here, from the time-zone data that Node's Intl carries, and handed to SQL as two instants.
 */

export interface SpendingWindow {
  /** First instant of the local calendar day that contains `now`. */
  dayStart: Date;
  /** First instant of the local calendar month that contains `now`. */
  monthStart: Date;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The start of the local day and month containing `now` in `timeZone` (a valid IANA name). */
export function spendingWindow(now: Date, timeZone: string): SpendingWindow {
  const local = localTime(now.getTime(), timeZone);
  return {
    dayStart: new Date(startOfLocalDay(local.year, local.month, local.day, timeZone)),
    monthStart: new Date(startOfLocalDay(local.year, local.month, 1, timeZone)),
  };
}

/**
 * The first instant whose local date is year-month-day. Usually that is local midnight; where a
 * daylight-saving jump skips midnight (America/Santiago in September) the day starts when the
 * clocks land after the jump.
 */
function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const wallClock = Date.UTC(year, month - 1, day);
  // Local midnight is wallClock minus the offset in force then; offsets lie within -12 h..+14 h, so
  // the offsets either side of that range cover any change on the way.
  const candidates = [-14, 0, 14].map((h) => wallClock - offsetAt(wallClock + h * HOUR_MS, timeZone));
  const midnights = candidates.filter((t) => {
    const l = localTime(t, timeZone);
    return l.year === year && l.month === month && l.day === day && l.hour === 0 && l.minute === 0 && l.second === 0;
  });
  if (midnights.length > 0) return Math.min(...midnights);
  // Midnight does not exist that day: search (to the second) for the first instant of the date.
  const target = year * 10_000 + month * 100 + day;
  let before = Math.floor((wallClock - 15 * HOUR_MS) / 1000);
  let onOrAfter = Math.ceil((wallClock + 13 * HOUR_MS) / 1000);
  while (onOrAfter - before > 1) {
    const mid = Math.floor((before + onOrAfter) / 2);
    const l = localTime(mid * 1000, timeZone);
    if (l.year * 10_000 + l.month * 100 + l.day >= target) onOrAfter = mid;
    else before = mid;
  }
  return onOrAfter * 1000;
}

/** How far local clock time is ahead of UTC at an instant, in milliseconds (whole seconds). */
function offsetAt(instant: number, timeZone: string): number {
  const l = localTime(instant, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

function localTime(instant: number, timeZone: string): LocalTime {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}
