/**
 * Log lines never carry whole personal data or secrets: JsonLogger passes every line through
 * redactPii. Fields named like secrets are dropped, emails and phone numbers are masked wherever
 * they appear (as a field or inside a message).
 */
const SECRET_KEY = /pass(word)?|^pin$|pin$|secret|token|authorization|api[-_]?key|cookie/i;
const EMAIL_KEY = /e-?mail/i;
const PHONE_KEY = /phone|mobile|msisdn/i;
const EMAIL = /([\w.+-])[\w.+-]*@([\w-])[\w.-]*\.([a-z]{2,})/gi;

/** "ann.lee@example.com" -> "a***@e***.com": enough to tell two addresses apart in a log, not to mail them. */
export function maskEmail(email: string): string {
  return email.replace(EMAIL, (_m, first: string, domainFirst: string, tld: string) => `${first}***@${domainFirst}***.${tld}`);
}

/** All but the last two digits masked: "+60 12-345 6789" -> "*********89". */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 2) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 2) + digits.slice(-2);
}

export function redactPii(value: unknown, key = '', depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) return '[redacted]';
    if (PHONE_KEY.test(key)) return maskPhone(value);
    // Emails are masked in any field, including free text such as an error message.
    return EMAIL_KEY.test(key) || value.includes('@') ? maskEmail(value) : value;
  }
  if (value === null || typeof value !== 'object') return SECRET_KEY.test(key) && value !== undefined ? '[redacted]' : value;
  if (Array.isArray(value)) return value.map((v) => redactPii(v, key, depth + 1));
  if (SECRET_KEY.test(key)) return '[redacted]';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactPii(v, k, depth + 1);
  return out;
}
