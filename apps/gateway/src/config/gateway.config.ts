import { EnvReader, readBaseConfig, BaseConfig } from '@tally/bootstrap';

export interface GatewayConfig extends Omit<BaseConfig, 'databaseUrl'> {
  jwtSecret: string;
  /** How long a command may wait for its reply before the client gets 503. */
  commandTimeoutMs: number;
  /** How long a money command waits for its final state before answering 202 pending. */
  settleWaitMs: number;
  /** How long the gateway trusts identity's answer that a session or API key is live (0: ask on every request). */
  authCacheMs: number;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const reader = new EnvReader(env);
  const { databaseUrl: _unused, ...base } = readBaseConfig(reader, 'gateway', 8080);
  const config: GatewayConfig = {
    ...base,
    jwtSecret: reader.secret('JWT_SECRET', 'tally-dev-only-jwt-secret-change-me-0123456789', 32),
    commandTimeoutMs: reader.int('COMMAND_TIMEOUT_MS', 5000, 100, 60000),
    settleWaitMs: reader.int('SETTLE_WAIT_MS', 3000, 0, 30000),
    authCacheMs: reader.int('AUTH_CACHE_MS', 5000, 0, 60000),
  };
  reader.done();
  return config;
}
