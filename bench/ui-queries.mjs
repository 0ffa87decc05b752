// Benchmark: the exploring views' API handlers (overview tiles, timeline, tables, drill-downs)
// timed directly in Node over the index of the ~1 GiB syscall capture that
// bench/scap-throughput.mjs generates and indexes (bench/data/synthetic-1024m.scap.sqlite).
// Each handler runs as the UI calls it: view switches, brushes (random ranges), drills, deep
// scrolling. Prints p50/p95 per method and variant as a Markdown table.
//
//   node bench/scap-throughput.mjs      # once: generates and indexes the capture (~5 min)
//   node bench/ui-queries.mjs [DB] [ROUNDS]
//
// The index must come from the current capscope (schema 7 stores the rollup and streams_by_time);
// an older one still runs, computing the rollup on the first overview as an ingest under way does.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTimer, importHandlers, openIndex, percentile, root, seededRandom } from './lib/api-bench.mjs';

const dbPath = path.resolve(process.argv[2] || path.join(root, 'bench', 'data', 'synthetic-1024m.scap.sqlite'));
const rounds = Number(process.argv[3] || 20);
const db = openIndex(dbPath, 'run node bench/scap-throughput.mjs first');
db.pragma('cache_size = -65536');
const { createViewHandlers } = await importHandlers('core/domain/view-handlers.ts', 'ui-queries-handlers');
const api = createViewHandlers({ db: () => db });
const { time, timings } = createTimer({ verbose: process.env.VERBOSE === '1' });
const random = seededRandom();

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

// The first overview of a case reads the rollup the ingest stored (an index without one, as one
// still being written, computes it: one scan per family of metrics, the events' in slices, so views
// asked for meanwhile answer): reported apart, with two views asked for while it runs.
const storedRollup = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'rollup'").pluck().get() === 1 && db.prepare('SELECT COUNT(*) FROM rollup').pluck().get() === 1;
if (!storedRollup) console.error(`${dbPath} has no stored rollup (an index older than schema 7): the first overview computes it`);
const firstOverview = time(`overview.tiles, first call (${storedRollup ? 'reads the stored rollup' : 'builds the rollup'})`, () => api['overview.tiles']({ caseId, scope: {}, buckets: 60 }));
await new Promise((resolve) => setTimeout(resolve, 500));
await time('table.page events, asked while the rollup builds', () => api['table.page']({ caseId, table: 'events', scope: {}, offset: 5_000_000, limit: 100 }));
await time('table.page processes, asked while the rollup builds', () => api['table.page']({ caseId, table: 'processes', scope: {}, limit: 100 }));
await firstOverview;
await time('timeline.series, first call', () => api['timeline.series']({ caseId, scope: {}, metrics: ['syscalls'], buckets: 300 }));

const TABLES = ['containers', 'processes', 'threads', 'connections', 'files', 'directories', 'errors', 'events'];
// What a case computes once per state of its index: loaded in the background from the case's first
// explore.shape on (core/domain/tables/warm-up.ts), in slices. A user reads the overview before
// opening a table: the tables below are asked for 3 s after it (a table asked for sooner waits for
// the load still running).
await new Promise((resolve) => setTimeout(resolve, 3000));
await time('one-time: errors table (groups failed calls per fine bucket)', () => api['table.page']({ caseId, table: 'errors', scope: {}, limit: 100 }));
await time('one-time: connections table sorted (holds the connections in memory)', () =>
  api['table.page']({ caseId, table: 'connections', scope: {}, sort: { column: 'bytesIn', desc: true }, limit: 100 }),
);
await time('one-time: files table brushed (the longest stream of each kind)', () => api['table.page']({ caseId, table: 'files', scope: { range: rangeAt(0.4, 0.6) }, limit: 100 }));
await time('one-time: directories table (holds the file streams in memory)', () => api['table.page']({ caseId, table: 'directories', scope: {}, limit: 100 }));
await time(`one-time: first brushed overview (${storedRollup ? 'ids in time order: stored' : 'checks that chunk and stream ids follow time'})`, () =>
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

const stat = fs.statSync(dbPath);
console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`Index: ${dbPath} (${(stat.size / 2 ** 20).toFixed(0)} MiB, ${first.events.toLocaleString('en-US')} events, ${first.streams.toLocaleString('en-US')} streams, ${first.processes.toLocaleString('en-US')} processes); ${rounds} rounds\n`);
console.log('| method (variant) | calls | p50 ms | p95 ms | max ms |');
console.log('|---|---|---|---|---|');
for (const [label, xs] of timings) console.log(`| ${label} | ${xs.length} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
db.close();
