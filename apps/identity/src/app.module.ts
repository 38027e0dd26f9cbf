import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { serviceInfrastructure } from '@tally/bootstrap';
import { AdminBootstrap } from './admin-bootstrap/admin-bootstrap.service';
import { AuthService } from './auth/auth.service';
import { IdentityCommandsController } from './commands/identity-commands.controller';
import { IDENTITY_CONFIG, IdentityConfig } from './config/identity.config';
import { AdminUsersService } from './admin-users/admin-users.service';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { EmailTokensRepository } from './email-tokens/email-tokens.repository';
import { EmailTokensService } from './email-tokens/email-tokens.service';
import { CreateIdentitySchema1763769600000 } from './migrations/1763769600000-create-identity-schema';
import { SessionsApiKeysTokens1764115200000 } from './migrations/1764115200000-sessions-api-keys-tokens';
import { ApiKeyIdempotency1764201600000 } from './migrations/1764201600000-api-key-idempotency';
import { SecondFactorSessionLifetime1764400000000 } from './migrations/1764400000000-second-factor-session-lifetime';
import { RuntimeRole1766100000000 } from './migrations/1766100000000-runtime-role';
import { ProfileSettings1766200000000 } from './migrations/1766200000000-profile-settings';
import { MfaRepository } from './mfa/mfa.repository';
import { MfaService } from './mfa/mfa.service';
import { TotpSeeds } from './mfa/totp-seeds';
import { CountedPasswordCheck } from './passwords/counted-password-check';
import { CREDENTIAL_COMMAND_GATE, credentialCommandGate } from './passwords/credential-command-gate';
import { HashingPool } from './passwords/hashing-pool';
import { PasswordHasher } from './passwords/password-hasher';
import { PasswordsService } from './passwords/passwords.service';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { UsersRepository } from './users/users.repository';
import { ProfileService } from './profile/profile.service';

export const IDENTITY_MIGRATIONS = [
  CreateIdentitySchema1763769600000,
  SessionsApiKeysTokens1764115200000,
  ApiKeyIdempotency1764201600000,
  SecondFactorSessionLifetime1764400000000,
  RuntimeRole1766100000000,
  ProfileSettings1766200000000,
];

/** The one password hasher of the process, its pool sized from config (PASSWORD_HASH_*). */
export function passwordHasher(config: IdentityConfig): PasswordHasher {
  const { memoryKib, timeCost, concurrency, maxQueue, maxWaitMs } = config.passwordHashing;
  return new PasswordHasher(new HashingPool({ concurrency, maxQueue, maxWaitMs }), { memoryKib, timeCost });
}

@Module({})
export class AppModule {
  static forConfig(config: IdentityConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...serviceInfrastructure({ config, schema: config.schema, migrations: IDENTITY_MIGRATIONS }),
        JwtModule.register({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256', issuer: 'tally' } }),
      ],
      controllers: [IdentityCommandsController],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        { provide: PasswordHasher, useValue: passwordHasher(config) },
        { provide: CREDENTIAL_COMMAND_GATE, useValue: credentialCommandGate(config) },
        CountedPasswordCheck,
        PasswordsService,
        MfaRepository,
        MfaService,
        TotpSeeds,
        UsersRepository,
        SessionsRepository,
        ApiKeysRepository,
        EmailTokensRepository,
        AuthService,
        SessionsService,
        ApiKeysService,
        EmailTokensService,
        AdminUsersService,
        ProfileService,
        AdminBootstrap,
      ],
    };
  }
}
