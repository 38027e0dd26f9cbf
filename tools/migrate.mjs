// npm run migrate: runs every service's pending migrations without starting the services, through
// each one's migrate-only entrypoint (`node dist/apps/<service>/src/main.js migrate`, the same the
// Kubernetes migration Job runs). They start together: the migrations advisory lock makes them take
// turns. Services migrate at start-up too (MIGRATIONS_AT_START=run), so this is for operators who
// migrate first and start the services with MIGRATIONS_AT_START=check.
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'inherit' });
const services = ['gateway', 'identity', 'ledger', 'fraud', 'analytics', 'notification'];
const codes = await Promise.all(
  services.map(
    (service) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [join(root, `dist/apps/${service}/src/main.js`), 'migrate'], { cwd: root, stdio: 'inherit' });
        child.on('exit', (code) => resolve(code ?? 1));
      }),
  ),
);
const failed = services.filter((_, i) => codes[i] !== 0);
if (failed.length > 0) {
  console.error(`migrations failed for ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`migrations done for ${services.length} services`);
