import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient, ApiResponse, daytimeZone, reserveTotpCode, waitFor } from '@tally/testing';
import { GATEWAY_URL, STACK_ENV } from '../stack-env';
import { launchBrowser, screenshot, watchConsole } from './browser';
import { SignedUpUser, signUpUser } from './sign-up';

jest.setTimeout(240_000);

/**
 * The admin console (/admin) and the user's web app (/app) in a real browser (Debian's Chromium
 * driven by Playwright) against the running stack: an admin signs in, sees the dashboard's charts
 * drawn from real data, finds a user, approves a held purchase from the review queue and sees it
 * complete; a user signs in, sends money with the PIN and sees the balance and the chart change.
 * Every page is photographed into tmp/screenshots.
 */
describe('web console and web app in Chromium', () => {
  const api = new ApiClient(GATEWAY_URL);
  let browser: Browser;
  let shopper: SignedUpUser;
  let payee: SignedUpUser;
  let shopperWallet: { id: string; walletNumber: string };
  let payeeWallet: { id: string; walletNumber: string };
  let heldId: string;

  async function pay(amount: string, merchantName: string): Promise<ApiResponse> {
    return shopper.api.post('/v1/payments', { walletId: shopperWallet.id, amount, merchantName, merchantCategory: 'electronics', pin: '2468' });
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    shopper = await signUpUser(api, 'webshopper', { phone: '+447700900123' });
    payee = await signUpUser(api, 'webpayee');
    const zone = daytimeZone();
    shopperWallet = (await shopper.api.post('/v1/wallets', { currency: 'USD', pin: '2468', dailyLimit: '10000', monthlyLimit: '100000', timeZone: zone })).body;
    payeeWallet = (await payee.api.post('/v1/wallets', { currency: 'USD', pin: '1357', timeZone: zone })).body;
    expect((await shopper.api.post(`/v1/wallets/${shopperWallet.id}/deposits`, { amount: '5000.00' })).status).toBe(201);
    // Five small purchases, then one far above their average and above 10,000 MYR: velocity,
    // unusual amount and high value make 60, and the purchase is held for review.
    for (const [i, amount] of ['10.00', '12.00', '14.00', '16.00', '18.00'].entries()) {
      expect([201, 202]).toContain((await pay(amount, `Gadget kiosk ${i}`)).status);
    }
    const held = await pay('2200.00', 'Electronics Mall');
    expect(held.status).toBe(202);
    heldId = held.body.id;
    await waitFor(
      async () => {
        // The score is for admins and auditors only (signing the admin in here would spend the TOTP
        // code the browser needs below): the shopper is told the purchase is under review.
        const notes = (await shopper.api.get('/v1/me/notifications')).body.items as { type: string; data: { transactionId?: string } }[];
        return notes.some((n) => n.type === 'transaction.pending_review' && n.data.transactionId === heldId) ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the big purchase to be held for review' },
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** How the apps show a dollar amount: the API's decimal string with thousands grouped. */
  const usd = (amount: string) => `USD ${amount.replace(/\B(?=(\d{3})+(?!\d)\.)/g, ',')}`;

  async function signIn(context: BrowserContext, path: string, email: string, password: string, totpSecret?: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${GATEWAY_URL}${path}`);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (totpSecret) {
      // Admins have a second factor: the page asks for it, and the code of a step no other sign-in used goes in.
      const codeField = page.getByLabel('Authenticator code');
      await codeField.waitFor();
      await codeField.fill(await reserveTotpCode(email, totpSecret));
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    return page;
  }

  it('the gateway serves both apps as static files: deep links get the page, assets are cached, a missing one is 404', async () => {
    for (const path of ['/admin', '/admin/users/0192e4a0-7b1c-7def-8abc-0123456789ab', '/app', '/app/send']) {
      const res = await fetch(`${GATEWAY_URL}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, 'text/html; charset=utf-8']);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      // helmet's policy: scripts from this origin only, nothing inline, no other origin to connect to.
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
      const html = await res.text();
      const asset = /src="(\/(admin|app)\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset).toMatch(path.startsWith('/admin') ? /^\/admin\/assets\// : /^\/app\/assets\//);
      const js = await fetch(`${GATEWAY_URL}${asset}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('cache-control')).toContain('immutable');
      expect(html).not.toMatch(/<script>(?!<)/);
    }
    const missing = await fetch(`${GATEWAY_URL}/admin/assets/nope-123.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('NOT_FOUND');
    expect((await fetch(`${GATEWAY_URL}/v1/currencies`)).status).toBe(200);
  });

  it('an admin signs in, sees the charts drawn, finds the user and approves the held purchase, which completes', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await signIn(context, '/admin', STACK_ENV.TALLY_ADMIN_EMAIL, STACK_ENV.TALLY_ADMIN_PASSWORD, STACK_ENV.TALLY_ADMIN_TOTP_SECRET);
    const problems = watchConsole(page);

    // Dashboard: every chart drawn with the stack's own data (a line with points, bars with height).
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('[data-testid=chart-volume] .recharts-line-curve').waitFor();
    await page.locator('[data-testid=chart-fraud-scores] .recharts-bar-rectangle path').first().waitFor();
    await page.locator('[data-testid=chart-fraud-flags] .recharts-pie-sector').first().waitFor();
    expect(await page.locator('[data-testid=chart-registrations] .recharts-bar-rectangle path').count()).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('kpi-transactions').textContent())).toBeGreaterThan(0);
    const flags = await page.locator('[data-testid=chart-fraud-flags] [role=img]').getAttribute('aria-label');
    expect(flags).toContain('HIGH_VALUE');
    await screenshot(page, 'admin-dashboard');

    // Users: search by part of the email, the list masked; the user's page in full for an admin.
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    const local = shopper.email.slice(0, shopper.email.indexOf('@'));
    await page.getByLabel('Search', { exact: true }).fill(local);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 user', { exact: true }).waitFor();
    const row = page.getByRole('row', { name: /webshopper Tester/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${local.slice(0, 3)}***@example.com`);
    expect(await row.textContent()).toContain('+4477XXXXXXX3');
    await screenshot(page, 'admin-users');
    await row.getByRole('link', { name: 'webshopper Tester' }).click();
    await page.getByText(`Email: ${shopper.email}`).waitFor();
    await page.getByRole('cell', { name: shopperWallet.walletNumber }).waitFor();
    await screenshot(page, 'admin-user-detail');

    // Unlocking a PIN: with a reason, answered in place, and kept in the audit log.
    await page.getByRole('button', { name: 'Unlock PIN' }).click();
    await page.getByLabel('Reason').fill('customer called');
    await page.getByRole('dialog').getByRole('button', { name: 'Unlock PIN' }).click();
    await page.getByText('The PIN lock is lifted.').waitFor();

    // The review queue: the held purchase with its evidence; approve it with a reason.
    await page.getByRole('link', { name: 'Fraud reviews', exact: true }).click();
    const card = page.locator(`[data-testid=review-case][data-transaction-id="${heldId}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('HIGH_VELOCITY');
    expect(await card.textContent()).toContain('USD 2,200.00');
    await screenshot(page, 'admin-reviews');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByLabel('Reason').fill('customer confirmed by phone');
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('link', { name: 'See the transaction' }).click();
    // The ledger posts it once fraud publishes the decision; the page watches until it does.
    await page.getByRole('heading', { name: /^TX-/ }).waitFor();
    await page.locator('.mantine-Badge-root', { hasText: 'completed' }).first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('journal-entry').count()).toBe(2);
    await screenshot(page, 'admin-transaction-detail');
    expect((await shopper.api.get(`/v1/transactions/${heldId}`)).body.status).toBe('completed');

    // The other pages, each drawn with its data.
    await page.getByRole('link', { name: 'Transactions', exact: true }).click();
    await page.getByRole('link', { name: /^TX-/ }).first().waitFor();
    await screenshot(page, 'admin-transactions');
    await page.getByRole('link', { name: 'Fraud rules', exact: true }).click();
    await page.getByRole('heading', { name: 'HIGH_VELOCITY' }).waitFor();
    await screenshot(page, 'admin-rules');
    await page.getByRole('link', { name: 'Audit log', exact: true }).click();
    await page.getByRole('cell', { name: 'fraud.review.approved' }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('cell', { name: 'ledger.wallet.pin_unlocked' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'admin-audit-log');
    await page.getByRole('link', { name: 'Ledger', exact: true }).click();
    await page.getByTestId('trial-balanced').waitFor();
    expect(await page.getByTestId('trial-balanced').textContent()).toBe('balanced');
    await page.getByRole('button', { name: 'Start verification' }).click();
    await page.getByText('every balance matches its postings').waitFor({ timeout: 60_000 });
    await screenshot(page, 'admin-ledger');

    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    await context.close();
  });

  it('a user signs in, sends money with the PIN, and sees the balance and the spending chart change', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, '/app', shopper.email, shopper.password);
    const problems = watchConsole(page);
    const balance = page.getByTestId(`balance-${shopperWallet.walletNumber}`);
    await balance.waitFor();
    const before = (await shopper.api.get(`/v1/wallets/${shopperWallet.id}/balance`)).body.balance;
    expect(await balance.textContent()).toBe(usd(before));
    const chart = page.locator('[data-testid=chart-month-categories]');
    await chart.locator('.recharts-bar-rectangle path').first().waitFor();
    expect(await chart.locator('[role=img]').getAttribute('aria-label')).not.toContain('transfer');
    await screenshot(page, 'app-overview');

    await page.getByRole('link', { name: 'Send money', exact: true }).click();
    await page.getByLabel('To wallet number').fill(payeeWallet.walletNumber);
    await page.getByLabel(/^Amount/).fill('25.00');
    await page.getByRole('textbox', { name: 'PIN', exact: true }).fill('0000');
    await page.getByRole('button', { name: 'Send' }).click();
    // A wrong PIN: the API's own message, and nothing moved.
    await page.getByText('The PIN is not correct').waitFor();
    await screenshot(page, 'app-send-wrong-pin');
    await page.getByRole('textbox', { name: 'PIN', exact: true }).fill('2468');
    await page.getByRole('button', { name: 'Send' }).click();
    const result = page.getByTestId('transfer-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(`USD 25.00 to ${payeeWallet.walletNumber}`);
    await screenshot(page, 'app-send');

    // Back on the overview: the balance is down by the amount and the fee, and the chart has a transfer bar.
    const sent = (await shopper.api.get(`/v1/transactions?type=transfer_out&limit=1`)).body.items[0];
    expect(sent).toMatchObject({ amount: '25.00', status: 'completed', counterpartyWalletNumber: payeeWallet.walletNumber });
    const after = (await shopper.api.get(`/v1/wallets/${shopperWallet.id}/balance`)).body.balance;
    expect(BigInt(after.replace('.', ''))).toBe(BigInt(before.replace('.', '')) - 2500n - BigInt(sent.fee.replace('.', '')));
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await waitFor(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.waitForTimeout(500);
        const label = await chart.locator('[role=img]').getAttribute('aria-label');
        const shown = await balance.textContent();
        return label?.includes('transfer') && shown === usd(after) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000, what: 'the overview to show the new balance and a transfer bar' },
    );
    await screenshot(page, 'app-overview-after-transfer');

    for (const [link, heading, name] of [
      ['Transactions', 'Transactions', 'app-transactions'],
      ['Spending', 'Spending', 'app-spending'],
      ['Budgets', 'Budgets', 'app-budgets'],
      ['Goals', 'Goals', 'app-goals'],
      ['Notifications', 'Notifications', 'app-notifications'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, name);
    }
    // The notification of the completed transfer is there.
    await page.getByTestId('notification').first().waitFor();
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    await context.close();
  });

  it('a user moves money back from a goal to a wallet and closes the goal', async () => {
    const goal = (await shopper.api.post('/v1/goals', { name: 'Bicycle', targetAmount: '100.00', currency: 'USD' })).body;
    expect((await shopper.api.post(`/v1/goals/${goal.id}/contributions`, { fromWalletId: shopperWallet.id, amount: '20.00', pin: '2468' })).status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, '/app/goals', shopper.email, shopper.password);
    const card = page.getByTestId('goal').filter({ hasText: 'Bicycle' });
    await card.getByText('USD 20.00 of USD 100.00').waitFor();
    const back = card.getByRole('form', { name: 'Move money back from Bicycle' });
    await back.getByLabel('Amount back').fill('7.50');
    await back.getByRole('button', { name: 'Move back' }).click();
    await card.getByText('USD 12.50 of USD 100.00').waitFor();
    expect((await shopper.api.get(`/v1/goals/${goal.id}`)).body.savedAmount).toBe('12.50');
    await screenshot(page, 'app-goal-moved-back');
    await back.getByRole('button', { name: 'Close goal' }).click();
    await card.waitFor({ state: 'detached' });
    expect((await shopper.api.get(`/v1/goals/${goal.id}`)).status).toBe(404);
    const closing = (await shopper.api.get(`/v1/transactions?type=goal_withdrawal&walletId=${shopperWallet.id}`)).body.items;
    expect(closing.map((t: { amount: string }) => t.amount).sort()).toEqual(['12.50', '7.50']);
    await context.close();
  });

  it("works at a phone's width: the navigation folds behind a button the keyboard reaches", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await signIn(context, '/app', payee.email, payee.password);
    await page.getByTestId(`balance-${payeeWallet.walletNumber}`).waitFor();
    const burger = page.getByRole('button', { name: 'Open navigation' });
    expect(await burger.isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Send money' }).isVisible()).toBe(false);
    await burger.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Send money' }).waitFor({ state: 'visible' });
    await screenshot(page, 'app-phone-navigation');
    await page.getByRole('link', { name: 'Goals' }).click();
    await page.getByRole('heading', { name: 'Goals', level: 1 }).waitFor();
    await screenshot(page, 'app-phone-goals');
    await context.close();
  });
});
