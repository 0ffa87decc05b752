// Benchmark: capscope's default Falco rules over the scap benchmark capture, against the time
// capscope took to index it (the bound: alerts in at most 0.5 × the index time).
// The capture is bench/scap-throughput.mjs's (curl_google.scap's events replicated to SIZE MiB,
// default 128: this is a shared two-core machine; 1024 is that benchmark's size). Then, RUNS times
// (default 3):
//   index   `capscope index --reindex` (the whole ingest, the default rules' analysis among them);
//   alerts  `capscope alerts --rules capscope-default.yaml` (the default rules loaded and run now,
//           over the same index) minus `capscope alerts` (the stored alerts read back: the start-up,
//           opening the case and printing, which are not the rules' work);
// and prints a Markdown table with the load average at each run's start.
//
//   node scripts/build.mjs && node bench/falco-alerts.mjs [SIZE_MIB] [RUNS]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench', 'data');
const sizeMiB = Number(process.argv[2] ?? 128);
const runs = Number(process.argv[3] ?? 3);
const capscope = path.join(root, 'bin', 'capscope.js');
const file = path.join(dataDir, `synthetic-${sizeMiB}m.scap`);
const db = path.join(dataDir, `falco-${sizeMiB}m.scap.sqlite`);
const rulesFile = path.join(dataDir, 'capscope-default.yaml');

fs.mkdirSync(dataDir, { recursive: true });
if (!fs.existsSync(file)) {
  // scap-throughput.mjs with no runs only makes (or reuses) its capture.
  const made = spawnSync(process.execPath, [path.join(root, 'bench', 'scap-throughput.mjs'), String(sizeMiB), '0'], { stdio: 'inherit' });
  if (!fs.existsSync(file)) throw new Error(`could not make ${file}`);
}

// The default rules as the file a person would pass: the text the ingest's analysis runs.
const bundled = await build({ entryPoints: [path.join(root, 'core/analysis/falco/default-rules.ts')], bundle: true, format: 'esm', write: false, platform: 'node' });
const { DEFAULT_RULES_YAML } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
fs.writeFileSync(rulesFile, DEFAULT_RULES_YAML);

function timed(args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [capscope, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`capscope ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

const rows = [];
for (let run = 1; run <= runs; run++) {
  const load = os.loadavg()[0].toFixed(2);
  const index = timed(['index', '--db', db, '--reindex', file]);
  const stored = timed(['alerts', '--db', db, '--json', file]);
  const fresh = timed(['alerts', '--db', db, '--json', '--rules', rulesFile, file]);
  const alerts = JSON.parse(fresh.stdout).alerts.length;
  if (JSON.parse(stored.stdout).alerts.length !== alerts) throw new Error('the stored alerts and the rules run now differ');
  const rulesSeconds = Math.max(0, fresh.seconds - stored.seconds);
  rows.push(
    `| ${run} | ${load} | ${index.seconds.toFixed(2)} | ${fresh.seconds.toFixed(2)} | ${stored.seconds.toFixed(2)} | ${rulesSeconds.toFixed(2)} | ${(rulesSeconds / index.seconds).toFixed(3)} | ${alerts} |`,
  );
}
console.log(`Default Falco rules over ${path.relative(root, file)} (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB), ${os.cpus().length} × ${os.cpus()[0].model}`);
console.log('| run | load avg | index s | alerts --rules s | alerts (stored) s | rules s | rules / index | alerts |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
