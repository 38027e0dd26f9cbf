const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * The IANA time-zone name to store ("europe/berlin" → "Europe/Berlin"), or undefined when it is
 * not one. Offsets such as "+05:00" are refused: a name follows the zone's daylight-saving rules,
 * a fixed offset would silently stop matching the holder's clock. A name that ICU knows under an
 * older alias ("Asia/Kolkata" is "Asia/Calcutta" to ICU) is kept as the caller wrote it.
 */
export function canonicalTimeZone(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length > 64 || !IANA_NAME.test(name)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}
