import { MultiBar, Presets } from 'cli-progress';
import type { LoginResult } from '@tally/contracts';
import { generateSync } from 'otplib';
import { DemoApi, DemoApiError } from './demo-api';
import { DEMO_PIN, DEMO_PASSWORD, demoPeople } from './demo-people';
import { DEMO_STEPS, DemoContext, findUser, Progress } from './demo-steps';

/**
 * npm run demo: fills a running stack with demo data through the public API only (every rule
 * applies), one step after another, each with a progress bar; safe to run again.
 *   DEMO_URL (http://127.0.0.1:8080), DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD / DEMO_ADMIN_TOTP_SECRET (npm start's admin),
 *   DEMO_USERS (60), DEMO_MONTHS (3 months before this one).
 */
/** The TOTP seed npm start gives its dev admin (deploy/local/start-stack.mjs). */
const DEV_ADMIN_TOTP_SECRET = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';

/** Admins sign in with a TOTP code; identity takes each time step once, so a code just used means waiting for the next. */
async function adminLogin(api: DemoApi, email: string, password: string, totpSecret: string): Promise<LoginResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.post<LoginResult>('/v1/auth/login', { email, password, totpCode: generateSync({ secret: totpSecret }) });
    } catch (err) {
      if (attempt >= 2 || !(err instanceof DemoApiError) || err.details?.reason !== 'MFA_INVALID') throw err;
      await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
    }
  }
}

async function main(): Promise<void> {
  const baseUrl = process.env.DEMO_URL ?? 'http://127.0.0.1:8080';
  const adminEmail = process.env.DEMO_ADMIN_EMAIL ?? 'admin@tally.local';
  const adminPassword = process.env.DEMO_ADMIN_PASSWORD ?? 'tally-admin-dev-1';
  const count = Number(process.env.DEMO_USERS ?? 60);
  const months = Number(process.env.DEMO_MONTHS ?? 3);
  if (!Number.isInteger(count) || count < 4 || count > 500) throw new Error('DEMO_USERS must be a whole number from 4 to 500');
  if (!Number.isInteger(months) || months < 0 || months > 24) throw new Error('DEMO_MONTHS must be a whole number from 0 to 24');

  const api = new DemoApi(baseUrl);
  const login = await adminLogin(api, adminEmail, adminPassword, process.env.DEMO_ADMIN_TOTP_SECRET ?? DEV_ADMIN_TOTP_SECRET);
  if (!login.user.roles.includes('admin')) throw new Error(`${adminEmail} is not an admin`);
  const ctx: DemoContext = { api, admin: api.as(login.accessToken), people: demoPeople(count), months, now: new Date(), users: new Map(), notes: [] };

  const bars = new MultiBar(
    { format: ' {step} |{bar}| {value}/{total} {duration_formatted}', hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5000 },
    Presets.shades_classic,
  );
  const started = Date.now();
  for (const step of DEMO_STEPS) {
    const bar = bars.create(1, 0, { step: step.name.padEnd(46) });
    const progress: Progress = {
      start: (total) => bar.start(Math.max(total, 1), 0, { step: step.name.padEnd(46) }),
      tick: (by = 1) => bar.increment(by),
      set: (value) => bar.update(value),
    };
    await step.run(ctx, progress);
    bar.update(bar.getTotal());
  }
  bars.stop();

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const demo = ctx.people[0];
  const shown = await findUser(ctx.admin, demo.username);
  console.log(`\nDemo data ready in ${seconds} s (${count} users, ${months} past months and this one).`);
  for (const note of ctx.notes) console.log(`  - ${note}`);
  console.log(`\n  Web app     ${baseUrl}/app     demo user: ${demo.username} / ${DEMO_PASSWORD}  (email ${demo.email}, wallet PIN ${DEMO_PIN})`);
  console.log(
    `  Console     ${baseUrl}/admin   admin: ${adminEmail} / ${adminPassword}${shown ? `  (the console shows the demo user as ${shown.email})` : ''}`,
  );
  console.log(`  Every demo user: demo_user1 … demo_user${count}, password ${DEMO_PASSWORD}, PIN ${DEMO_PIN}`);
}

main().catch((err: Error) => {
  console.error(`\ndemo failed: ${err.message}`);
  process.exit(1);
});
