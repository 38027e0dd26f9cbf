const ZONES = ['UTC', 'Asia/Kuala_Lumpur', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Auckland'];

/**
 * An IANA zone where the local hour is between 08:00 and 20:00 at `now`: a wallet opened in it is
 * not scored by fraud's off-hours rule (23:00-05:00 local) for the next few hours, whenever a test runs.
 */
export function daytimeZone(now: Date = new Date()): string {
  const hour = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
  const zone = ZONES.find((z) => hour(z) >= 8 && hour(z) <= 20);
  if (!zone) throw new Error(`no daytime zone among ${ZONES.join(', ')}`);
  return zone;
}
