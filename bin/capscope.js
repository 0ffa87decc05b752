#!/usr/bin/env node
// The `capscope` command: runs the built CLI (npm run build writes dist/; npm ci runs it).
import fs from 'node:fs';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!fs.existsSync(cli)) {
  process.stderr.write(`capscope: ${cli.pathname} is missing: run 'npm run build' (npm ci does it for you)\n`);
  process.exit(1);
}
const { run } = await import(cli.href);
await run();
