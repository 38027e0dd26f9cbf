import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  Actor,
  DomainError,
  MfaStatusView,
  RecoveryCodes,
  RequestOrigin,
  SECOND_FACTOR_ROLES,
  SecondFactor,
  SecondFactorPayload,
  TotpEnrolment,
} from '@tally/contracts';
import { Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { UsersRepository } from '../users/users.repository';
import { MfaRepository } from './mfa.repository';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes';
import { newTotpSeed, totpUri, verifyTotp } from './totp';
import { TotpSeeds } from './totp-seeds';

/** What a login's second factor came to. */
export type SecondFactorCheck = { factor: SecondFactor } | { missing: true } | { invalid: true } | { notEnrolled: true };

/** Roles a session holds: admin and auditor only when it was opened with a second factor. */
export function sessionRoles(roles: string[], factor: SecondFactor | null): string[] {
  return factor ? roles : roles.filter((r) => !(SECOND_FACTOR_ROLES as readonly string[]).includes(r));
}

export function needsSecondFactor(roles: string[]): boolean {
  return roles.some((r) => (SECOND_FACTOR_ROLES as readonly string[]).includes(r));
}

const WRONG_CODE = 'is not a current code of your authenticator nor an unused recovery code';

/**
 * TOTP (RFC 6238) as the second factor, with ten one-time recovery codes. The seed is stored
 * encrypted (MFA_SECRET_KEY, bound to the user); recovery codes only as hashes. Every change is in
 * the security audit trail.
 */
@Injectable()
export class MfaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mfa: MfaRepository,
    private readonly seeds: TotpSeeds,
    private readonly users: UsersRepository,
    private readonly messaging: Messaging,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async status(actor: Actor): Promise<MfaStatusView> {
    const [totp, left, user] = await Promise.all([this.mfa.totp(actor.userId), this.mfa.recoveryCodesLeft(actor.userId), this.users.findById(actor.userId)]);
    return {
      totp: {
        enabled: Boolean(totp?.confirmed_at),
        pendingEnrolment: Boolean(totp && !totp.confirmed_at),
        confirmedAt: totp?.confirmed_at ? new Date(totp.confirmed_at).toISOString() : null,
      },
      recoveryCodesLeft: totp?.confirmed_at ? left : 0,
      requiredForRoles: needsSecondFactor(user?.roles ?? []),
    };
  }

  /** A new seed, shown once; CONFLICT when TOTP is already enabled (disable it first to change it). */
  async enrol(actor: Actor, origin: RequestOrigin): Promise<TotpEnrolment> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new DomainError('NOT_FOUND', 'User not found');
    const seed = newTotpSeed();
    const started = await this.dataSource.transaction(async (manager) => {
      const row = await this.mfa.startEnrolment(manager, user.id, this.seeds.seal(user.id, seed));
      if (row) await recordSecurityEvent(manager, { userId: user.id, kind: 'mfa_enrolment_started', sessionId: actor.sessionId, ...origin });
      return row;
    });
    if (!started)
      throw new DomainError('CONFLICT', 'TOTP is already enabled; disable it first to enrol another authenticator', { reason: 'MFA_ALREADY_ENABLED' });
    this.messaging.published();
    return { secret: seed, otpauthUri: totpUri(seed, this.config.mfa.issuer, user.email) };
  }

  /** The first code from the authenticator turns TOTP on; the recovery codes are answered this once. */
  async confirm(actor: Actor, input: SecondFactorPayload): Promise<RecoveryCodes> {
    const code = requireCode(input.code);
    const codes = newRecoveryCodes();
    await this.dataSource.transaction(async (manager) => {
      const totp = await this.mfa.totp(actor.userId, manager, true);
      if (!totp || totp.confirmed_at)
        throw new DomainError('CONFLICT', 'There is no TOTP enrolment to confirm; start one first', { reason: 'NO_PENDING_ENROLMENT' });
      const step = verifyTotp(this.seeds.open(totp), code, null);
      if (step === undefined) throw new DomainError('VALIDATION_FAILED', 'The code is not right', { code: 'is not the current code of your authenticator' });
      await this.mfa.confirm(manager, actor.userId, step);
      await this.mfa.replaceRecoveryCodes(manager, actor.userId, codes.map(recoveryCodeHash));
      await recordSecurityEvent(manager, { userId: actor.userId, kind: 'mfa_enabled', sessionId: actor.sessionId, ip: input.ip, userAgent: input.userAgent });
    });
    this.messaging.published();
    return { recoveryCodes: codes };
  }

  /** Turns TOTP off with a current code (or a recovery code); admin and auditor powers end with the next sign-in. */
  async disable(actor: Actor, input: SecondFactorPayload): Promise<void> {
    const code = requireCode(input.code);
    await this.dataSource.transaction(async (manager) => {
      const proof = await this.prove(manager, actor.userId, code);
      if (!proof) throw new DomainError('VALIDATION_FAILED', 'The code is not right', { code: WRONG_CODE });
      await this.mfa.remove(manager, actor.userId);
      await recordSecurityEvent(manager, { userId: actor.userId, kind: 'mfa_disabled', sessionId: actor.sessionId, ip: input.ip, userAgent: input.userAgent });
    });
    this.messaging.published();
  }

  async regenerateRecoveryCodes(actor: Actor, input: SecondFactorPayload): Promise<RecoveryCodes> {
    const code = requireCode(input.code);
    const codes = newRecoveryCodes();
    await this.dataSource.transaction(async (manager) => {
      const proof = await this.prove(manager, actor.userId, code);
      if (!proof) throw new DomainError('VALIDATION_FAILED', 'The code is not right', { code: WRONG_CODE });
      await this.mfa.replaceRecoveryCodes(manager, actor.userId, codes.map(recoveryCodeHash));
      await recordSecurityEvent(manager, {
        userId: actor.userId,
        kind: 'recovery_codes_regenerated',
        sessionId: actor.sessionId,
        ip: input.ip,
        userAgent: input.userAgent,
      });
    });
    this.messaging.published();
    return { recoveryCodes: codes };
  }

  /**
   * A login's second factor, in the login's transaction (so a code's step or a recovery code is
   * spent exactly when the session is made). Accounts without confirmed TOTP have none to give.
   */
  async checkAtLogin(manager: EntityManager, userId: string, input: { totpCode?: unknown; recoveryCode?: unknown }): Promise<SecondFactorCheck> {
    const totp = await this.mfa.totp(userId, manager, true);
    if (!totp?.confirmed_at) return { notEnrolled: true };
    if (typeof input.totpCode === 'string' && input.totpCode.length > 0) {
      const step = verifyTotp(this.seeds.open(totp), input.totpCode.trim(), totp.last_used_step === null ? null : Number(totp.last_used_step));
      return step !== undefined && (await this.mfa.useStep(manager, userId, step)) ? { factor: 'totp' } : { invalid: true };
    }
    if (typeof input.recoveryCode === 'string' && input.recoveryCode.length > 0 && input.recoveryCode.length <= 64) {
      return (await this.mfa.useRecoveryCode(manager, userId, recoveryCodeHash(input.recoveryCode))) ? { factor: 'recovery_code' } : { invalid: true };
    }
    return { missing: true };
  }

  private async prove(manager: EntityManager, userId: string, code: string): Promise<boolean> {
    const check = await this.checkAtLogin(manager, userId, /^\d{6}$/.test(code) ? { totpCode: code } : { recoveryCode: code });
    return 'factor' in check;
  }
}

function requireCode(code: unknown): string {
  if (typeof code !== 'string' || code.trim().length === 0 || code.length > 64) {
    throw new DomainError('VALIDATION_FAILED', 'code is required', { code: 'is required: a 6-digit TOTP code or a recovery code' });
  }
  return code.trim();
}
