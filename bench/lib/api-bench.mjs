// What the API benchmarks share: the index they read, the handlers bundled from TypeScript, a
// timer that keeps every sample per label, and a seeded random stream so that runs compare.

import Database from 'better-sqlite3';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The index at `dbPath`, read-only; exits with `missingHint` when there is none. */
export function openIndex(dbPath, missingHint) {
  if (!fs.existsSync(dbPath)) {
    console.error(`${dbPath} is missing: ${missingHint}`);
    process.exit(1);
  }
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  loadIndexExtension(db);
  return db;
}

/**
 * Loads capscope's SQLite extension (built by scripts/build.mjs): an index's syscall events are its
 * column_blocks virtual table. An index of an older capscope (events as a plain table) reads without it.
 */
export function loadIndexExtension(db) {
  const file = path.join(root, 'dist', 'native', `row_batch.${process.platform === 'win32' ? 'dll' : process.platform === 'darwin' ? 'dylib' : 'so'}`);
  if (fs.existsSync(file)) db.loadExtension(file);
}

/**
 * The module at `entry` (relative to the repository) bundled into bench/data/NAME.mjs and
 * imported: the handlers are TypeScript; npm packages stay outside the bundle (better-sqlite3 is
 * native, and CommonJS ones such as yaml need Node's own require), resolved from node_modules.
 */
export async function importHandlers(entry, name) {
  const bundle = path.join(root, 'bench', 'data', `${name}.mjs`);
  await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: bundle,
    logLevel: 'error',
  });
  return import(pathToFileURL(bundle).href);
}

/** `time(label, call)` runs `call`, keeps its milliseconds under `label` in `timings`, and returns its answer. */
export function createTimer({ verbose = false } = {}) {
  const timings = new Map();
  async function time(label, call) {
    const t0 = process.hrtime.bigint();
    const res = await call();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (verbose) console.error(`${ms.toFixed(1).padStart(9)} ms  ${label}`);
    if (!timings.has(label)) timings.set(label, []);
    timings.get(label).push(ms);
    return res;
  }
  return { time, timings };
}

/** A deterministic stream of "random" numbers in [0, 1). */
export function seededRandom(seed = 12345) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** The p-th percentile of `xs` (nearest rank, `xs` left as it is). */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
