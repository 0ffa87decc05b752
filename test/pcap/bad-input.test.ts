// Broken captures, made from real ones: a cut last packet, caplens beyond the snapshot length, a
// pcapng block running past the end, a packet naming an interface that does not exist, a corrupt
// block length. Each gets a diagnostic naming the file, the byte offset and what was expected;
// everything before the fault stays in the index; nothing crashes or hangs.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';
import { capinfosPackets } from './helpers/oracle';
import { readPcapFile } from './helpers/pcap-edit';
import { openIndexDb } from '../helpers/index-db';

const dir = scratchDir('pcap-bad');
const PCAP = corpus('pcap', 'haproxy-502.pcap');
const PCAPNG = corpus('pcap', 'haproxy-502.pcapng');

interface Diagnostic {
  offset: number | null;
  severity: string;
  message: string;
}

function indexBroken(name: string, bytes: Buffer) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  const db = path.join(dir, `${name}.sqlite`);
  const result = capscope(['index', '--json', '--db', db, file]);
  const doc = onlyJson(result) as { state: string; sources: { status: string; error: string | null }[] };
  const d = openIndexDb(db, { readonly: true });
  try {
    return {
      file,
      result,
      doc,
      packets: d.prepare('SELECT count(*) FROM packets').pluck().get() as number,
      lastFrame: d.prepare('SELECT max(frame) FROM packets').pluck().get() as number,
      chunks: d.prepare('SELECT count(*) FROM chunks').pluck().get() as number,
      diagnostics: d.prepare('SELECT offset, severity, message FROM diagnostics ORDER BY id').all() as Diagnostic[],
    };
  } finally {
    d.close();
  }
}

/** Offsets of each record of a classic pcap file. */
function recordOffsets(file: string): number[] {
  const offsets: number[] = [];
  let at = 24;
  for (const r of readPcapFile(file).records) {
    offsets.push(at);
    at += 16 + r.data.length;
  }
  return offsets;
}

/** Offsets and types of each pcapng block (little-endian files). */
function blocks(bytes: Buffer): { at: number; type: number; length: number }[] {
  const out = [];
  for (let at = 0; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32LE(at + 4);
    out.push({ at, type: bytes.readUInt32LE(at), length });
    at += length;
  }
  return out;
}

describe('bad input', () => {
  it('a truncated last packet: an error at its offset, every packet before it kept', () => {
    const bytes = fs.readFileSync(PCAP);
    const offsets = recordOffsets(PCAP);
    const last = offsets.at(-1)!;
    const r = indexBroken('cut-last.pcap', bytes.subarray(0, bytes.length - 20));
    expect(r.result.status).toBe(1);
    expect(r.doc.sources[0]!.status).toBe('failed');
    const message = `${r.file} at byte ${last}: expected`;
    expect(r.doc.sources[0]!.error).toContain(message);
    expect(r.doc.sources[0]!.error).toContain('the last packet is cut short');
    expect(r.result.stderr).toContain(message);
    expect(r.packets).toBe(offsets.length - 1);
    expect(r.diagnostics.some((d) => d.offset === last && d.severity === 'error')).toBe(true);
    // Streams and chunks of everything before the cut are there.
    expect(r.chunks).toBeGreaterThan(300);
  });

  it('a record header cut short at the end', () => {
    const bytes = fs.readFileSync(PCAP);
    const offsets = recordOffsets(PCAP);
    const r = indexBroken('cut-header.pcap', bytes.subarray(0, offsets.at(-1)! + 7));
    expect(r.result.status).toBe(1);
    expect(r.doc.sources[0]!.error).toContain(`at byte ${offsets.at(-1)}: expected a 16-byte packet record header, found the end of the data after 7 bytes`);
    expect(r.packets).toBe(offsets.length - 1);
  });

  it('captured lengths larger than the snapshot length: a warning, the packets read in full, as tshark does', () => {
    const bytes = Buffer.from(fs.readFileSync(PCAP));
    bytes.writeUInt32LE(100, 16); // snaplen 100; the file has packets up to ~400 bytes
    const r = indexBroken('over-snaplen.pcap', bytes);
    expect(r.result.status).toBe(0);
    expect(r.packets).toBe(capinfosPackets(r.file));
    const first = recordOffsets(PCAP).find((at, i) => readPcapFile(PCAP).records[i]!.data.length > 100)!;
    const warning = r.diagnostics.find((d) => d.message.includes('snapshot length'))!;
    expect(warning.severity).toBe('warning');
    expect(warning.offset).toBe(first);
    expect(warning.message).toContain(`${r.file} at byte ${first}: expected packet records of at most the snapshot length (100 bytes)`);
  });

  it('an impossible captured length in the middle: an error there, the packets before it kept', () => {
    const bytes = Buffer.from(fs.readFileSync(PCAP));
    const offsets = recordOffsets(PCAP);
    const at = offsets[700]!;
    bytes.writeUInt32LE(0x7fff0000, at + 8);
    const r = indexBroken('huge-caplen.pcap', bytes);
    expect(r.result.status).toBe(1);
    expect(r.doc.sources[0]!.error).toContain(`at byte ${at}: expected a packet record of at most 262144 bytes (snapshot length 262144), found a captured length of 2147418112`);
    expect(r.packets).toBe(700);
    expect(r.lastFrame).toBe(700);
  });

  it('a pcapng block that runs past the end of the file', () => {
    const bytes = fs.readFileSync(PCAPNG);
    const all = blocks(bytes);
    const cut = all[all.length - 10]!;
    const r = indexBroken('cut-block.pcapng', bytes.subarray(0, cut.at + 20));
    expect(r.result.status).toBe(1);
    expect(r.doc.sources[0]!.error).toContain(`${r.file} at byte ${cut.at}: expected a block of ${cut.length} bytes (type 0x6), found only 20 bytes before the end of the data (the block runs past the end)`);
    expect(r.packets).toBe(all.filter((b) => b.type === 6 && b.at < cut.at).length);
  });

  it('an enhanced packet block naming an interface that does not exist: a warning, that block skipped, the rest read', () => {
    const bytes = Buffer.from(fs.readFileSync(PCAPNG));
    const epbs = blocks(bytes).filter((b) => b.type === 6);
    const bad = epbs[100]!;
    bytes.writeUInt32LE(5, bad.at + 8);
    const r = indexBroken('bad-interface.pcapng', bytes);
    expect(r.result.status).toBe(0);
    expect(r.packets).toBe(epbs.length - 1);
    const d = r.diagnostics.find((x) => x.offset === bad.at)!;
    expect(d.severity).toBe('warning');
    expect(d.message).toBe(`${r.file} at byte ${bad.at}: expected a packet from one of the 1 interfaces described so far in this section, found one naming interface 5; the block is skipped`);
  });

  it('a block length that is not a multiple of 4: an error at the block, nothing after it guessed at', () => {
    const bytes = Buffer.from(fs.readFileSync(PCAPNG));
    const epbs = blocks(bytes).filter((b) => b.type === 6);
    const bad = epbs[10]!;
    bytes.writeUInt32LE(bad.length + 2, bad.at + 4);
    const r = indexBroken('odd-length.pcapng', bytes);
    expect(r.result.status).toBe(1);
    expect(r.doc.sources[0]!.error).toContain(`at byte ${bad.at + 4}: expected a block length that is a multiple of 4 and at least 12, found ${bad.length + 2}`);
    expect(r.packets).toBe(10);
  });

  it('a gzip-compressed capture cut short keeps the packets decompressed before the cut', () => {
    const gz = fs.readFileSync(corpus('pcap', 'haproxy-502.pcap.gz'));
    const r = indexBroken('cut.pcap.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    expect(r.result.status).toBe(1);
    expect(r.doc.sources[0]!.error).toContain('gzip');
    expect(r.packets).toBeGreaterThan(100);
    expect(r.packets).toBeLessThan(1445);
  });
});
