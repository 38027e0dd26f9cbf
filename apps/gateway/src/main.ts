import { startTracing } from '@tally/observability';
startTracing('gateway');

import { ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { exitOnStartupFailure, runService } from '@tally/bootstrap';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { ApiExceptionFilter } from './http/api-exception.filter';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  await runService({
    config,
    module: AppModule.forConfig(config),
    configure: (app) => {
      const express = app as NestExpressApplication;
      express.useBodyParser('json', { limit: '64kb' });
      express.disable('x-powered-by');
      express.set('trust proxy', 'loopback');
      app.useGlobalFilters(new ApiExceptionFilter());
      app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    },
  });
}

main().catch(exitOnStartupFailure('gateway'));
