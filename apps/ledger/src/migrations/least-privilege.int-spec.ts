import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrateServiceDatabase, openServiceDatabase, provisionServiceRoles, roleUrl, serviceRoles } from '@tally/database';
import { uuidv7 } from '@tally/contracts';
import { testDatabaseUrl } from '@tally/testing';
import { AccountsRepository, walletFigures } from '../accounts/accounts.repository';
import { LEDGER_MIGRATIONS } from '../app.module';
import { JournalRepository } from '../journal/journal.repository';

/** A superuser's connection to a database of the test server (the test server is trust-auth Postgres). */
const FRESH = testDatabaseUrl('int_roles_fresh');
const UPGRADED = testDatabaseUrl('int_roles_upgraded');
const ledger = serviceRoles('ledger');
const identity = serviceRoles('identity');

async function asSuperuser<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const serverUrl = (url: string) => url.replace(/\/[^/]+$/, '/postgres');
const dbName = (url: string) => new URL(url).pathname.slice(1);

async function dropDatabase(url: string): Promise<void> {
  await asSuperuser(serverUrl(url), (c) => c.query(`DROP DATABASE IF EXISTS "${dbName(url)}" WITH (FORCE)`));
}

/**
 * Issue 11, point 5: each service logs in as a role of its own that owns nothing, and migrations run
 * as the schema's owner, which is no superuser. Here the ledger's, on a database created the way
 * CloudNativePG does (owned by the migration role, no superuser after that).
 */
describe('Postgres roles: the ledger runs as tally_ledger, migrates as tally_ledger_owner', () => {
  let db: DataSource;
  let accounts: AccountsRepository;
  const journal = new JournalRepository();

  beforeAll(async () => {
    await dropDatabase(FRESH);
    await provisionServiceRoles(serverUrl(FRESH), { services: ['ledger', 'identity'], schemas: false });
    // The superuser's only part: the database, owned by the migration role (CloudNativePG's `owner`).
    await asSuperuser(serverUrl(FRESH), (c) => c.query(`CREATE DATABASE "${dbName(FRESH)}" OWNER ${ledger.owner}`));
    // Another service's schema with a table in it, which the ledger must not read.
    await asSuperuser(FRESH, (c) => c.query(`CREATE SCHEMA identity AUTHORIZATION ${identity.owner}`));
    await asSuperuser(roleUrl(FRESH, identity.owner), async (c) => {
      await c.query(`CREATE TABLE identity.probe (secret text)`);
      await c.query(`INSERT INTO identity.probe VALUES ('not for the ledger')`);
      await c.query(`GRANT SELECT ON identity.probe TO ${identity.app}`);
    });
  });

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(FRESH);
    await dropDatabase(UPGRADED);
  });

  it('the owner role, no superuser and unable to create roles, runs every ledger migration on the fresh database', async () => {
    const owner = roleUrl(FRESH, ledger.owner);
    const attributes = await asSuperuser(
      owner,
      async (c) => (await c.query(`SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`)).rows[0],
    );
    expect(attributes).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    const ran = await migrateServiceDatabase({
      url: roleUrl(FRESH, ledger.login),
      migrationUrl: owner,
      schema: 'ledger',
      applicationName: 'roles-spec',
      migrations: LEDGER_MIGRATIONS,
    });
    expect(ran).toHaveLength(LEDGER_MIGRATIONS.length);
    // The SECURITY DEFINER balance functions run as the owner, never as a superuser.
    const definers = await asSuperuser(
      FRESH,
      async (c) =>
        (await c.query(`SELECT DISTINCT pg_get_userbyid(proowner) AS owner FROM pg_proc WHERE pronamespace = 'ledger'::regnamespace AND prosecdef`)).rows,
    );
    expect(definers).toEqual([{ owner: ledger.owner }]);
  });

  it('the service starts as tally_ledger (production mode, migrations checked) and posts through the kernel', async () => {
    db = await openServiceDatabase({
      url: roleUrl(FRESH, ledger.login),
      schema: 'ledger',
      applicationName: 'roles-spec',
      migrations: LEDGER_MIGRATIONS,
      migrationsAtStart: 'check',
      refuseSuperuser: true,
    });
    accounts = new AccountsRepository(db);
    expect(await db.query(`SELECT current_user AS who, rolsuper FROM pg_roles WHERE rolname = current_user`)).toEqual([{ who: ledger.login, rolsuper: false }]);
    let funding = '';
    let wallet = '';
    await db.transaction(async (m) => {
      funding = await accounts.systemAccount('funding', 'USD');
      wallet = await accounts.createWalletAccount(m, uuidv7(), 'USD');
    });
    await db.transaction((m) =>
      journal.append(m, { transactionId: uuidv7(), kind: 'deposit', phase: 'posted' }, [
        { accountId: funding, direction: 'D', amount: 2_500n, currency: 'USD' },
        { accountId: wallet, direction: 'C', amount: 2_500n, currency: 'USD' },
      ]),
    );
    expect(walletFigures((await accounts.balances(db.manager, [wallet])).get(wallet))).toEqual({ balance: 2_500n, pending: 0n, available: 2_500n });
  });

  it('cannot UPDATE or DELETE journal rows, nor change balance rows except through the posting path', async () => {
    for (const sql of [
      `UPDATE ledger.postings SET amount = amount + 1`,
      `DELETE FROM ledger.postings`,
      `UPDATE ledger.journal_entries SET kind = 'x'`,
      `DELETE FROM ledger.journal_entries`,
      `TRUNCATE ledger.journal_entries CASCADE`,
      `UPDATE ledger.balance_rows SET posted_credits = posted_credits + 1000000`,
      `DELETE FROM ledger.balance_deltas`,
      `INSERT INTO ledger.balance_deltas (account_id, currency, posted_credits) SELECT account_id, currency, 1000000 FROM ledger.balance_rows LIMIT 1`,
      `INSERT INTO ledger.balance_rows (account_id, currency, posted_credits, debits_must_not_exceed_credits) VALUES ('${uuidv7()}', 'USD', 1000000, false)`,
    ]) {
      await expect(db.query(sql)).rejects.toThrow(/permission denied/);
    }
  });

  it('has nothing to RESET ROLE back to and cannot SET ROLE to a stronger one', async () => {
    await db.transaction(async (m) => {
      await m.query(`RESET ROLE`);
      await expect(m.query(`UPDATE ledger.postings SET amount = amount + 1`)).rejects.toThrow(/permission denied/);
    });
    for (const role of [ledger.owner, 'postgres', identity.app]) {
      await expect(db.query(`SET ROLE ${role}`)).rejects.toThrow(/permission denied/);
    }
    await expect(db.query(`SET SESSION AUTHORIZATION postgres`)).rejects.toThrow(/permission denied/);
  });

  it('has no DDL: no table created, no trigger disabled or dropped', async () => {
    for (const sql of [
      `CREATE TABLE ledger.sneaky (id int)`,
      `CREATE TABLE public.sneaky (id int)`,
      `ALTER TABLE ledger.postings DISABLE TRIGGER USER`,
      `DROP TRIGGER postings_apply ON ledger.postings`,
      `CREATE SCHEMA sneaky`,
    ]) {
      await expect(db.query(sql)).rejects.toThrow(/permission denied|must be owner/);
    }
  });

  it("cannot read another service's schema", async () => {
    await expect(db.query(`SELECT * FROM identity.probe`)).rejects.toThrow(/permission denied/);
  });

  it('production mode refuses a DATABASE_URL that connects as a superuser, naming the variable', async () => {
    await expect(
      openServiceDatabase({
        url: FRESH,
        schema: 'ledger',
        applicationName: 'roles-spec',
        migrations: LEDGER_MIGRATIONS,
        migrationsAtStart: 'check',
        refuseSuperuser: true,
      }),
    ).rejects.toThrow(/DATABASE_URL connects as a Postgres superuser/);
    // Refused before migrating: nothing was created as the superuser.
    const never = testDatabaseUrl('int_roles_never');
    await dropDatabase(never);
    await expect(
      openServiceDatabase({ url: never, schema: 'ledger', applicationName: 'roles-spec', migrations: LEDGER_MIGRATIONS, refuseSuperuser: true }),
    ).rejects.toThrow(/DATABASE_URL connects as a Postgres superuser/);
    const found = await asSuperuser(serverUrl(never), (c) => c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [dbName(never)]));
    expect(found.rowCount).toBe(0);
  });

  it('a database first migrated as the superuser is handed to the owner role, which then migrates it on', async () => {
    await dropDatabase(UPGRADED);
    await asSuperuser(serverUrl(UPGRADED), (c) => c.query(`CREATE DATABASE "${dbName(UPGRADED)}"`));
    const options = { url: UPGRADED, schema: 'ledger', applicationName: 'roles-spec', migrations: LEDGER_MIGRATIONS.slice(0, -1) };
    await migrateServiceDatabase(options);
    await provisionServiceRoles(UPGRADED, { services: ['ledger'] });
    const ran = await migrateServiceDatabase({
      ...options,
      migrations: LEDGER_MIGRATIONS,
      url: roleUrl(UPGRADED, ledger.login),
      migrationUrl: roleUrl(UPGRADED, ledger.owner),
    });
    expect(ran).toEqual([LEDGER_MIGRATIONS[LEDGER_MIGRATIONS.length - 1].name]);
    const owners = await asSuperuser(
      UPGRADED,
      async (c) =>
        (
          await c.query(`SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'ledger'::regnamespace
                      UNION SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc WHERE pronamespace = 'ledger'::regnamespace`)
        ).rows,
    );
    expect(owners).toEqual([{ owner: ledger.owner }]);
  });
});
