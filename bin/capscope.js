#!/usr/bin/env node
// The `capscope` command: runs the built CLI (npm run build writes dist/; npm ci runs it).
import fs from 'node:fs';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!fs.existsSync(cli)) {
  process.stderr.write(`capscope: ${cli.pathname} is missing: run 'npm run build' (npm ci does it for you)\n`);
  process.exit(1);
}
// `capscope index` nearly always runs an ingest: its worker thread starts now, so that its start
// (a thread, its bundle) runs beside the loading of the CLI's bundle instead of after it
// (core/ingest/spare-worker.ts). A command that ends without indexing lets it go.
// (A build from before dist/ingest-spare.mjs existed simply has no spare: the ingest starts its own.)
const spare = new URL('../dist/ingest-spare.mjs', import.meta.url);
const spareIngestWorker = process.argv[2] === 'index' && fs.existsSync(spare) ? (await import(spare.href)).SpareIngestWorker.start() : null;
const { run } = await import(cli.href);
await run({ spareIngestWorker });
