// Benchmark: indexing a large syscall capture, capscope vs sysdig, side by side in one run.
// Generates a capture of SIZE MiB (default 1024) by replicating the event blocks of a real capture
// (../shared/corpus/scap/curl_google.scap: curl fetching a page over IPv6, file and socket I/O,
// clone, execve, exits) with timestamps shifted forward each round, after its state blocks. Then
// times `sysdig -r FILE > /dev/null` and `capscope index FILE` side by side, RUNS times (default
// 3), recording wall time and peak memory (GNU time's maximum resident set size), and prints a
// Markdown table: every run, with the ratio of the two wall times, the load average at its start
// (the machine may be shared), and where capscope's time went (its ingest diagnostics: reading
// and storing, building the event view indexes; the rest is start-up and the analyses that follow ingest),
// and the largest size its write-ahead log reached (disk the load needs beyond the index).
//
//   node scripts/build.mjs && node bench/scap-throughput.mjs [SIZE_MIB] [RUNS]
//
// Inputs and the index go to bench/data/ (gitignored) and are reused while their size matches.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { sampleWalPeak } from './lib/wal-peak.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench', 'data');
const sizeMiB = Number(process.argv[2] ?? 1024);
const runs = Number(process.argv[3] ?? 3);
const seed = path.resolve(root, '..', 'shared', 'corpus', 'scap', 'curl_google.scap');
const capscope = path.join(root, 'bin', 'capscope.js');
const file = path.join(dataDir, `synthetic-${sizeMiB}m.scap`);
const db = path.join(dataDir, `synthetic-${sizeMiB}m.scap.sqlite`);

const EVENT_BLOCKS = new Set([0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222]);

/** The seed's blocks split in two: everything before the first event block, and the event blocks. */
function splitSeed() {
  const raw = fs.readFileSync(seed);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
  let at = 0;
  const head = [];
  const events = [];
  while (at + 8 <= bytes.length) {
    const type = bytes.readUInt32LE(at);
    const len = bytes.readUInt32LE(at + 4);
    const block = bytes.subarray(at, at + len);
    (EVENT_BLOCKS.has(type) ? events : head).push({ type, block });
    at += len;
  }
  return { head: Buffer.concat(head.map((b) => b.block)), events };
}

async function makeCapture() {
  const { head, events } = splitSeed();
  const tsAt = (b) => 8 + 2 + (b.type === 0x208 || b.type === 0x217 || b.type === 0x222 ? 4 : 0);
  const first = events[0].block.readBigUInt64LE(tsAt(events[0]));
  const last = events.at(-1).block.readBigUInt64LE(tsAt(events.at(-1)));
  const span = last - first + 1_000_000n;
  const round = Buffer.concat(events.map((e) => e.block));
  const target = sizeMiB * 1024 * 1024;
  const out = fs.createWriteStream(file);
  out.write(head);
  let written = head.length;
  for (let r = 0; written + round.length <= target; r++) {
    const copy = Buffer.from(round);
    let at = 0;
    for (const e of events) {
      const p = at + tsAt(e);
      copy.writeBigUInt64LE(copy.readBigUInt64LE(p) + span * BigInt(r), p);
      at += e.block.length;
    }
    if (!out.write(copy)) await new Promise((res) => out.once('drain', res));
    written += copy.length;
  }
  await new Promise((res) => out.end(res));
}

function timed(cmd, args, opts = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'], ...opts });
  const line = r.stderr.trim().split('\n').at(-1);
  const [seconds, kb] = line.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { seconds, rssMiB: kb / 1024 };
}

/** capscope's own account of one index run: seconds reading and storing, building indexes, in the analyses. */
function split(total) {
  const q = (sql) => execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
  const message = q("SELECT message FROM diagnostics WHERE message LIKE '%event indexes built in%'");
  const m = /read and stored in ([\d.]+) s, event indexes built in ([\d.]+) s/.exec(message);
  const ingest = Number(q("SELECT parse_ms FROM sources WHERE format = 'scap'")) / 1000;
  return { store: m ? Number(m[1]) : NaN, index: m ? Number(m[2]) : NaN, after: total - ingest };
}

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  const wanted = sizeMiB * 1024 * 1024;
  if (!fs.existsSync(file) || Math.abs(fs.statSync(file).size - wanted) > 1 << 20) {
    console.error(`writing ${file}`);
    await makeCapture();
  }
  const mib = fs.statSync(file).size / (1 << 20);
  const sysdigVersion = execFileSync('sysdig', ['--version'], { encoding: 'utf8' }).trim();
  const rows = [];
  let count = 0;
  for (let run = 1; run <= runs; run++) {
    const load = os.loadavg()[0];
    console.error(`run ${run}: sysdig -r ...`);
    const sysdig = timed('sh', ['-c', `sysdig -r "${file}" > /dev/null`]);
    console.error(`run ${run}: capscope index ...`);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
    const wal = sampleWalPeak(db);
    const ours = timed(process.execPath, [capscope, 'index', file, '--db', db, '--reindex', '--json'], { stdout: 'pipe' });
    ours.walMiB = wal.stop();
    count = Number(execFileSync('sqlite3', [db, 'SELECT event_count FROM machine'], { encoding: 'utf8' }).trim());
    rows.push({ run, load, sysdig, ours, split: split(ours.seconds) });
    console.error(`run ${run}: sysdig ${sysdig.seconds} s, capscope ${ours.seconds} s`);
  }
  const dbMiB = fs.statSync(db).size / (1 << 20);
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${sysdigVersion}`);
  console.log(`Input: ${file} (${mib.toFixed(0)} MiB, ${count.toLocaleString('en-US')} events); index ${dbMiB.toFixed(0)} MiB\n`);
  console.log('| run | load avg | sysdig s | capscope s | ratio | of which reading + storing s | building indexes s | start-up and analyses after ingest s | sysdig peak RSS MiB | capscope peak RSS MiB | capscope peak write-ahead log MiB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
    console.log(`| ${r.run} | ${r.load.toFixed(1)} | ${r.sysdig.seconds.toFixed(2)} | ${r.ours.seconds.toFixed(2)} | ${(r.ours.seconds / r.sysdig.seconds).toFixed(2)} | ${f(r.split.store)} | ${f(r.split.index)} | ${f(r.split.after)} | ${r.sysdig.rssMiB.toFixed(0)} | ${r.ours.rssMiB.toFixed(0)} | ${r.ours.walMiB.toFixed(0)} |`);
  }
}

await main();
