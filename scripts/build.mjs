// Builds everything the CLI, the web mode and the Electron shell run from, into dist/:
//   dist/cli.mjs, dist/ingest-worker.mjs       Node side (ESM; node_modules stay external); the CLI's chunks, dist/cli-*.mjs
//   dist/ingest-spare.mjs                      what bin/capscope.js starts the ingest worker with, before it loads dist/cli.mjs
//   dist/electron/main.mjs, preload.cjs        Electron main (ESM) and sandboxed preload (CJS)
//   dist/renderer/                             the React app, built by Vite
//   dist/native/row_batch.so                   the row_batch SQLite extension (C), if a compiler is here
// Type checking is separate (npm run typecheck): esbuild only strips types.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

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

/**
 * Compiles the index's extension (row_batch, the column_blocks virtual table, capscope_evt_arg) against the
 * sqlite3ext.h of the SQLite that better-sqlite3 bundles. Without a C compiler or zlib's headers
 * it cannot be built: say what that costs (no syscall capture can be indexed) and what to install.
 */
function buildRowBatchExtension() {
  const sqliteDir = path.join(path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
  const ext = process.platform === 'win32' ? 'dll' : process.platform === 'darwin' ? 'dylib' : 'so';
  const out = at(`dist/native/row_batch.${ext}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const cc = process.env.CC ?? 'cc';
  const r = spawnSync(cc, ['-O2', '-std=c99', '-Wall', '-Wextra', '-Wno-unused-parameter', '-shared', '-fPIC', '-I', sqliteDir, at('core/index/native/row-batch.c'), at('core/index/native/column-blocks.c'), at('core/index/native/event-args.c'), at('core/index/native/scap-info.c'), '-o', out, '-lz', '-lm'], { encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(out, { force: true });
    console.warn(`capscope: could not compile the index's SQLite extension with ${cc} (${(r.error?.message ?? r.stderr).trim()}); syscall captures cannot be indexed without it (their events are its column_blocks table): install a C compiler and zlib's headers (Debian: gcc zlib1g-dev)`);
  } else if (r.stderr.trim()) console.warn(r.stderr.trim());
}

const started = Date.now();
buildRowBatchExtension();
// The last build's CLI chunks, whose names change with their content.
for (const name of fs.existsSync(at('dist')) ? fs.readdirSync(at('dist')) : []) if (/^cli-.*\.mjs(\.map)?$/.test(name)) fs.rmSync(at(`dist/${name}`));
await Promise.all([
  // The CLI split into chunks: each command's module is loaded when it is run (core/cli/main.ts).
  // The chunks sit beside cli.mjs, where the paths its modules find from import.meta.url expect them.
  esbuild({ ...nodeSide, entryPoints: { cli: at('core/cli/main.ts') }, splitting: true, chunkNames: 'cli-[name]-[hash]', outdir: at('dist'), outExtension: { '.js': '.mjs' } }),
  // The worker (and what starts it ahead) whole, each one file: a thread loads its bundle at once.
  esbuild({ ...nodeSide, entryPoints: { 'ingest-worker': at('core/ingest/worker.ts'), 'ingest-spare': at('core/ingest/spare-worker.ts') }, outdir: at('dist'), outExtension: { '.js': '.mjs' } }),
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
