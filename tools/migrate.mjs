// npm run migrate: runs every service's pending migrations (each in its own schema) without starting
// the services. Services also run them at start-up, so this is for operators who migrate first.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const { openServiceDatabase } = require(join(root, 'dist/libs/database/src/index.js'));
const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432');
if (url.pathname === '' || url.pathname === '/') url.pathname = '/tally';

for (const service of ['gateway', 'identity', 'ledger', 'fraud', 'analytics', 'notification']) {
  const module = require(join(root, `dist/apps/${service}/src/app.module.js`));
  const migrations = module[`${service.toUpperCase()}_MIGRATIONS`];
  const dataSource = await openServiceDatabase({ url: url.toString(), schema: service, applicationName: `tally-migrate-${service}`, migrations });
  const applied = await dataSource.query(`SELECT name FROM "${service}".migrations ORDER BY id`);
  console.log(`${service}: ${applied.length} migration(s) applied: ${applied.map((r) => r.name).join(', ')}`);
  await dataSource.destroy();
}
