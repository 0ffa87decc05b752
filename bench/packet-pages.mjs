// Benchmark: a page of the packet list (100 packets, their records read from the capture and
// decoded) and one packet's detail, on the seed capture as a plain pcap and gzip'd. A plain file's
// records are read where they are; a gzip'd one is decompressed from its start up to the last
// record of the page, so its cost grows with how deep the page is. Each request runs 10 times to warm
// up, then RUNS times; the median is printed as a Markdown table. Captures named on the command
// line are measured after the seed's (a large plain capture: its pages read the same few records,
// but their connections' exchanges and chunks are looked up in a large index).
//
//   node scripts/build.mjs && node bench/packet-pages.mjs [CAPTURE ...]

import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { importHandlers, openIndex, root } from './lib/api-bench.mjs';

const RUNS = 7;
const FILES = [...['haproxy-502.pcap', 'haproxy-502.pcap.gz'].map((f) => path.join(root, '..', 'shared', 'corpus', 'pcap', f)), ...process.argv.slice(2).map((f) => path.resolve(f))];
const { createViewHandlers } = await importHandlers('core/domain/view-handlers.ts', 'view-handlers');

async function median(run) {
  // Warmed up until the code is compiled (the first file's first pages would pay for it otherwise).
  for (let i = 0; i < 10; i++) await run();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

console.log(`| capture | request | median ms |\n|---|---|---|`);
for (const file of FILES) {
  const db = path.join(root, 'bench', 'data', `${path.basename(file)}.packets.sqlite`);
  execFileSync(process.execPath, [path.join(root, 'bin', 'capscope.js'), 'index', '--db', db, file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const handle = openIndex(db, 'capscope index failed');
  const api = createViewHandlers({ db: () => handle });
  const { total } = await api['packets.page']({ caseId: 'c', scope: {}, limit: 1 });
  for (const offset of [0, Math.floor(total / 2), total - 100]) {
    const ms = await median(() => api['packets.page']({ caseId: 'c', scope: {}, offset, limit: 100 }));
    console.log(`| ${path.basename(file)} | packets.page offset ${offset}, 100 rows | ${ms.toFixed(1)} |`);
  }
  for (const frame of [1, total]) {
    const ms = await median(() => api['packets.detail']({ caseId: 'c', sourceId: 1, frame }));
    console.log(`| ${path.basename(file)} | packets.detail frame ${frame} | ${ms.toFixed(1)} |`);
  }
  handle.close();
}
console.log(`\nload average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} CPUs`);
