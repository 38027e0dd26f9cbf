import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayConfig } from '../config/gateway.config';
import { sendApiError } from '../http/api-exception.filter';

/** The web apps api-v1 names: the admin console at /admin and the user's app at /app. */
export const WEB_APPS = ['admin', 'app'] as const;

/**
 * Serves the built web apps (static files, no CDN): hashed assets cached for a year, and every
 * other path under the app answered with its index.html (client-side routes such as
 * /admin/users/<id>), never cached so a new build shows at once. An app that was not built is
 * left out with a warning, and its path answers 404 like any unknown route.
 */
export function serveWebApps(app: NestExpressApplication, config: GatewayConfig): void {
  const logger = new Logger('WebApps');
  for (const name of WEB_APPS) {
    const dir = join(config.webRoot, name);
    const index = join(dir, 'index.html');
    if (!existsSync(index)) {
      logger.warn({ msg: 'web app not built; run npm run build', app: name, dir });
      continue;
    }
    app.useStaticAssets(join(dir, 'assets'), { prefix: `/${name}/assets/`, index: false, immutable: true, maxAge: '365d' });
    // A missing asset is a 404, not the app's page in its place.
    app.use(`/${name}/assets`, (req: Request, res: Response) => sendApiError(req, res, 404, 'NOT_FOUND', 'No such file'));
    app.useStaticAssets(dir, { prefix: `/${name}/`, index: false, maxAge: 0 });
    app.use(`/${name}`, (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  }
}
