// Benchmark: the HTTP analysis and findings passes over a large network capture's index. Indexes
// the file once (or reuses its index), then runs the passes again on that index, timed one by one,
// and reports exchanges per second.
//
//   npm run build && node bench/http-analysis.mjs [FILE]     (default: bench/data/http-700m.pcap,
//                                                             see bench/pcap-index.mjs to record it)

import { build } from 'esbuild';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.resolve(process.argv[2] ?? path.join(root, 'bench', 'data', 'http-700m.pcap'));
const db = path.join(root, 'bench', 'data', `${path.basename(file)}.http.sqlite`);
if (!fs.existsSync(file)) throw new Error(`${file} is missing: run bench/pcap-index.mjs first (it records it)`);

execFileSync(process.execPath, [path.join(root, 'bin', 'capscope.js'), 'index', '--db', db, file], { stdio: ['ignore', 'ignore', 'inherit'] });

// The analyses, bundled from source so that they run here on the main thread.
const out = path.join(os.tmpdir(), `capscope-analyses-${process.pid}.mjs`);
await build({ entryPoints: [path.join(root, 'core', 'registry', 'analyses.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: out, logLevel: 'warning' });
const { ANALYSES } = await import(pathToFileURL(out).href);
fs.rmSync(out);

const handle = new Database(db);
const streams = handle.prepare('SELECT count(*) FROM streams').pluck().get();
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, node ${process.version}`);
console.log(`input: ${path.basename(file)}, ${(fs.statSync(file).size / 1e6).toFixed(0)} MB, ${streams} streams\n`);
console.log('| pass | seconds | result |');
console.log('|---|---|---|');
for (const analysis of ANALYSES) {
  const started = process.hrtime.bigint();
  const summary = await analysis.run(handle);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`| ${analysis.name} | ${seconds.toFixed(2)} | ${summary?.message ?? '-'} |`);
  if (analysis.name === 'http') {
    const exchanges = handle.prepare('SELECT count(*) FROM http_exchanges').pluck().get();
    console.log(`| http: exchanges per second | | ${(exchanges / seconds).toFixed(0)} |`);
  }
}
handle.close();
