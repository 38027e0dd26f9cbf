import type {
  AdminUserView,
  BudgetView,
  GoalView,
  ImportDetailView,
  ImportView,
  LoginResult,
  Page,
  PlatformAnalyticsView,
  TransactionList,
  TransactionView,
  TrialBalanceView,
  WalletView,
} from '@tally/contracts';
import { DemoApi, DemoApiError, eachLimited, sleep } from './demo-api';
import { historyOf } from './demo-history';
import { decimal, DEMO_PIN, DemoPerson, Random } from './demo-people';

/** What every step shares: the people, their sessions and wallets, the admin's client. */
export interface DemoContext {
  api: DemoApi;
  admin: DemoApi;
  people: DemoPerson[];
  months: number;
  now: Date;
  users: Map<string, { api: DemoApi; userId: string; wallet?: WalletView }>;
  notes: string[];
}

export interface Progress {
  start(total: number): void;
  tick(by?: number): void;
  set(value: number): void;
}

/**
 * One step of the demo. Each is safe to run again: it looks at what is there (through the API)
 * and adds only what is missing. New features join the demo as new steps at the end of DEMO_STEPS
 * (bill payments, scheduled payments, investments: their own `name` and `run`).
 */
export interface DemoStep {
  name: string;
  run(ctx: DemoContext, progress: Progress): Promise<void>;
}

const CONCURRENCY = 3;
const HISTORY_MARK = 'tally-demo history';

function user(ctx: DemoContext, person: DemoPerson) {
  const found = ctx.users.get(person.username);
  if (!found) throw new Error(`${person.username} is not signed in`);
  return found;
}

function wallet(ctx: DemoContext, person: DemoPerson): WalletView {
  const w = user(ctx, person).wallet;
  if (!w) throw new Error(`${person.username} has no wallet`);
  return w;
}

const users: DemoStep = {
  name: 'users (register and sign in)',
  async run(ctx, progress) {
    progress.start(ctx.people.length);
    await eachLimited(ctx.people, CONCURRENCY, async (p) => {
      // Sign in first: on a second run every user is there already, and each password attempt counts
      // against the gateway's per-IP credential limit (200 per 15 minutes by default).
      const signIn = () => ctx.api.post<LoginResult>('/v1/auth/login', { username: p.username, password: p.password });
      let login: LoginResult;
      try {
        login = await signIn();
      } catch (err) {
        if (!(err instanceof DemoApiError && err.status === 401)) throw err;
        await ctx.api.post('/v1/auth/register', { email: p.email, password: p.password, fullName: p.fullName, phone: p.phone, username: p.username });
        login = await signIn();
      }
      ctx.users.set(p.username, { api: ctx.api.as(login.accessToken), userId: login.user.id });
      progress.tick();
    });
  },
};

const wallets: DemoStep = {
  name: 'wallets (one USD wallet each)',
  async run(ctx, progress) {
    progress.start(ctx.people.length);
    await eachLimited(ctx.people, CONCURRENCY, async (p) => {
      const u = user(ctx, p);
      const { items } = await u.api.get<{ items: WalletView[] }>('/v1/wallets');
      u.wallet =
        items.find((w) => w.currency === 'USD' && w.status === 'active') ??
        (await u.api.post<WalletView>(
          '/v1/wallets',
          { currency: 'USD', pin: DEMO_PIN, dailyLimit: '5000', monthlyLimit: '20000', timeZone: 'Asia/Kolkata' },
          `tally-demo-wallet-${p.username}`,
        ));
      progress.tick();
    });
  },
};

/** Past months through the admin bulk import: one import per user, booked by the ledger in the order things happened. */
const history: DemoStep = {
  name: 'history (admin bulk import of past months)',
  async run(ctx, progress) {
    const done = new Set<string>();
    for (let offset = 0; ; offset += 100) {
      const page = await ctx.admin.get<Page<ImportView>>(`/v1/admin/imports?limit=100&offset=${offset}`);
      for (const i of page.items) if (i.description?.startsWith(HISTORY_MARK)) done.add(i.description);
      if (offset + page.limit >= page.total) break;
    }
    const owners = ctx.people.map((p) => ({ index: p.index, walletNumber: wallet(ctx, p).walletNumber }));
    const todo = ctx.people.filter((p) => !done.has(`${HISTORY_MARK} ${p.username}`));
    const plans = todo.map((p) => ({
      person: p,
      rows: historyOf(
        owners[p.index - 1],
        owners.filter((o) => o.index !== p.index),
        ctx.months,
        ctx.now,
      ),
    }));
    const total = plans.reduce((n, plan) => n + plan.rows.length, 0);
    progress.start(total);
    if (total === 0) {
      ctx.notes.push(`history: already imported for all ${ctx.people.length} users`);
      return;
    }
    const imports: string[] = [];
    for (const plan of plans) {
      const created = await ctx.admin.post<ImportView>('/v1/admin/imports', { description: `${HISTORY_MARK} ${plan.person.username}`, entries: plan.rows });
      imports.push(created.id);
    }
    // The ledger books them in the background: follow the rows as they are posted.
    let booked = 0;
    for (;;) {
      const states = await Promise.all(imports.map((id) => ctx.admin.get<ImportDetailView>(`/v1/admin/imports/${id}?limit=1`)));
      booked = states.reduce((n, s) => n + s.posted + s.failed + s.rejected, 0);
      progress.set(booked);
      if (states.every((s) => s.status === 'completed')) {
        const failed = states.reduce((n, s) => n + s.failed + s.rejected, 0);
        ctx.notes.push(
          `history: ${states.reduce((n, s) => n + s.posted, 0)} past transactions booked in ${imports.length} imports${failed ? `, ${failed} refused (see GET /v1/admin/imports/{id})` : ''}`,
        );
        return;
      }
      await sleep(1000);
    }
  },
};

const BUDGETS: [string, bigint][] = [
  ['food_beverage', 40000n],
  ['groceries', 60000n],
  ['shopping', 30000n],
];

const budgets: DemoStep = {
  name: 'budgets (three per user)',
  async run(ctx, progress) {
    progress.start(ctx.people.length);
    await eachLimited(ctx.people, CONCURRENCY, async (p) => {
      const u = user(ctx, p);
      const have = new Set((await u.api.get<Page<BudgetView>>('/v1/budgets?limit=100')).items.map((b) => b.category));
      for (const [category, amount] of BUDGETS) {
        if (!have.has(category))
          await u.api.post('/v1/budgets', { category, amount: decimal(amount), currency: 'USD', period: 'monthly', alertAt: [50, 80, 100] });
      }
      progress.tick();
    });
  },
};

const GOALS = ['Emergency fund', 'Goa trip', 'New laptop', 'Wedding gift', 'Bike'];

/** A goal for every other user, with a contribution or two (live, with the PIN) so milestones show. */
const goals: DemoStep = {
  name: 'goals (savings with milestones)',
  async run(ctx, progress) {
    const savers = ctx.people.filter((p) => p.index % 2 === 1);
    progress.start(savers.length);
    await eachLimited(savers, CONCURRENCY, async (p) => {
      const u = user(ctx, p);
      const r = new Random(9000 + p.index);
      const existing = (await u.api.get<{ items: GoalView[] }>('/v1/goals')).items;
      if (existing.length === 0) {
        const target = BigInt(r.int(5, 30)) * 10000n;
        const goal = await u.api.post<GoalView>(
          '/v1/goals',
          { name: r.pick(GOALS), targetAmount: decimal(target), currency: 'USD' },
          `tally-demo-goal-${p.username}`,
        );
        const share = BigInt(r.int(20, 80));
        await u.api.post(`/v1/goals/${goal.id}/contributions`, { fromWalletId: wallet(ctx, p).id, amount: decimal((target * share) / 100n), pin: DEMO_PIN });
      }
      progress.tick();
    });
  },
};

/** Today's money, live through the whole path (PIN, limits, fraud): transfers between demo users and a few purchases. */
const today: DemoStep = {
  name: 'today (live transfers and purchases)',
  async run(ctx, progress) {
    const startOfDay = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate())).toISOString();
    const senders = ctx.people.filter((p) => p.index % 3 === 0 && p.index > 3);
    progress.start(senders.length);
    await eachLimited(senders, CONCURRENCY, async (p) => {
      const u = user(ctx, p);
      const already = await u.api.get<TransactionList>(`/v1/transactions?from=${encodeURIComponent(startOfDay)}&type=transfer_out&limit=1`);
      if (already.total === 0) {
        const r = new Random(11000 + p.index);
        const to = ctx.people[(p.index + r.int(1, ctx.people.length - 2)) % ctx.people.length];
        await u.api.post('/v1/transfers', {
          fromWalletId: wallet(ctx, p).id,
          toWalletNumber: wallet(ctx, to).walletNumber,
          amount: decimal(BigInt(r.int(5, 60)) * 100n),
          pin: DEMO_PIN,
          description: 'Lunch',
        });
        await u.api.post('/v1/payments', {
          walletId: wallet(ctx, p).id,
          amount: decimal(BigInt(r.int(300, 2500))),
          merchantName: 'Chai Point',
          merchantCategory: 'food_beverage',
          pin: DEMO_PIN,
        });
      }
      progress.tick();
    });
  },
};

/**
 * A few purchases fraud holds for review: five small ones in a row, then one far above the user's
 * average and above 10,000 MYR (velocity, unusual amount, high value: 60 points). They wait in the
 * admin's review queue.
 */
const fraudHolds: DemoStep = {
  name: 'fraud holds (purchases held for review)',
  async run(ctx, progress) {
    const suspects = ctx.people.slice(1, 4);
    progress.start(suspects.length);
    for (const p of suspects) {
      const u = user(ctx, p);
      const held = await u.api.get<TransactionList>('/v1/transactions?status=pending&type=purchase&limit=1');
      if (held.total === 0) {
        const w = wallet(ctx, p);
        for (let i = 0; i < 5; i++) {
          await u.api.post('/v1/payments', {
            walletId: w.id,
            amount: `${12 + i}.00`,
            merchantName: `Gadget kiosk ${i + 1}`,
            merchantCategory: 'shopping',
            pin: DEMO_PIN,
          });
        }
        const big = await u.api.post<TransactionView>('/v1/payments', {
          walletId: w.id,
          amount: '2200.00',
          merchantName: 'Electronics Mall',
          merchantCategory: 'electronics',
          pin: DEMO_PIN,
        });
        if (big.status !== 'pending')
          ctx.notes.push(`fraud holds: ${p.username}'s large purchase was ${big.status}, not held (score ${big.fraudScore ?? 'not yet'})`);
      }
      progress.tick();
    }
  },
};

/**
 * The books against the analytics: every completed movement is one posted journal entry whose
 * debits are its amount and fee, so per currency the trial balance's posted debits must equal the
 * analytics' volume plus fees, and its held debits what analytics sees pending. Analytics trails
 * the ledger by the events' trip, so this waits until both agree (or says where they differ).
 */
const check: DemoStep = {
  name: 'check (analytics against the trial balance)',
  async run(ctx, progress) {
    progress.start(1);
    let last = '';
    for (let attempt = 0; attempt < 60; attempt++) {
      const [analytics, trial] = await Promise.all([
        ctx.admin.get<PlatformAnalyticsView>('/v1/admin/analytics?from=2000-01-01T00:00:00Z&groupBy=month'),
        ctx.admin.get<TrialBalanceView>('/v1/admin/ledger/trial-balance'),
      ]);
      const lines = trial.items.map((t) => {
        const volume = analytics.volume.find((v) => v.currency === t.currency)?.amount ?? '0';
        const fees = analytics.feeRevenue.find((v) => v.currency === t.currency)?.amount ?? '0';
        const held = analytics.pendingNow.find((v) => v.currency === t.currency)?.amount ?? '0';
        const posted = minor(volume) + minor(fees);
        return {
          currency: t.currency,
          analytics: posted,
          ledger: minor(t.totalDebits),
          heldAnalytics: minor(held),
          heldLedger: minor(t.pendingDebits),
          balanced: t.balanced,
        };
      });
      last = lines
        .map(
          (l) =>
            `${l.currency}: analytics volume+fees ${decimal(l.analytics)} vs ledger posted debits ${decimal(l.ledger)}; held ${decimal(l.heldAnalytics)} vs ${decimal(l.heldLedger)}; books ${l.balanced ? 'balanced' : 'NOT balanced'}`,
        )
        .join('\n      ');
      if (lines.every((l) => l.analytics === l.ledger && l.heldAnalytics === l.heldLedger && l.balanced)) {
        ctx.notes.push(`check: analytics agree with the trial balance\n      ${last}`);
        progress.tick();
        return;
      }
      await sleep(2000);
    }
    ctx.notes.push(`check: analytics and the trial balance DIFFER (after 2 minutes)\n      ${last}`);
    process.exitCode = 1;
    progress.tick();
  },
};

/** "12.34" → 1234n (two-digit currencies, as the demo uses). */
function minor(text: string): bigint {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  return text.startsWith('-') ? -value : value;
}

/** The admin's own view of a demo user, to print the masked email as the console shows it. */
export async function findUser(admin: DemoApi, username: string): Promise<AdminUserView | undefined> {
  // The search matches parts too (demo_user1 finds demo_user10 …): take the exact one.
  return (await admin.get<Page<AdminUserView>>(`/v1/admin/users?q=${encodeURIComponent(username)}&limit=100`)).items.find((u) => u.username === username);
}

export const DEMO_STEPS: DemoStep[] = [users, wallets, history, budgets, goals, today, fraudHolds, check];
