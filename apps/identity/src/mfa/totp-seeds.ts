import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SecretBox } from '@tally/auth';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity.config';
import { MfaRepository, TotpRow } from './mfa.repository';

/** TOTP seeds at rest: encrypted with MFA_SECRET_KEY and bound to their user, so a row copied to another user does not open. */
@Injectable()
export class TotpSeeds {
  private readonly box: SecretBox;

  constructor(
    private readonly mfa: MfaRepository,
    @Inject(IDENTITY_CONFIG) config: Pick<IdentityConfig, 'mfa'>,
  ) {
    this.box = new SecretBox(config.mfa.secretKey);
  }

  seal(userId: string, seed: string): string {
    return this.box.seal(seed, `totp:${userId}`);
  }

  open(row: TotpRow): string {
    return this.box.open(row.secret_encrypted, `totp:${row.user_id}`);
  }

  /** Sets a confirmed seed (the bootstrap admin's dev seed) unless the user has confirmed TOTP already. */
  setConfirmed(manager: EntityManager, userId: string, seed: string): Promise<boolean> {
    return this.mfa.setConfirmed(manager, userId, this.seal(userId, seed));
  }
}
