// Benchmark: one filtered page of events (100 rows) from the index of the ~1 GiB syscall capture
// that bench/scap-throughput.mjs generates, for 20 varied filters in the filter language: over the
// whole capture, and inside a brushed time range (the middle tenth of the capture). Each query runs
// once to warm the page cache, then RUNS times; the median per filter is what counts, and the p50 /
// p95 / max over the 20 filters are printed as a Markdown table.
//
//   node scripts/build.mjs && node bench/scap-throughput.mjs && node bench/filter-page.mjs [INDEX]
//
// INDEX defaults to bench/data/synthetic-1024m.scap.filter.sqlite, indexed from
// bench/data/synthetic-1024m.scap if missing or out of date (capscope index --db).

import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadIndexExtension } from './lib/api-bench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const capture = path.join(root, 'bench', 'data', 'synthetic-1024m.scap');
const index = path.resolve(process.argv[2] ?? path.join(root, 'bench', 'data', 'synthetic-1024m.scap.filter.sqlite'));
const RUNS = 5;
const PAGE = 100;

const FILTERS = [
  'evt.type=open',
  'evt.type in (read, recvfrom) and evt.dir=<',
  'proc.name=curl and evt.type=connect',
  'fd.name contains /etc/',
  'fd.name startswith /usr/lib and evt.is_io_read=true',
  'fd.type=ipv6',
  'fd.sport=80 and not evt.failed=true',
  'fd.l4proto=udp and evt.is_io=true',
  'evt.failed=true',
  'evt.res=ENOENT',
  'evt.latency > 100us',
  'evt.rawres > 1000',
  'not evt.type in (switch, futex, mmap, brk)',
  '(evt.type=open or evt.type=openat) and evt.dir=< and evt.failed=true',
  'fd.directory=/etc',
  'fd.typechar=u',
  'container.name=host and evt.type=execve',
  'proc.pname exists and evt.type=clone',
  'evt.buffer contains HTTP',
  'evt.num > 9000000 and fd.name exists',
];

if (!fs.existsSync(capture)) throw new Error(`${capture} is missing: run node bench/scap-throughput.mjs first (it generates it)`);
execFileSync(process.execPath, [path.join(root, 'bin', 'capscope.js'), 'index', '--db', index, capture], { stdio: ['ignore', 'ignore', 'inherit'] });

// The filter compiler and the page query, bundled from source so that they run here as in the app.
const entry = path.join(os.tmpdir(), `capscope-filter-entry-${process.pid}.ts`);
const bundled = path.join(os.tmpdir(), `capscope-filter-${process.pid}.mjs`);
fs.writeFileSync(entry, `export * from ${JSON.stringify(path.join(root, 'core', 'filter', 'language.ts'))};\nexport * from ${JSON.stringify(path.join(root, 'core', 'domain', 'tables', 'event-page.ts'))};\n`);
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: bundled, logLevel: 'warning' });
const { compileFilter, installFilterFunctions, selectEventPage } = await import(pathToFileURL(bundled).href);
fs.rmSync(bundled);
fs.rmSync(entry);

const db = new Database(index, { readonly: true });
loadIndexExtension(db);
installFilterFunctions(db);
const events = Number(db.prepare('SELECT count(*) FROM events').pluck().get());
const span = db.prepare('SELECT min(ts) AS lo, max(ts) AS hi FROM events').safeIntegers().get();
const tenth = (span.hi - span.lo) / 10n;
const range = { from: span.lo + 4n * tenth, to: span.lo + 5n * tenth };

const COLUMNS = 'e.num, e.ts, e.cpu, e.tid, e.proc, e.dir, e.type, e.fd_name, e.res, e.container_id, e.info';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** The page as the app asks for it (core/domain/tables/event-page.ts), timed from compiling the filter on. */
function time(filter, range) {
  const page = () => selectEventPage(db, { filter: compileFilter(filter, 'events'), range, columns: COLUMNS, limit: PAGE });
  page();
  const ms = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    last = page();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), rows: last.rows.length, strategy: last.plan.strategy };
}

const results = [];
for (const filter of FILTERS) {
  const whole = time(filter, null);
  const brushed = time(filter, range);
  results.push({ filter, whole, brushed });
  process.stderr.write(`${whole.ms.toFixed(1).padStart(8)} ms ${String(whole.rows).padStart(4)} rows ${whole.strategy.padEnd(7)} | ${brushed.ms.toFixed(1).padStart(8)} ms ${String(brushed.rows).padStart(4)} rows ${brushed.strategy.padEnd(7)}  ${filter}\n`);
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Index: ${path.basename(index)}, ${events.toLocaleString('en-US')} events, ${(fs.statSync(index).size / 2 ** 30).toFixed(2)} GiB; ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM; Node ${process.version}; median of ${RUNS} runs per filter after one warm-up.\n`);
console.log('| filter | page, whole capture | rows | plan | page, brushed tenth | rows | plan |');
console.log('|---|---:|---:|---|---:|---:|---|');
for (const r of results) console.log(`| \`${r.filter}\` | ${fmt(r.whole.ms)} | ${r.whole.rows} | ${r.whole.strategy} | ${fmt(r.brushed.ms)} | ${r.brushed.rows} | ${r.brushed.strategy} |`);
for (const [label, key] of [['whole capture', 'whole'], ['brushed tenth', 'brushed']]) {
  const xs = results.map((r) => r[key].ms);
  console.log(`\n${label}: p50 ${fmt(percentile(xs, 50))}, p95 ${fmt(percentile(xs, 95))}, max ${fmt(Math.max(...xs))} over ${xs.length} filters`);
}
