import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Two single-page apps from one project: `--mode admin` (the console, served at /admin) and
 * `--mode app` (the user's web app, at /app). Each is built into dist/web/<mode> with every asset
 * under its own prefix, so the gateway serves each folder as it is; nothing is loaded from a CDN.
 */
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => {
  if (mode !== 'admin' && mode !== 'app') throw new Error(`build with --mode admin or --mode app (got ${mode})`);
  return {
    root: `${here}src/${mode}`,
    base: `/${mode}/`,
    plugins: [react()],
    resolve: { alias: { '@tally/contracts': `${here}../../libs/contracts/src/index.ts` } },
    build: {
      outDir: `${here}../../dist/web/${mode}`,
      emptyOutDir: true,
      // Charts and the component library make one large vendor chunk; it is cached (hashed name), so the warning says nothing useful.
      chunkSizeWarningLimit: 1500,
      sourcemap: true,
    },
  };
});
