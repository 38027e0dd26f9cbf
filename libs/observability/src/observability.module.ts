import { Global, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { HealthController, HealthRegistry } from './health';
import { serviceLogger } from './json-logger';
import { MetricsController } from './metrics';

/**
 * Health (live/ready), Prometheus metrics, and Nest's logger: nestjs-pino over the service's pino
 * logger (json-logger.ts), which runService makes the application's logger. pino-http binds each
 * request's id to the lines logged while it runs; its own request lines are off, the gateway writes
 * one access line per request without query string or body.
 */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      useFactory: () => ({
        pinoHttp: {
          logger: serviceLogger(),
          autoLogging: false,
          quietReqLogger: true,
          customAttributeKeys: { reqId: 'requestId' },
          // requestIdMiddleware runs first and keeps a well-formed X-Request-Id.
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
        },
      }),
    }),
  ],
  controllers: [HealthController, MetricsController],
  providers: [HealthRegistry],
  exports: [HealthRegistry],
})
export class ObservabilityModule {}
