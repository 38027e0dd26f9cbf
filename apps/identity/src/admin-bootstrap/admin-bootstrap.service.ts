import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserRegisteredV1, uuidv7 } from '@tally/contracts';
import { enqueueEvent, Messaging } from '@tally/messaging';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { TotpSeeds } from '../mfa/totp-seeds';
import { PasswordHasher } from '../passwords/password-hasher';
import { AdminCredentials } from './admin-credentials';

export type AdminBootstrapOutcome = { outcome: 'created'; userId: string } | { outcome: 'exists'; userId: string; admin: boolean };

/**
 * Creates the first admin at start-up when TALLY_ADMIN_EMAIL and TALLY_ADMIN_PASSWORD are set.
 * Runs in app.init(), after migrations and before the service listens, so a login never races it.
 * Idempotent and safe when several replicas start at once: the insert relies on the unique email
 * index (ON CONFLICT DO NOTHING), so exactly one replica creates the user and announces it.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: Messaging,
    private readonly passwords: PasswordHasher,
    private readonly totpSeeds: TotpSeeds,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.admin) return;
    const result = await ensureAdmin(this.dataSource, this.config.admin, { passwords: this.passwords, totpSeeds: this.totpSeeds });
    if (result.outcome === 'created') {
      this.messaging.published();
      this.logger.log({ msg: 'bootstrap admin created', userId: result.userId });
    } else if (!result.admin) {
      // Never grant admin to an account someone else may have registered with this email first.
      this.logger.warn({ msg: 'TALLY_ADMIN_EMAIL belongs to an existing user without the admin role; not granted', userId: result.userId });
    }
  }
}

/**
 * Creates the admin user unless one with this email exists; never changes an existing user's
 * password or roles. A dev TOTP seed (TALLY_ADMIN_TOTP_SECRET) is set on the admin while it has
 * no confirmed TOTP, so dev stacks and tests can compute its codes; production has none (the admin
 * enrols at first sign-in).
 */
export async function ensureAdmin(
  dataSource: DataSource,
  admin: AdminCredentials,
  deps: { passwords: PasswordHasher; totpSeeds: TotpSeeds },
): Promise<AdminBootstrapOutcome> {
  const outcome = await createAdmin(dataSource, admin, deps.passwords);
  const { totpSecret } = admin;
  if (totpSecret && (outcome.outcome === 'created' || outcome.admin)) {
    await dataSource.transaction((manager) => deps.totpSeeds.setConfirmed(manager, outcome.userId, totpSecret));
  }
  return outcome;
}

async function createAdmin(dataSource: DataSource, admin: AdminCredentials, passwords: PasswordHasher): Promise<AdminBootstrapOutcome> {
  const existing = await findByEmail(dataSource, admin.email);
  if (existing) return { outcome: 'exists', userId: existing.id, admin: existing.roles.includes('admin') };
  const passwordHash = await passwords.hash(admin.password);
  const created = await dataSource.transaction(async (manager) => {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO identity.users (id, email, username, full_name, phone, password_hash, roles)
       VALUES ($1, $2, NULL, 'Administrator', NULL, $3, ARRAY['user', 'admin'])
       ON CONFLICT ((lower(email))) DO NOTHING
       RETURNING id`,
      [uuidv7(), admin.email, passwordHash],
    );
    if (rows.length === 0) return undefined;
    await enqueueEvent(manager, 'identity', UserRegisteredV1, {
      source: 'identity',
      subject: rows[0].id,
      data: { userId: rows[0].id, username: null },
    });
    return rows[0].id;
  });
  if (created) return { outcome: 'created', userId: created };
  // Another replica inserted it between our read and our insert.
  const winner = await findByEmail(dataSource, admin.email);
  if (!winner) throw new Error('bootstrap admin vanished after a conflicting insert');
  return { outcome: 'exists', userId: winner.id, admin: winner.roles.includes('admin') };
}

async function findByEmail(dataSource: DataSource, email: string): Promise<{ id: string; roles: string[] } | undefined> {
  const rows: { id: string; roles: string[] }[] = await dataSource.query(`SELECT id, roles FROM identity.users WHERE lower(email) = lower($1)`, [email]);
  return rows[0];
}
