// Builds the two web apps (apps/web) with Vite into dist/web/admin and dist/web/app; the gateway serves them.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vite = join(root, 'node_modules/vite/bin/vite.js');
for (const mode of ['admin', 'app']) {
  execFileSync(process.execPath, [vite, 'build', '--config', 'apps/web/vite.config.mts', '--mode', mode, '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
