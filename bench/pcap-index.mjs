// Benchmark: indexing a large real network capture. `capscope index` (every packet decoded, TCP
// reassembled into streams and chunks, packets, streams and chunks written to SQLite) against
// `tshark -r FILE -q -z conv,tcp` on the same file, side by side in one run, with wall time and peak
// resident memory from GNU time, and the CPU time (user + system) each used, which a shared machine
// disturbs less than wall time. Prints a Markdown table.
//
//   npm run build && node bench/pcap-index.mjs [FILE]
//
// Without FILE it uses bench/data/http-700m.pcap, recording it first if missing (as root; see
// bench/pcap-record.sh: wrk against nginx on loopback under tcpdump, in its own network namespace).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleWalPeak } from './lib/wal-peak.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const capscope = path.join(root, 'bin', 'capscope.js');
const file = path.resolve(process.argv[2] ?? path.join(root, 'bench', 'data', 'http-700m.pcap'));

if (!fs.existsSync(file)) {
  console.error(`recording ${file} (wrk against nginx on loopback, about a minute)`);
  execFileSync('unshare', ['-n', 'bash', path.join(root, 'bench', 'pcap-record.sh'), file, '700'], { stdio: 'inherit' });
}

/** Runs a command under GNU time; returns wall seconds, CPU seconds (user + system) and peak RSS in MiB. */
function timed(label, cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const [seconds, kib, user, system] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { label, seconds, cpu: user + system, rssMiB: kib / 1024, stdout: r.stdout };
}

/**
 * The same, sampling every thread's CPU time (user + system, from /proc) every 100 ms while it
 * runs: how the work spreads over the ingest's threads. A thread's last 100 ms may be missed.
 */
async function timedThreads(label, cmd, args) {
  const child = spawn('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const ticks = new Map();
  const timer = setInterval(() => sampleThreads(child.pid, ticks), 100);
  const status = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(timer);
  if (status !== 0) throw new Error(`${label} failed (${status}): ${stderr.slice(-2000)}`);
  const [seconds, kib, user, system] = stderr.trim().split('\n').at(-1).split(' ').map(Number);
  const threads = [...ticks.values()].map((t) => t / 100).sort((a, b) => b - a);
  return { label, seconds, cpu: user + system, rssMiB: kib / 1024, stdout, threads };
}

/** CPU ticks (1/100 s) of each thread of the processes `parent` started (GNU time's child). */
function sampleThreads(parent, ticks) {
  let pids;
  try {
    pids = fs.readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return;
  }
  for (const pid of pids) {
    let tids = [];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {}
    for (const tid of tids) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks.set(`${pid}/${tid}`, Number(fields[11]) + Number(fields[12]));
      } catch {}
    }
  }
}

const db = path.join(root, 'bench', 'data', `${path.basename(file)}.sqlite`);
const mb = fs.statSync(file).size / 1e6;
const packets = Number(execFileSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' }).match(/Number of packets:\s+(\d+)/)[1]);

// A fresh index each run: what opening a capture for the first time costs.
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
const loadBefore = os.loadavg()[0];
const runs = [];
const wal = sampleWalPeak(db);
runs.push(await timedThreads('capscope index', process.execPath, [capscope, 'index', '--json', '--db', db, file]));
const walPeakMiB = wal.stop();
const tshark = timed('tshark -q -z conv,tcp', 'tshark', ['-r', file, '-q', '-z', 'conv,tcp']);
runs.push(tshark);

const indexed = JSON.parse(runs[0].stdout);
if (indexed.state !== 'done') throw new Error(`capscope index: ${indexed.error}`);
const parseMs = indexed.sources[0].parseMs;
const count = (sql) => Number(execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim());
const streams = count("SELECT count(*) FROM streams WHERE kind = 'tcp'");
const chunks = count('SELECT count(*) FROM chunks');
const conversations = tshark.stdout.split('\n').filter((l) => l.includes('<->')).length;

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(`Measured on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
console.log(`Input: ${path.basename(file)}, ${mb.toFixed(0)} MB, ${packets.toLocaleString('en-US')} packets; capscope: ${streams.toLocaleString('en-US')} TCP streams, ${chunks.toLocaleString('en-US')} chunks; tshark: ${conversations.toLocaleString('en-US')} TCP conversations`);
console.log(`Index database: ${(fs.statSync(db).size / 1e6).toFixed(0)} MB; load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after\n`);
console.log('| tool | seconds | CPU seconds | MB/s | packets/s | peak RSS MiB |');
console.log('|---|---|---|---|---|---|');
for (const r of runs) {
  console.log(`| ${r.label} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(mb / r.seconds).toFixed(0)} | ${Math.round(packets / r.seconds).toLocaleString('en-US')} | ${r.rssMiB.toFixed(0)} |`);
}
const busy = runs[0].threads.filter((t) => t >= 0.5);
const rest = runs[0].threads.reduce((n, t) => n + t, 0) - busy.reduce((n, t) => n + t, 0);
console.log(`\ncapscope threads' CPU seconds: ${busy.map((t) => t.toFixed(2)).join(', ')} (each thread using at least 0.5 s, busiest first), ${rest.toFixed(2)} in the other ${runs[0].threads.length - busy.length}`);
console.log(`capscope's write-ahead log peaked at ${walPeakMiB.toFixed(0)} MiB (sampled every 200 ms): disk the ingest needs beyond the index`);
console.log(`capscope / tshark: wall time ${(runs[0].seconds / tshark.seconds).toFixed(2)}×, CPU time ${(runs[0].cpu / tshark.cpu).toFixed(2)}×; of capscope's time, ${(parseMs / 1000).toFixed(2)} s went to reading the capture into packets, streams and chunks, parsing HTTP on the way (the rest: start-up and the analyses that run after ingest)`);
