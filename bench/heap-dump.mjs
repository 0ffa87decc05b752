// Benchmark: `capscope heap` on a ~1.2 GB heap dump of millions of objects.
//
//   node bench/heap-dump.mjs [RUNS]
//
// Compiles bench/java/HeapBench.java, runs it (-Xmx3g), waits for "ready", dumps its heap with
// `jcmd <pid> GC.heap_dump` into bench/data/heap-bench.hprof (reused while it exists), then
// times `capscope heap --json` on it with a fresh index (--reindex), recording wall time and
// peak RSS (GNU time's maximum resident set size, which counts the ingest worker thread too).

import Database from 'better-sqlite3';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench', 'data');
const dump = path.join(dataDir, 'heap-bench.hprof');
const classes = path.join(dataDir, 'heap-bench-classes');
const capscope = path.join(root, 'bin', 'capscope.js');

fs.mkdirSync(dataDir, { recursive: true });

async function makeDump() {
  fs.mkdirSync(classes, { recursive: true });
  execFileSync('javac', ['-d', classes, path.join(root, 'bench', 'java', 'HeapBench.java')], { stdio: 'inherit' });
  const java = spawn('java', ['-Xmx3g', '-Xms3g', '-cp', classes, 'HeapBench'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    java.stdout.on('data', (d) => String(d).includes('ready') && resolve());
    java.on('exit', (code) => reject(new Error(`HeapBench exited with ${code} before it was ready`)));
  });
  const started = Date.now();
  fs.rmSync(dump, { force: true });
  execFileSync('jcmd', [String(java.pid), 'GC.heap_dump', dump], { stdio: 'inherit' });
  console.error(`jcmd GC.heap_dump: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  java.kill();
}

function timed(args) {
  const db = path.join(dataDir, 'heap-bench.sqlite');
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, capscope, ...args, '--db', db], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(result.stderr)?.[1] ?? '?';
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1] ?? 0);
  const [m, s] = wall.split(':').map(Number);
  return { status: result.status, seconds: (m ?? 0) * 60 + (s ?? 0), rssMiB: rss / 1024, stdout: result.stdout, stderr: result.stderr };
}

if (!fs.existsSync(dump)) await makeDump();
const size = fs.statSync(dump).size;
const runs = Number(process.argv[2] ?? 1);
const db = path.join(dataDir, 'heap-bench.sqlite');
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('');
console.log('| run | capscope heap s | of which reading the dump s | analysis (both models) s | peak RSS MiB | reused index s |');
console.log('|---|---|---|---|---|---|');
let out = null;
for (let run = 1; run <= runs; run++) {
  const fresh = timed(['heap', '--json', '--reindex', '--top', '10', dump]);
  if (fresh.status !== 0) {
    console.error(fresh.stderr);
    process.exit(1);
  }
  out = JSON.parse(fresh.stdout);
  const index = new Database(db, { readonly: true });
  const parseMs = index.prepare("SELECT parse_ms FROM sources WHERE format = 'hprof'").pluck().get();
  const analysisMs = index.prepare("SELECT analysis_ms FROM heap_summary WHERE model = 'jvm'").pluck().get();
  index.close();
  const reuse = timed(['heap', '--json', '--top', '10', dump]);
  console.log(`| ${run} | ${fresh.seconds.toFixed(1)} | ${((parseMs - analysisMs) / 1000).toFixed(1)} | ${(analysisMs / 1000).toFixed(1)} | ${fresh.rssMiB.toFixed(0)} | ${reuse.seconds.toFixed(1)} |`);
}
const s = out.summary;
console.log('');
console.log(`dump: ${path.relative(root, dump)} — ${(size / 2 ** 30).toFixed(2)} GiB, ${s.objects.toLocaleString('en-US')} objects, ${s.classes} classes, ${s.gcRoots} GC roots`);
console.log(`biggest: ${out.dominators.slice(0, 3).map((d) => `${d.classOf ?? d.class} ${d.retainedBytes.toLocaleString('en-US')} B`).join('; ')}`);
console.log(`suspect: ${out.suspects[0]?.title} — accumulates in ${out.suspects[0]?.accumulation.class}`);
fs.rmSync(db, { force: true });
for (const suffix of ['-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
