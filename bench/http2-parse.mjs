// Benchmark: HTTP/2 parsing over a large h2c capture (bench/data/h2c-500m.pcap, recorded by
// bench/http2-record.sh: h2load against nghttpd), side by side with tshark's http2 dissector on the
// same file. Three runs, each timed with /usr/bin/time (wall seconds, CPU seconds, peak RSS):
//   - capscope index: the whole ingest (pcap, TCP reassembly, chunks, HTTP/2 frames and HPACK
//     parsed as the streams are reassembled, exchanges, findings, the overview rollup) into a fresh
//     index;
//   - the HTTP pass alone again over that index, on a connection where nothing was parsed live, so
//     every stream is read back from the chunks table (HTTP/2 frames, HPACK, streams as exchanges):
//     the speed of the path syscall captures and mid-connection HTTP/2 take, in exchanges and MB
//     per second;
//   - tshark -d tcp.port==8092,http2 -q -z http2,tree: every frame dissected as HTTP/2 (its stats
//     tap needs each frame's type), nothing printed per packet.
// Exchanges are counted both ways (capscope's rows; tshark's client HEADERS frames are not counted
// here, that is the oracle tests' job).
//
//   npm run build && node bench/http2-parse.mjs [FILE]

import { build } from 'esbuild';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.resolve(process.argv[2] ?? path.join(root, 'bench', 'data', 'h2c-500m.pcap'));
if (!fs.existsSync(file)) throw new Error(`${file} is missing: record it with bench/http2-record.sh (see its top)`);
const bytes = fs.statSync(file).size;
const db = path.join(os.tmpdir(), `capscope-h2bench-${process.pid}.sqlite`);

function timed(label, cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  const [seconds, kib, user, system] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { label, seconds, cpu: user + system, rssMiB: kib / 1024, stdout: r.stdout };
}

const runs = [];
runs.push(timed('capscope index (whole ingest)', process.execPath, [path.join(root, 'bin', 'capscope.js'), 'index', file, '--db', db, '--reindex']));

// The HTTP pass alone, bundled from source so it runs here (its memory is this process's).
// Beside the capture, inside the repository, so its packages resolve from node_modules.
const out = path.join(root, 'bench', 'data', `capscope-h2bench-analyses-${process.pid}.mjs`);
await build({ entryPoints: [path.join(root, 'core', 'registry', 'analyses.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: out, logLevel: 'warning' });
const { ANALYSES } = await import(pathToFileURL(out).href);
fs.rmSync(out);
const handle = new Database(db);
const http = ANALYSES.find((a) => a.name === 'http');
const rssBefore = process.memoryUsage().rss;
const started = process.hrtime.bigint();
await http.run(handle);
const passSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const rssAfter = process.memoryUsage().rss;
const exchanges = handle.prepare("SELECT count(*) FROM http_exchanges WHERE version = 'HTTP/2'").pluck().get();
const grpc = handle.prepare('SELECT count(*) FROM http_exchanges WHERE grpc_req_messages IS NOT NULL').pluck().get();
const connections = handle.prepare("SELECT count(*) FROM stream_protocols WHERE protocol = 'http2'").pluck().get();
const diagnostics = handle.prepare('SELECT count(*) FROM http_diagnostics').pluck().get();
handle.close();
fs.rmSync(db, { force: true });
for (const suffix of ['-wal', '-shm']) fs.rmSync(db + suffix, { force: true });

runs.push(timed('tshark -d tcp.port==8092,http2 -q -z http2,tree', 'tshark', ['-r', file, '-d', 'tcp.port==8092,http2', '-q', '-z', 'http2,tree']));
const tsharkTree = runs.at(-1).stdout;

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`input: ${path.basename(file)}, ${(bytes / 1e6).toFixed(0)} MB; HTTP/2 connections ${connections}, exchanges ${exchanges} (gRPC ${grpc}), diagnostics ${diagnostics}\n`);
console.log('| run | wall s | CPU s | peak RSS MiB |');
console.log('|---|---|---|---|');
for (const r of runs) console.log(`| ${r.label} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rssMiB.toFixed(0)} |`);
console.log(`| HTTP pass alone, every stream read back from the index | ${passSeconds.toFixed(2)} | | (+${((rssAfter - rssBefore) / 2 ** 20).toFixed(0)} over the process) |`);
console.log(`\nHTTP pass: ${(exchanges / passSeconds).toFixed(0)} exchanges/s, ${(bytes / 1e6 / passSeconds).toFixed(0)} MB/s of capture`);
console.log(`capscope index / tshark wall: ${(runs[0].seconds / runs[1].seconds).toFixed(2)}×`);
const frames = /HEADERS\s+(\d+)/.exec(tsharkTree);
if (frames) console.log(`tshark HEADERS frames: ${frames[1]}`);
