// Compiles apps/, libs/, bench/ and tests/fixtures/ (services the e2e specs start) to dist/ with swc (fast; type checking is `npm run typecheck`),
// then the web apps (apps/web, Vite) into dist/web, which the gateway serves at /admin and /app.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  join(root, 'node_modules/.bin/swc'),
  // The Docker image's build has no tests/ (nor bench/ in the future): compile what is there.
  [
    ...['apps', 'libs', 'bench', 'tests/fixtures'].filter((dir) => existsSync(join(root, dir))),
    '-d',
    'dist',
    '--config-file',
    '.swcrc',
    '--ignore',
    '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts,apps/web/**',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);
execFileSync(process.execPath, [join(root, 'tools/build-web.mjs')], { cwd: root, stdio: 'inherit' });
