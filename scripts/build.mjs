// Builds everything the CLI, the web mode and the Electron shell run from, into dist/:
//   dist/cli.mjs, dist/ingest-worker.mjs       Node side (ESM; node_modules stay external)
//   dist/electron/main.mjs, preload.cjs        Electron main (ESM) and sandboxed preload (CJS)
//   dist/renderer/                             the React app, built by Vite
// Type checking is separate (npm run typecheck): esbuild only strips types.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = (p) => path.join(root, p);
const quiet = process.argv.includes('--quiet');

const nodeSide = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Bundled ESM has no require(); some dependencies are CommonJS and need one.
  banner: { js: "import { createRequire as __capscopeCreateRequire } from 'node:module'; const require = __capscopeCreateRequire(import.meta.url);" },
};

const started = Date.now();
await Promise.all([
  esbuild({ ...nodeSide, entryPoints: { cli: at('core/cli.ts'), 'ingest-worker': at('core/index/ingest-worker.ts') }, outdir: at('dist'), outExtension: { '.js': '.mjs' } }),
  esbuild({ ...nodeSide, entryPoints: { main: at('electron/main.ts') }, outdir: at('dist/electron'), outExtension: { '.js': '.mjs' }, external: ['electron'] }),
  esbuild({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    logLevel: 'warning',
    entryPoints: { preload: at('electron/preload.ts') },
    outdir: at('dist/electron'),
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);
await vite({ configFile: at('renderer/vite.config.ts'), logLevel: quiet ? 'silent' : 'warn' });
if (!quiet) console.log(`capscope built into dist/ in ${Date.now() - started} ms`);
