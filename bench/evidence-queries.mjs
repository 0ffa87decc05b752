// Benchmark: the evidence views' API handlers (findings, stream pages, HTTP table, latency chart,
// one exchange) timed directly in Node over the index of bench/data/http-700m.pcap (718 MB, 8,958
// TCP connections; recorded by bench/pcap-index.mjs). Each handler runs as the UI calls it: first
// pages and deep pages of every sort order, brushed ranges, random exchanges and streams.
// Prints p50/p95/max per method and variant as a Markdown table.
//
//   node bin/capscope.js index bench/data/http-700m.pcap --db /tmp/evbench/http-700m.sqlite
//   node bench/evidence-queries.mjs [DB] [ROUNDS]
//
// With HEAP_DB set to the index of a heap dump (capscope index DUMP --db HEAP_DB), the heap
// view's methods are timed too: the first dominator-tree question reads the dump again (it is the
// only answer not stored in the index), the ones after it are answered from memory.

import path from 'node:path';
import { createTimer, importHandlers, openIndex, percentile, seededRandom } from './lib/api-bench.mjs';

const dbPath = path.resolve(process.argv[2] || '/tmp/evbench/http-700m.sqlite');
const rounds = Number(process.argv[3] || 20);
const db = openIndex(dbPath, 'index bench/data/http-700m.pcap into it first (see the top of this file)');
const { createViewHandlers } = await importHandlers('core/domain/view-handlers.ts', 'evidence-queries-handlers');
const api = createViewHandlers({ db: () => db });
const caseId = 'bench';
const { time, timings } = createTimer();
const random = seededRandom();

const all = await time('http.latency (whole capture), first call', () => api['http.latency']({ caseId, scope: {}, buckets: 150 }));
const from = BigInt(all.from);
const width = BigInt(all.to) - from;
const randomRange = (maxShare) => {
  const share = 0.001 + random() * maxShare;
  const a = random() * (1 - share);
  const at = (x) => String(from + (width * BigInt(Math.round(x * 1e6))) / 1_000_000n);
  return { from: at(a), to: at(a + share) };
};
const total = (await api['http.exchanges']({ caseId, limit: 1 })).total;
const streams = db.prepare('SELECT count(*) FROM streams').pluck().get();

for (let r = 0; r < rounds; r++) {
  await time('findings.list (first 5)', () => api['findings.list']({ caseId, limit: 5 }));
  await time('findings.list (brushed range)', () => api['findings.list']({ caseId, scope: { range: randomRange(0.3) }, limit: 5 }));
  await time('http.latency (whole capture, 150 buckets)', () => api['http.latency']({ caseId, scope: {}, buckets: 150 }));
  await time('http.latency (brushed range)', () => api['http.latency']({ caseId, scope: { range: randomRange(0.3) }, buckets: 150 }));
  for (const column of ['time', 'status', 'latency', 'target', 'diagnostics']) {
    const desc = random() < 0.5;
    await time(`http.exchanges sorted by ${column}, first page of 100`, () => api['http.exchanges']({ caseId, sort: { column, desc }, limit: 100 }));
    await time(`http.exchanges sorted by ${column}, a random page of 100`, () => api['http.exchanges']({ caseId, sort: { column, desc }, offset: Math.floor(random() * (total - 100)), limit: 100 }));
  }
  await time('http.exchanges (brushed range, by time)', () => api['http.exchanges']({ caseId, scope: { range: randomRange(0.3) }, limit: 100 }));
  await time('http.exchange (a random one)', () => api['http.exchange']({ caseId, id: 1 + Math.floor(random() * total) }));
  const streamId = 1 + Math.floor(random() * streams);
  await time('stream.get', () => api['stream.get']({ caseId, streamId }));
  await time('stream.peers', () => api['stream.peers']({ caseId, streamId }));
  await time('stream.chunks (first page)', () => api['stream.chunks']({ caseId, streamId, fromSeq: 0, limit: 200 }));
  await time('stream.chunks (around a byte)', () => api['stream.chunks']({ caseId, streamId, at: { dir: 'in', offset: 21 }, limit: 200 }));
}

if (process.env.HEAP_DB) {
  const heapDb = openIndex(path.resolve(process.env.HEAP_DB), 'index the heap dump into it first (capscope index DUMP --db HEAP_DB)');
  const heap = createViewHandlers({ db: () => heapDb });
  const [{ sourceId }] = (await heap['heap.sources']({ caseId })).sources;
  const top = await time('heap.dominators (first call: reads the dump)', () => heap['heap.dominators']({ caseId, sourceId, parent: null, limit: 50 }));
  for (let r = 0; r < rounds; r++) {
    await time('heap.summary', () => heap['heap.summary']({ caseId, sourceId }));
    await time('heap.histogram (by retained, a page of 100)', () => heap['heap.histogram']({ caseId, sourceId, sort: { column: 'retained', desc: true }, offset: Math.floor(random() * 5) * 100, limit: 100 }));
    await time('heap.suspects', () => heap['heap.suspects']({ caseId, sourceId }));
    await time('heap.dominators (roots, after the first call)', () => heap['heap.dominators']({ caseId, sourceId, parent: null, limit: 50 }));
    await time('heap.dominators (children of a big object)', () => heap['heap.dominators']({ caseId, sourceId, parent: top.rows[Math.floor(random() * top.rows.length)].objectId, limit: 50 }));
    await time('heap.pathToRoot', () => heap['heap.pathToRoot']({ caseId, sourceId, objectId: top.rows[Math.floor(random() * top.rows.length)].objectId }));
    await time('heap.duplicateStrings (a page of 100)', () => heap['heap.duplicateStrings']({ caseId, sourceId, limit: 100 }));
  }
}

console.log(`${path.basename(dbPath)}: ${total.toLocaleString('en-US')} HTTP exchanges, ${streams.toLocaleString('en-US')} streams, ${rounds} rounds\n`);
console.log('| method and variant | p50 ms | p95 ms | max ms |');
console.log('|---|---:|---:|---:|');
for (const [label, xs] of timings) console.log(`| ${label} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
