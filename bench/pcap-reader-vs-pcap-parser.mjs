// Benchmark: reading the packet records of a classic pcap, capscope's reader (core/formats/pcap/parser) against
// the `pcap-parser` package the product design first named, on the same file in the same process.
// Both only frame the records (timestamp, lengths, bytes); neither decodes or stores anything.
//
//   node bench/pcap-reader-vs-pcap-parser.mjs [FILE]     (default: bench/data/http-700m.pcap)

import { build } from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.resolve(process.argv[2] ?? path.join(root, 'bench', 'data', 'http-700m.pcap'));
const require = createRequire(import.meta.url);

// capscope's reader, bundled from its TypeScript source for this run.
const bundled = await build({
  stdin: {
    contents: "export { readPcap } from './core/formats/pcap/parser/pcap-reader'; export { ByteReader } from './parsers/source/byte-reader';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const { readPcap, ByteReader } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

async function* fileChunks() {
  const handle = await fs.promises.open(file, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(1 << 20);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

async function capscopeReader() {
  let packets = 0;
  let bytes = 0;
  await readPcap(new ByteReader(fileChunks()), {
    packet: (p) => {
      packets++;
      bytes += p.data.length;
    },
    interface: () => {},
    comment: () => {},
    diagnostic: () => {},
  });
  return { packets, bytes };
}

function pcapParser() {
  const { parse } = require('pcap-parser');
  return new Promise((resolve, reject) => {
    let packets = 0;
    let bytes = 0;
    const parser = parse(fs.createReadStream(file, { highWaterMark: 1 << 20 }));
    parser.on('packet', (p) => {
      packets++;
      bytes += p.data.length;
    });
    parser.on('error', reject);
    parser.on('end', () => resolve({ packets, bytes }));
  });
}

const mb = fs.statSync(file).size / 1e6;
console.log(`${path.basename(file)}: ${mb.toFixed(0)} MB\n`);
console.log('| reader | seconds | MB/s | packets | heap growth MiB |');
console.log('|---|---|---|---|---|');
for (const [label, run] of [['capscope core/formats/pcap/parser', capscopeReader], ['pcap-parser 0.2.1', pcapParser]]) {
  global.gc?.();
  const heap = process.memoryUsage().rss;
  const started = performance.now();
  const r = await run();
  const seconds = (performance.now() - started) / 1000;
  console.log(`| ${label} | ${seconds.toFixed(2)} | ${(mb / seconds).toFixed(0)} | ${r.packets.toLocaleString('en-US')} | ${((process.memoryUsage().rss - heap) / 2 ** 20).toFixed(0)} |`);
}
