// npm run demo: compiles tools/demo (TypeScript, swc) into tmp/demo and runs it against a running stack.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'tmp', 'demo');
rmSync(out, { recursive: true, force: true });
execFileSync(join(root, 'node_modules/.bin/swc'), ['tools/demo', '-d', out, '--config-file', '.swcrc', '--strip-leading-paths', '--quiet'], {
  cwd: root,
  stdio: 'inherit',
});
execFileSync(process.execPath, [join(out, 'demo', 'main.js')], { cwd: root, stdio: 'inherit', env: process.env });
