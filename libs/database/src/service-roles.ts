import { Client } from 'pg';
import { withAdvisoryLock } from './ensure-database';

/**
 * Least privilege in Postgres (docs/security.md, "Postgres roles"). Per service:
 * - `tally_<service>_owner` (LOGIN): owns the service's schema and everything in it; its migrations
 *   run as it (MIGRATION_DATABASE_URL). Never a superuser, no CREATEROLE, no CREATEDB.
 * - `tally_<service>_app` (NOLOGIN): what the migrations grant row access to.
 * - `tally_<service>` (LOGIN, member of `_app`): what the service connects as at run time
 *   (DATABASE_URL). It owns nothing, so it has no DDL and nothing to RESET ROLE back to.
 * Role names are cluster-wide; databases (and test databases per TEST_DB_PREFIX) share them.
 */
export const SERVICES_WITH_SCHEMAS = ['gateway', 'identity', 'ledger', 'fraud', 'analytics', 'notification'] as const;

export interface ServiceRoles {
  login: string;
  owner: string;
  app: string;
}

export function serviceRoles(service: string): ServiceRoles {
  return { login: `tally_${service}`, owner: `tally_${service}_owner`, app: `tally_${service}_app` };
}

/** The same server and database as url, connecting as role (the password, if any, replaced). */
export function roleUrl(url: string, role: string, password?: string): string {
  const out = new URL(url);
  out.username = role;
  out.password = password ?? '';
  return out.toString();
}

/** Key of the advisory lock (taken in the `postgres` database) under which roles are created. */
export const ROLES_LOCK = 7_366_110_003;

/**
 * For a migration: the NOLOGIN role it grants to must exist. A superuser or CREATEROLE connection
 * (the int tests' throwaway databases) creates it; the owner role cannot, so it is provisioned first
 * (provisionServiceRoles, CloudNativePG's managed roles) and a missing one is named.
 */
export function ensureAppRoleSql(role: string): string {
  return `
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
          RAISE EXCEPTION 'the role ${role} is missing: create it (NOLOGIN) before migrating, see docs/security.md'
            USING ERRCODE = 'undefined_object';
        END IF;
        BEGIN
          CREATE ROLE ${role} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
      END IF;
    END $$`;
}

/**
 * Creates every service's three roles (idempotent; as a superuser or a CREATEROLE admin) and, in
 * the database adminUrl names, each service's schema owned by its owner role. A schema that exists
 * with another owner (a database first migrated as the superuser) is handed over with everything
 * in it, so its owner role can migrate it from then on. Passwords: none by default (local trust
 * auth); `password(role)` sets one. `schemas: false`: the roles only.
 */
export async function provisionServiceRoles(
  adminUrl: string,
  options: { services?: readonly string[]; password?: (role: string) => string | undefined; schemas?: boolean } = {},
): Promise<void> {
  const services = options.services ?? SERVICES_WITH_SCHEMAS;
  const server = new URL(adminUrl);
  server.pathname = '/postgres';
  await withAdvisoryLock(server.toString(), ROLES_LOCK, async (client) => {
    for (const service of services) {
      const roles = serviceRoles(service);
      await createRole(client, roles.app, 'NOLOGIN');
      await createRole(client, roles.owner, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', options.password?.(roles.owner));
      await createRole(client, roles.login, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', options.password?.(roles.login));
      const member = await client.query(
        `SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = $1 AND u.rolname = $2`,
        [roles.app, roles.login],
      );
      if (member.rowCount === 0) await client.query(`GRANT ${roles.app} TO ${roles.login}`);
    }
  });
  if (options.schemas === false) return;
  const db = new Client({ connectionString: adminUrl, application_name: 'tally-provision-roles' });
  await db.connect();
  try {
    for (const service of services) await adoptSchema(db, service, serviceRoles(service).owner);
  } finally {
    await db.end();
  }
}

async function createRole(client: Client, role: string, attributes: string, password?: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (found.rowCount === 0) {
    try {
      await client.query(`CREATE ROLE ${role} ${attributes}`);
    } catch (err) {
      // Another server's provisioning (another checkout, no shared lock) got there first.
      if (!['42710', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
    }
  }
  // A pre-existing role may have been created with more (the old NOLOGIN ledger role stays NOLOGIN).
  if (attributes.startsWith('LOGIN')) await client.query(`ALTER ROLE ${role} ${attributes}`);
  if (password !== undefined) await client.query(`ALTER ROLE ${role} PASSWORD ${client.escapeLiteral(password)}`);
}

async function adoptSchema(db: Client, schema: string, owner: string): Promise<void> {
  const found = await db.query<{ owner: string }>(`SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1`, [schema]);
  if (found.rowCount === 0) {
    await db.query(`CREATE SCHEMA "${schema}" AUTHORIZATION ${owner}`);
    return;
  }
  if (found.rows[0].owner === owner) return;
  await db.query(`ALTER SCHEMA "${schema}" OWNER TO ${owner}`);
  // Tables and views (their indexes, triggers and column sequences follow), other sequences, functions.
  const relations = await db.query<{ name: string; kind: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass)`,
    [schema],
  );
  for (const r of relations.rows) {
    const what = r.kind === 'v' ? 'VIEW' : r.kind === 'm' ? 'MATERIALIZED VIEW' : r.kind === 'S' ? 'SEQUENCE' : 'TABLE';
    await db.query(`ALTER ${what} ${r.name} OWNER TO ${owner}`);
  }
  const functions = await db.query<{ name: string }>(
    `SELECT p.oid::regprocedure::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`,
    [schema],
  );
  for (const f of functions.rows) await db.query(`ALTER ROUTINE ${f.name} OWNER TO ${owner}`);
}

/** Whether url logs in as a superuser (production refuses to run as one); asked in `postgres` while its database does not exist yet. */
export async function connectsAsSuperuser(url: string): Promise<boolean> {
  const ask = async (target: string) => {
    const client = new Client({ connectionString: target, application_name: 'tally-role-check' });
    await client.connect();
    try {
      const rows = await client.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
      return rows.rows[0]?.rolsuper === true;
    } finally {
      await client.end();
    }
  };
  try {
    return await ask(url);
  } catch (err) {
    // 3D000 invalid_catalog_name: the database is created by the migrations' first run.
    if ((err as { code?: string }).code !== '3D000') throw err;
    const server = new URL(url);
    server.pathname = '/postgres';
    return ask(server.toString());
  }
}

/**
 * A migration's grants for a service's runtime role: row access (SELECT, INSERT, UPDATE, DELETE)
 * to every table of its schema, SELECT only on the migrations table and on the append-only tables
 * (INSERT too on those), its sequences, and the same row access on the tables later migrations of
 * the owner create (default privileges). No DDL, no TRUNCATE, nothing outside the schema.
 */
export function runtimeGrantsSql(schema: string, role: string, appendOnly: readonly string[] = []): string[] {
  return [
    ensureAppRoleSql(role),
    `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
    `REVOKE INSERT, UPDATE, DELETE ON ${schema}.migrations FROM ${role}`,
    ...appendOnly.map((table) => `REVOKE UPDATE, DELETE ON ${schema}.${table} FROM ${role}`),
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${role}`,
  ];
}

/** The down of runtimeGrantsSql: the role keeps existing (other databases may use it). */
export function revokeRuntimeGrantsSql(schema: string, role: string): string[] {
  return [
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ALL ON TABLES FROM ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ALL ON SEQUENCES FROM ${role}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${role}`,
    `REVOKE USAGE ON SCHEMA ${schema} FROM ${role}`,
  ];
}
