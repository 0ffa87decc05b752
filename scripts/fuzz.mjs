// npm run fuzz -- [--minutes N] [--seed S] [--format F] ...: the long fuzzing run (docs/fuzzing.md).
// Builds capscope (the run drives the built ingest worker and CLI, as users run them), bundles the
// harness in test/fuzz/ with esbuild (it is TypeScript, shared with the fixed-seed round in npm test)
// and runs it. --no-build skips the build when dist/ is already current.
import { build as esbuild } from 'esbuild';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const harnessArgs = args.filter((a) => a !== '--no-build');

if (!noBuild && !harnessArgs.includes('--help')) {
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// Bundled into dist/fuzz/ so the harness finds the repository two levels up, as from test/fuzz/.
const out = path.join(root, 'dist', 'fuzz', 'long-run.mjs');
await esbuild({
  entryPoints: [path.join(root, 'test', 'fuzz', 'long-run.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __fuzzCreateRequire } from 'node:module'; const require = __fuzzCreateRequire(import.meta.url);" },
});
const { main } = await import(pathToFileURL(out).href);
try {
  process.exitCode = await main(harnessArgs);
} catch (err) {
  console.error(`capscope fuzz: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
}
