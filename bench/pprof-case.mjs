// Benchmark: a case of 100 Go profiles (50 heap and 50 CPU profiles of the test program) indexed
// by capscope, against `go tool pprof -top` run over every file, their times summed.
//
//   node bench/pprof-case.mjs [RUNS]
//
// The first run builds test/pprof/fixtures/leaky, runs it and fetches a heap profile and a 1 s CPU
// profile 50 times with curl into bench/data/pprof-case/ (reused while it is there: about a minute
// of wall time; the "every minute for 50 minutes" compressed to every second, the profiles
// are of the same size either way). Then, RUNS times (default 3):
//   - go tool pprof -top on each of the 100 files, one after the other, wall times summed;
//   - capscope profile --json on a tar of the 100 files with a fresh index (indexing, every
//     profile's top table and the findings), wall time;
// and, on that index, the API's flame graph of the largest CPU and heap profiles and the compare of
// the first and last heap profile (the delta top table and the differential flame graph). The
// drawing of a flame graph in the browser is timed by test/pprof/profile-views.test.ts.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { importHandlers, percentile } from './lib/api-bench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'bench', 'data', 'pprof-case');
const caseTar = path.join(dir, 'case.tar');
const capscope = path.join(root, 'bin', 'capscope.js');
const runs = Number(process.argv[2] ?? 3);
const PROFILES = 50;

async function fetchProfiles() {
  fs.mkdirSync(path.join(dir, 'profiles'), { recursive: true });
  const bin = path.join(dir, 'leaky');
  execFileSync('go', ['build', '-o', bin, 'main.go'], { cwd: path.join(root, 'test', 'pprof', 'fixtures', 'leaky'), env: { ...process.env, GO111MODULE: 'off', GOCACHE: path.join(dir, 'go-cache') }, stdio: 'inherit' });
  const port = 16000 + (process.pid % 1000);
  const service = spawn(bin, ['-addr', `127.0.0.1:${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}/debug/pprof`;
  try {
    for (let i = 0; i < 30 && spawnSync('curl', ['-sf', '-o', '/dev/null', `${base}/`]).status !== 0; i++) await new Promise((r) => setTimeout(r, 200));
    for (let i = 1; i <= PROFILES; i++) {
      const n = String(i).padStart(2, '0');
      execFileSync('curl', ['-sf', '-o', path.join(dir, 'profiles', `heap-${n}.pb.gz`), `${base}/heap`]);
      execFileSync('curl', ['-sf', '-o', path.join(dir, 'profiles', `cpu-${n}.pb.gz`), `${base}/profile?seconds=1`]);
    }
  } finally {
    service.kill();
  }
  execFileSync('tar', ['-cf', caseTar, '-C', path.join(dir, 'profiles'), ...fs.readdirSync(path.join(dir, 'profiles')).sort()]);
}

function wallMs(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

if (!fs.existsSync(caseTar)) await fetchProfiles();
const files = fs.readdirSync(path.join(dir, 'profiles')).sort().map((f) => path.join(dir, 'profiles', f));
const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
console.log(`${files.length} profiles, ${(bytes / 1024).toFixed(0)} KiB gzip'd; ${os.cpus()[0]?.model}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

const pprofRuns = [];
const capscopeRuns = [];
const db = path.join(dir, 'case.sqlite');
for (let run = 0; run < runs; run++) {
  let pprof = 0;
  for (const f of files) pprof += wallMs('go', ['tool', 'pprof', '-top', f]).ms;
  pprofRuns.push(pprof);
  for (const ext of ['', '-wal', '-shm']) fs.rmSync(db + ext, { force: true });
  const c = wallMs(process.execPath, [capscope, 'profile', caseTar, '--json', '--top', '10', '--db', db]);
  capscopeRuns.push(c.ms);
  const out = JSON.parse(c.stdout);
  if (out.profiles.length !== files.length) throw new Error(`capscope read ${out.profiles.length} profiles of ${files.length}`);
  console.log(`run ${run + 1}: go tool pprof -top ×${files.length}: ${(pprof / 1000).toFixed(2)} s; capscope profile: ${(c.ms / 1000).toFixed(2)} s (${(c.ms / pprof).toFixed(2)}×)`);
}
const median = (xs) => percentile(xs, 50);
console.log(`median: go tool pprof -top summed ${(median(pprofRuns) / 1000).toFixed(2)} s, capscope ${(median(capscopeRuns) / 1000).toFixed(2)} s: ${(median(capscopeRuns) / median(pprofRuns)).toFixed(2)}×`);

// The API on the indexed case: flame graphs and the compare, as the Profiles view asks for them.
const q = await importHandlers('core/domain/profile/profile-queries.ts', 'pprof-queries');
const index = new Database(db, { readonly: true });
const list = q.profileList(index);
const largest = (kind) => list.filter((p) => p.kind === kind).sort((a, b) => b.samples - a.samples)[0];
const heaps = list.filter((p) => p.kind === 'heap').sort((a, b) => (a.timeNanos ?? 0) - (b.timeNanos ?? 0));
const timedMs = (call) => {
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    call();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
};
for (const kind of ['cpu', 'heap']) {
  const p = largest(kind);
  console.log(`profile.flame, largest ${kind} profile (${p.entry}, ${p.samples} samples): ${timedMs(() => q.profileFlame(index, { sourceId: p.sourceId })).toFixed(1)} ms`);
}
const [first, last] = [heaps[0], heaps[heaps.length - 1]];
const compare = timedMs(() => {
  q.profileTop(index, { sourceId: last.sourceId, baseSourceId: first.sourceId });
  q.profileFlame(index, { sourceId: last.sourceId, baseSourceId: first.sourceId });
});
console.log(`compare ${last.entry} with ${first.entry} (delta top table + differential flame graph): ${compare.toFixed(1)} ms`);
