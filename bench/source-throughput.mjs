// Benchmark: opening large evidence files. Generates a synthetic capture of SIZE MiB (default 1024)
// from the packets of the seed incident, in three shapes (plain pcap, pcap.gz, pcap.zst), then
// times `capscope info` and `capscope index` against the tools that do the same job, side by side
// in one run, recording wall time and peak memory (GNU time's maximum resident set size).
//
//   node bench/source-throughput.mjs [SIZE_MIB]
//
// Inputs are written to bench/data/ (gitignored) and reused while their size matches.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench', 'data');
const sizeMiB = Number(process.argv[2] ?? 1024);
const seed = path.resolve(root, '..', 'shared', 'corpus', 'pcap', 'haproxy-502.pcap');
const capscope = path.join(root, 'bin', 'capscope.js');

fs.mkdirSync(dataDir, { recursive: true });
const plain = path.join(dataDir, `synthetic-${sizeMiB}m.pcap`);
const gz = `${plain}.gz`;
const zst = `${plain}.zst`;

/** A valid pcap: the seed's header, then its packet records repeated, timestamps shifted forward. */
async function makePlain() {
  const seedBytes = fs.readFileSync(seed);
  const header = seedBytes.subarray(0, 24);
  const records = seedBytes.subarray(24);
  const target = sizeMiB * 1024 * 1024;
  const out = fs.createWriteStream(plain);
  out.write(header);
  let written = header.length;
  let round = 0;
  while (written + records.length <= target) {
    const copy = Buffer.from(records);
    for (let at = 0; at + 16 <= copy.length; ) {
      copy.writeUInt32LE(copy.readUInt32LE(at) + round * 11, at); // each round 11 s later
      at += 16 + copy.readUInt32LE(at + 8);
    }
    if (!out.write(copy)) await new Promise((r) => out.once('drain', r));
    written += copy.length;
    round++;
  }
  await new Promise((r) => out.end(r));
}

async function prepare() {
  const wanted = sizeMiB * 1024 * 1024;
  if (!fs.existsSync(plain) || Math.abs(fs.statSync(plain).size - wanted) > fs.statSync(seed).size) {
    console.error(`writing ${plain}`);
    await makePlain();
    fs.rmSync(gz, { force: true });
    fs.rmSync(zst, { force: true });
  }
  if (!fs.existsSync(gz)) {
    console.error(`writing ${gz}`);
    await pipeline(fs.createReadStream(plain), zlib.createGzip({ level: 6 }), fs.createWriteStream(gz));
  }
  if (!fs.existsSync(zst)) {
    console.error(`writing ${zst}`);
    execFileSync('zstd', ['-q', '-3', '-f', plain, '-o', zst]);
  }
}

/** Runs a command under GNU time; returns seconds and peak RSS in MiB. */
function measure(label, command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, CAPSCOPE_CACHE_DIR: path.join(dataDir, 'cache') } });
  const last = result.stderr.trim().split('\n').pop() ?? '';
  const [seconds, kib] = last.split(' ').map(Number);
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}): ${result.stderr}`);
  return { label, seconds, rssMiB: kib / 1024 };
}

await prepare();
const rows = [];
const size = (f) => (fs.statSync(f).size / 1024 ** 2).toFixed(0);
for (const [file, shape] of [[plain, 'pcap'], [gz, 'pcap.gz'], [zst, 'pcap.zst']]) {
  const db = path.join(dataDir, `bench-${shape}.sqlite`);
  fs.rmSync(db, { force: true });
  const group = [
    measure(`capscope info (${shape})`, process.execPath, [capscope, 'info', '--json', file]),
    measure(`capscope index (${shape})`, process.execPath, [capscope, 'index', '--json', '--reindex', '--db', db, file]),
    measure(`capinfos -c (${shape})`, 'capinfos', ['-c', file]),
  ];
  if (shape === 'pcap.gz') group.push(measure('gzip -t (pcap.gz)', 'gzip', ['-t', file]));
  if (shape === 'pcap.zst') group.push(measure('zstd -t (pcap.zst)', 'zstd', ['-q', '-t', file]));
  rows.push({ shape, fileMiB: size(file), group });
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nmachine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, node ${process.version}`);
console.log(`input: ${sizeMiB} MiB synthetic pcap (${path.basename(seed)} records repeated)\n`);
console.log('| input | file MiB | tool | seconds | MiB/s (uncompressed) | peak RSS MiB |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) {
  for (const m of row.group) {
    console.log(`| ${row.shape} | ${row.fileMiB} | ${m.label} | ${m.seconds.toFixed(2)} | ${(sizeMiB / m.seconds).toFixed(0)} | ${m.rssMiB.toFixed(0)} |`);
  }
}
