import './tracing';

import { ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { exitOnStartupFailure, runService } from '@tally/bootstrap';
import { AppModule } from './app.module';
import { loadGatewayConfig } from './config/gateway.config';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { hardenHttp } from './http/http-hardening';
import { serveOpenApi } from './openapi/openapi';
import { serveWebApps } from './web/web-apps';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  await runService({
    config,
    module: AppModule.forConfig(config),
    configure: (app) => {
      hardenHttp(app as NestExpressApplication, config);
      serveWebApps(app as NestExpressApplication, config);
      app.useGlobalFilters(new ApiExceptionFilter());
      app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
      if (config.apiDocs) serveOpenApi(app);
    },
  });
}

main().catch(exitOnStartupFailure('gateway'));
