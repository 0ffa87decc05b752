// Benchmark: indexing large real network captures. `capscope index` (every packet decoded, TCP
// reassembled into streams and chunks, HTTP parsed, packets, streams, chunks and exchanges written
// to SQLite) against `tshark -r FILE -q -z conv,tcp` on the same file, side by side in one run,
// with wall time and peak resident memory from GNU time, the CPU time (user + system) each used
// (which a shared machine disturbs less than wall time), the index's size and its write-ahead
// log's peak. Prints Markdown tables.
//
//   npm run build && node bench/pcap-index.mjs [FILE...]
//
// Without FILE it measures the two recorded captures, recording them first if missing (as root;
// see bench/pcap-record.sh: wrk against nginx on loopback under tcpdump, in its own network
// namespace): bench/data/http-700m.pcap (few long connections and many short ones, 700 MB) and
// bench/data/http-short.pcap (about a hundred thousand short connections, the shape of a busy
// service's capture); then the memory curve: generated captures of 10k, 50k, 100k and 200k short
// connections, capscope alone.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleWalPeak } from './lib/wal-peak.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const capscope = path.join(root, 'bin', 'capscope.js');
const named = process.argv.slice(2).map((f) => path.resolve(f));
const curve = named.length === 0;
const recorded = [
  { file: path.join(root, 'bench', 'data', 'http-700m.pcap'), args: ['700', 'mixed'] },
  { file: path.join(root, 'bench', 'data', 'http-short.pcap'), args: ['0', 'short'] },
];
const files = named.length > 0 ? named : recorded.map((r) => r.file);
for (const r of named.length > 0 ? [] : recorded) {
  if (fs.existsSync(r.file)) continue;
  console.error(`recording ${r.file} (wrk against nginx on loopback, about a minute)`);
  execFileSync('unshare', ['-n', 'bash', path.join(root, 'bench', 'pcap-record.sh'), r.file, ...r.args], { stdio: 'inherit' });
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

/** Indexes `file` afresh (and, with `withTshark`, runs tshark on it); returns what the tables print. */
async function measure(file, withTshark) {
  const db = path.join(root, 'bench', 'data', `${path.basename(file)}.sqlite`);
  const mb = fs.statSync(file).size / 1e6;
  const packets = Number(execFileSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' }).match(/Number of packets:\s+(\d+)/)[1]);
  // A fresh index each run: what opening a capture for the first time costs.
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  const loadBefore = os.loadavg()[0];
  const wal = sampleWalPeak(db);
  const capscopeRun = await timedThreads('capscope index', process.execPath, [capscope, 'index', '--json', '--db', db, file]);
  const walPeakMiB = wal.stop();
  const indexed = JSON.parse(capscopeRun.stdout);
  if (indexed.state !== 'done') throw new Error(`capscope index: ${indexed.error}`);
  const tshark = withTshark ? timed('tshark -q -z conv,tcp', 'tshark', ['-r', file, '-q', '-z', 'conv,tcp']) : null;
  const count = (sql) => Number(execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim());
  const result = {
    name: path.basename(file),
    mb,
    packets,
    streams: count("SELECT count(*) FROM streams WHERE kind = 'tcp'"),
    chunks: count('SELECT count(*) FROM chunks'),
    exchanges: count('SELECT count(*) FROM http_exchanges'),
    conversations: tshark ? tshark.stdout.split('\n').filter((l) => l.includes('<->')).length : null,
    indexMB: fs.statSync(db).size / 1e6,
    walPeakMiB,
    parseMs: indexed.sources[0].parseMs,
    capscope: capscopeRun,
    tshark,
    load: [loadBefore, os.loadavg()[0]],
  };
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  return result;
}

function report(r) {
  const fmt = (n) => n.toLocaleString('en-US');
  console.log(`\n### ${r.name}\n`);
  console.log(`${r.mb.toFixed(0)} MB, ${fmt(r.packets)} packets; capscope: ${fmt(r.streams)} TCP streams, ${fmt(r.chunks)} chunks, ${fmt(r.exchanges)} HTTP exchanges${r.conversations !== null ? `; tshark: ${fmt(r.conversations)} TCP conversations` : ''}`);
  console.log(`Index database: ${r.indexMB.toFixed(0)} MB (${(r.indexMB / r.mb).toFixed(2)}× the capture); write-ahead log peak ${r.walPeakMiB.toFixed(0)} MiB (sampled every 200 ms); load average ${r.load[0].toFixed(1)} before, ${r.load[1].toFixed(1)} after\n`);
  console.log('| tool | seconds | CPU seconds | MB/s | packets/s | peak RSS MiB |');
  console.log('|---|---|---|---|---|---|');
  for (const t of [r.capscope, r.tshark].filter(Boolean)) {
    console.log(`| ${t.label} | ${t.seconds.toFixed(2)} | ${t.cpu.toFixed(2)} | ${(r.mb / t.seconds).toFixed(0)} | ${Math.round(r.packets / t.seconds).toLocaleString('en-US')} | ${t.rssMiB.toFixed(0)} |`);
  }
  const busy = r.capscope.threads.filter((t) => t >= 0.5);
  const rest = r.capscope.threads.reduce((n, t) => n + t, 0) - busy.reduce((n, t) => n + t, 0);
  console.log(`\ncapscope threads' CPU seconds: ${busy.map((t) => t.toFixed(2)).join(', ')} (each thread using at least 0.5 s, busiest first), ${rest.toFixed(2)} in the other ${r.capscope.threads.length - busy.length}`);
  if (r.tshark) {
    console.log(
      `capscope / tshark: wall time ${(r.capscope.seconds / r.tshark.seconds).toFixed(2)}×, CPU time ${(r.capscope.cpu / r.tshark.cpu).toFixed(2)}×; of capscope's time, ${(r.parseMs / 1000).toFixed(2)} s went to reading the capture into packets, streams and chunks, parsing HTTP on the way (the rest: start-up and the analyses that run after ingest)`,
    );
  }
}

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(`Measured on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
for (const file of files) report(await measure(file, true));

if (curve) {
  // Memory against the number of connections: the same short-connection traffic, generated.
  console.log('\n### Memory against connections (generated: bench/lib/short-connections-pcap.mjs)\n');
  console.log('| connections | capture MB | capscope seconds | peak RSS MiB | index MB | index / capture |');
  console.log('|---|---|---|---|---|---|');
  for (const n of [10_000, 50_000, 100_000, 200_000]) {
    const file = path.join(root, 'bench', 'data', `short-${n}.pcap`);
    if (!fs.existsSync(file)) execFileSync(process.execPath, [path.join(root, 'bench', 'lib', 'short-connections-pcap.mjs'), file, String(n)], { stdio: 'inherit' });
    const r = await measure(file, false);
    console.log(`| ${n.toLocaleString('en-US')} | ${r.mb.toFixed(0)} | ${r.capscope.seconds.toFixed(2)} | ${r.capscope.rssMiB.toFixed(0)} | ${r.indexMB.toFixed(0)} | ${(r.indexMB / r.mb).toFixed(2)} |`);
  }
}
