import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { ApiClient } from './api-client';
import { REPO_ROOT } from './local-kafka';

export interface TotpLogin {
  email: string;
  password: string;
  /** The account's base32 TOTP seed (the bootstrap admin's TALLY_ADMIN_TOTP_SECRET in tests and dev). */
  totpSecret: string;
}

export interface SignedIn {
  accessToken: string;
  user: { id: string; email: string; roles: string[] };
}

const STEP_SECONDS = 30;

/** The RFC 6238 code of a seed for a time step (default: now), as an authenticator app shows it. */
export function totpCode(secret: string, step = Math.floor(Date.now() / 1000 / STEP_SECONDS)): string {
  return generateSync({ secret, epoch: step * STEP_SECONDS });
}

interface CacheFile {
  accessToken?: string;
  expiresAt?: string;
  user?: SignedIn['user'];
  lastStep?: number;
}

/**
 * Signs in with password and TOTP, as an admin or auditor must. Identity accepts each code (time
 * step) once, and every spec file signs the admin in, so the session and the last step used are
 * kept in a small file per account (tmp/): a live session is reused, and a new login
 * never repeats a step (it takes the next one, waiting for it when needed).
 */
export async function logInWithTotp(api: ApiClient, login: TotpLogin): Promise<SignedIn> {
  const file = cachePath(login.email);
  const cache = readCache(file);
  if (cache.accessToken && cache.user && cache.expiresAt && Date.parse(cache.expiresAt) > Date.now() + 120_000) {
    const me = await api.as(cache.accessToken).get('/v1/me');
    if (me.status === 200) return { accessToken: cache.accessToken, user: cache.user };
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const step = await nextUnusedStep(cache);
    const res = await api.post('/v1/auth/login', { email: login.email, password: login.password, totpCode: totpCode(login.totpSecret, step) }, null);
    cache.lastStep = step;
    if (res.status === 200) {
      Object.assign(cache, { accessToken: res.body.accessToken, expiresAt: res.body.expiresAt, user: res.body.user });
      writeCache(file, cache);
      return { accessToken: res.body.accessToken, user: res.body.user };
    }
    writeCache(file, cache);
    // A step another process used first: the next one.
    if (res.status !== 401 || res.body?.details?.reason !== 'MFA_INVALID') {
      throw new Error(`login of ${login.email} with TOTP answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }
  throw new Error(`login of ${login.email} with TOTP kept being refused`);
}

/** One file per account: a code is spent for the account whatever gateway it went through, and a session works on every gateway. */
function cachePath(email: string): string {
  const dir = join(REPO_ROOT, 'tmp', 'totp-sessions');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16)}.json`);
}

function readCache(file: string): CacheFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return {};
  }
}

function writeCache(file: string, cache: CacheFile): void {
  writeFileSync(file, JSON.stringify(cache));
}

/** The first time step after the last one used that identity still takes (one step either side of now), waiting for it when needed. */
async function nextUnusedStep(cache: CacheFile): Promise<number> {
  const now = Math.floor(Date.now() / 1000 / STEP_SECONDS);
  const step = Math.max(now, (cache.lastStep ?? -1) + 1);
  if (step <= now + 1) return step;
  await new Promise((resolve) => setTimeout(resolve, ((step - 1) * STEP_SECONDS + 1) * 1000 - Date.now()));
  return Math.max(Math.floor(Date.now() / 1000 / STEP_SECONDS), step);
}

/**
 * A code for a sign-in made elsewhere (a browser typing it): a step no other login of this
 * account used, recorded as used.
 */
export async function reserveTotpCode(email: string, totpSecret: string): Promise<string> {
  const file = cachePath(email);
  const cache = readCache(file);
  const step = await nextUnusedStep(cache);
  cache.lastStep = step;
  writeCache(file, cache);
  return totpCode(totpSecret, step);
}
