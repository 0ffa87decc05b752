// Benchmark: the exploring views' API handlers (overview tiles, timeline, tables, drill-downs)
// timed directly in Node over the index of the ~1 GiB syscall capture that
// bench/scap-throughput.mjs generates and indexes (bench/data/synthetic-1024m.scap.sqlite).
// Each handler runs as the UI calls it: view switches, brushes (random ranges), drills, deep
// scrolling. Prints p50/p95 per method and variant as a Markdown table.
//
//   node bench/scap-throughput.mjs      # once: generates and indexes the capture (~5 min)
//   node bench/ui-queries.mjs [DB] [ROUNDS]

import Database from 'better-sqlite3';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dbPath = path.resolve(process.argv[2] || path.join(root, 'bench', 'data', 'synthetic-1024m.scap.sqlite'));
const rounds = Number(process.argv[3] || 20);
const verbose = process.env.VERBOSE === '1';
if (!fs.existsSync(dbPath)) {
  console.error(`${dbPath} is missing: run node bench/scap-throughput.mjs first`);
  process.exit(1);
}

// The handlers are TypeScript: bundle them (not their native dependency) for this run.
const bundle = path.join(root, 'bench', 'data', 'ui-queries-handlers.mjs');
await build({
  entryPoints: [path.join(root, 'core', 'queries', 'explore-handlers.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  outfile: bundle,
  logLevel: 'error',
});
const { createExploreHandlers } = await import(pathToFileURL(bundle).href);

const db = new Database(dbPath, { readonly: true, fileMustExist: true });
db.pragma('cache_size = -65536');
const api = createExploreHandlers({ db: () => db });

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

// A deterministic stream of "random" numbers, so that runs compare.
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const caseId = 'bench';
const first = await time('explore.shape (first call: builds nothing)', () => api['explore.shape']({ caseId }));
const span = { from: BigInt(first.span.from), to: BigInt(first.span.to) };
const width = span.to - span.from;
const rangeAt = (a, b) => ({ from: String(span.from + (width * BigInt(Math.round(a * 1e6))) / 1_000_000n), to: String(span.from + (width * BigInt(Math.round(b * 1e6))) / 1_000_000n) });
const randomRange = (maxShare = 0.5) => {
  const share = 0.001 + random() * maxShare;
  const a = random() * (1 - share);
  return rangeAt(a, a + share);
};

// The first overview of a case computes the rollup (one scan per family of metrics), reported
// apart; the events' scan runs in slices, so views asked for meanwhile answer: two are timed.
const firstOverview = time('overview.tiles, first call (builds the rollup)', () => api['overview.tiles']({ caseId, scope: {}, buckets: 60 }));
await new Promise((resolve) => setTimeout(resolve, 500));
await time('table.page events, asked while the rollup builds', () => api['table.page']({ caseId, table: 'events', scope: {}, offset: 5_000_000, limit: 100 }));
await time('table.page processes, asked while the rollup builds', () => api['table.page']({ caseId, table: 'processes', scope: {}, limit: 100 }));
await firstOverview;
await time('timeline.series, first call', () => api['timeline.series']({ caseId, scope: {}, metrics: ['syscalls'], buckets: 300 }));

const TABLES = ['containers', 'processes', 'threads', 'connections', 'files', 'directories', 'errors', 'events'];
// What a case computes once per state of its index, on the first view that needs it.
await time('one-time: errors table (groups failed calls per fine bucket)', () => api['table.page']({ caseId, table: 'errors', scope: {}, limit: 100 }));
await time('one-time: directories table (groups every file stream)', () => api['table.page']({ caseId, table: 'directories', scope: {}, limit: 100 }));
await time('one-time: first brushed overview (checks that chunk and stream ids follow time)', () =>
  api['overview.tiles']({ caseId, scope: { range: rangeAt(0.4, 0.6) }, buckets: 60 }),
);
await time('one-time: containers table (walks the threads)', () => api['table.page']({ caseId, table: 'containers', scope: {}, limit: 100 }));
for (let r = 0; r < rounds; r++) {
  await time('explore.shape', () => api['explore.shape']({ caseId }));
  await time('overview.tiles (whole capture)', () => api['overview.tiles']({ caseId, scope: {}, buckets: 60 }));
  const range = randomRange();
  await time('overview.tiles (brushed range)', () => api['overview.tiles']({ caseId, scope: { range }, buckets: 60 }));
  await time('timeline.series (whole capture, 2 metrics)', () => api['timeline.series']({ caseId, scope: {}, metrics: ['syscalls', 'netBytesIn'], buckets: 300 }));
  await time('timeline.series (zoomed window)', () => api['timeline.series']({ caseId, scope: {}, metrics: ['syscalls', 'netBytesIn'], window: randomRange(0.01), buckets: 300 }));
  for (const table of TABLES) {
    await time(`table.page ${table} (first page)`, () => api['table.page']({ caseId, table, scope: {}, limit: 100 }));
    await time(`table.page ${table} (brushed range)`, () => api['table.page']({ caseId, table, scope: { range: randomRange() }, limit: 100 }));
  }
  await time('table.page events (scrolled deep)', () =>
    api['table.page']({ caseId, table: 'events', scope: {}, offset: Math.floor(random() * (first.events - 100)), limit: 100 }),
  );
  await time('table.page connections (sorted by bytes in)', () => api['table.page']({ caseId, table: 'connections', scope: {}, sort: { column: 'bytesIn', desc: true }, limit: 100 }));
  await time('table.page processes (sorted by name)', () => api['table.page']({ caseId, table: 'processes', scope: {}, sort: { column: 'name', desc: false }, limit: 100 }));
  // Drill-downs: container → process → connections / events, errors → their events.
  const processes = await time('drill: container host → processes', () => api['table.page']({ caseId, table: 'processes', scope: {}, drill: { containerId: 'host' }, limit: 100 }));
  const proc = processes.rows[Math.floor(random() * processes.rows.length)];
  const pid = proc.drill.set.pid;
  await time('drill: process → connections', () => api['table.page']({ caseId, table: 'connections', scope: {}, drill: { containerId: 'host', pid }, limit: 100 }));
  await time('drill: process → files', () => api['table.page']({ caseId, table: 'files', scope: {}, drill: { containerId: 'host', pid }, limit: 100 }));
  await time('drill: process → events', () => api['table.page']({ caseId, table: 'events', scope: {}, drill: { containerId: 'host', pid }, limit: 100 }));
  const errors = await time('table.page errors (for the drill)', () => api['table.page']({ caseId, table: 'errors', scope: {}, limit: 100 }));
  if (errors.rows.length) await time('drill: error → its events', () => api['table.page']({ caseId, table: 'events', scope: {}, drill: errors.rows[0].drill.set, limit: 100 }));
  await time('table.page events (filter evt.type=connect)', () => api['table.page']({ caseId, table: 'events', scope: { filter: 'evt.type=connect' }, limit: 100 }));
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const stat = fs.statSync(dbPath);
console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`Index: ${dbPath} (${(stat.size / 2 ** 20).toFixed(0)} MiB, ${first.events.toLocaleString('en-US')} events, ${first.streams.toLocaleString('en-US')} streams, ${first.processes.toLocaleString('en-US')} processes); ${rounds} rounds\n`);
console.log('| method (variant) | calls | p50 ms | p95 ms | max ms |');
console.log('|---|---|---|---|---|');
for (const [label, xs] of timings) console.log(`| ${label} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
db.close();
