// zstd within bounds: memory that does not grow with the decompressed size (a 33 KB file of zeros
// that says 1 GiB once took 1.15 GB), the windows a valid file may ask for (zstd --long, levels
// 20-22), and headers that ask for more than any file needs are refused in one line, cheaply.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_SNIFFERS } from '../../core/registry/formats';
import { describeFile } from '../../parsers/source/describe';
import { walkEvidence } from '../../parsers/source/walk';
import { capscopeAsync } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';

let dir: string;

function write(name: string, data: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

/** A pcap file header: little-endian, microseconds, Ethernet. */
const PCAP_HEADER = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');

const block = (type: 0 | 1 | 2, size: number, last: boolean) => {
  const v = (size << 3) | (type << 1) | (last ? 1 : 0);
  return Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
};

/**
 * One zstd frame (RFC 8878) written by hand: a raw block of `head`, then `zeroBlocks` RLE blocks of
 * 128 KiB of zeros each (4 bytes apiece: the largest expansion the format allows).
 */
function zerosFrame(head: Uint8Array, zeroBlocks: number, windowDescriptor = 0x38 /* 2^17: 128 KiB */): Buffer {
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, windowDescriptor]), block(0, head.length, zeroBlocks === 0), Buffer.from(head)];
  for (let i = 0; i < zeroBlocks; i++) parts.push(block(1, 128 * 1024, i === zeroBlocks - 1), Buffer.from([0]));
  return Buffer.concat(parts);
}

beforeAll(() => {
  dir = scratchDir('zstd-bounds');
});

describe('zstd memory', () => {
  it('a 64 KB file that decompresses to 1 GiB is read in bounded memory (peak RSS of the process, not the decompressed size)', async () => {
    const blocks = 8192; // × 128 KiB = 1 GiB
    const file = write('zeros.pcap.zst', zerosFrame(PCAP_HEADER, blocks));
    expect(fs.statSync(file).size).toBeLessThan(40_000);
    // The child reports its own high-water mark as it exits: nothing else shares that process.
    const probe = write('max-rss.mjs', Buffer.from("process.on('exit', () => process.stderr.write(`maxRSS ${process.resourceUsage().maxRSS}\\n`));\n"));
    const r = await capscopeAsync(['info', file, '--json'], { NODE_OPTIONS: `--import=${probe}` });
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { entries: { bytes: number; compression: string[] }[] };
    expect(info.entries[0]).toMatchObject({ compression: ['zstd'], bytes: PCAP_HEADER.length + blocks * 128 * 1024 });
    const maxRssKiB = Number(/maxRSS (\d+)/.exec(r.stderr)![1]);
    // Node and the CLI take about 100 MB; 1 GiB held at once would be ten times the bound.
    expect(maxRssKiB).toBeLessThan(300 * 1024);
  }, 120_000);
});

describe('zstd windows', () => {
  it('reads a frame that declares a 16 MiB window (zstd --long=24 from a pipe), which zstd-codec could not allocate', async () => {
    const original = Buffer.concat([PCAP_HEADER, Buffer.alloc(100_000)]);
    const compressed = execFileSync('zstd', ['-q', '--long=24', '-c'], { input: original });
    // The window is declared in the frame header's descriptor byte: exponent 24 - 10 = 14.
    expect(compressed[5]! >> 3).toBe(14);
    const file = write('long.pcap.zst', compressed);
    const d = await describeFile(file, { formats: EVIDENCE_SNIFFERS });
    expect(d.error).toBeNull();
    expect(d.entries[0]).toMatchObject({ format: 'pcap', compression: ['zstd'], bytes: original.length });
    const parts: Uint8Array[] = [];
    for await (const item of walkEvidence(file, { formats: EVIDENCE_SNIFFERS })) {
      if (item.kind === 'evidence') for await (const chunk of item.reader.chunks()) parts.push(Uint8Array.from(chunk));
    }
    expect(Buffer.concat(parts).equals(original)).toBe(true);
  });

  it('refuses a frame that asks for a window beyond 128 MiB (what zstd -d allows without --memory), before allocating it', async () => {
    // Window descriptor 0xa8: exponent 21 + 10 = 2^31 bytes.
    const d = await describeFile(write('huge-window.pcap.zst', zerosFrame(PCAP_HEADER, 1, 0xa8)), { formats: EVIDENCE_SNIFFERS });
    expect(d.error?.message).toMatch(/huge-window\.pcap\.zst at byte 0 of the decompressed zstd data: expected a zstd frame whose window is at most 134,217,728 bytes, found one of 2,147,483,648 bytes \(at compressed byte 5\)/);
    expect(d.error!.message.split('\n')).toHaveLength(1);
  });

  it('refuses a block that says it holds more than the 128 KiB a block may', async () => {
    const frame = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]), block(0, PCAP_HEADER.length, false), PCAP_HEADER, block(1, (1 << 21) - 1, true), Buffer.from([0])]);
    const d = await describeFile(write('big-block.pcap.zst', frame), { formats: EVIDENCE_SNIFFERS });
    expect(d.entries.map((e) => e.format)).toEqual(['pcap']);
    expect(d.error?.message).toMatch(/expected a zstd block of at most 131,072 bytes, found an RLE block of 2,097,151 bytes \(at compressed byte 33\)/);
  });
});
