// Compression and archive layers, on real files made by real tools (gzip, zstd, GNU tar) where
// the tool is the point, and by node:zlib where the exact bytes matter.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_SNIFFERS } from '../../core/registry/formats';
import { describeFile } from '../../parsers/source/describe';
import { SourceError } from '../../parsers/source/source-error';
import { walkEvidence } from '../../parsers/source/walk';
import { corpus, scratchDir } from '../helpers/paths';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const HPROF = corpus('hprof', 'square_haha__sun_jdk5_13_x32.hprof');
const SCAP_GZ = corpus('scap', 'falco-cat_write.scap');
let dir: string;

function write(name: string, data: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

/** Reads a whole evidence entry back, to compare with the original bytes. */
async function readOnlyEntry(file: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const item of walkEvidence(file, { formats: EVIDENCE_SNIFFERS })) {
    if (item.kind !== 'evidence') throw new Error(`unexpected ${item.kind}`);
    for await (const chunk of item.reader.chunks()) parts.push(Uint8Array.from(chunk));
  }
  return Buffer.concat(parts);
}

beforeAll(() => {
  dir = scratchDir('layers');
});

describe('gzip', () => {
  it('reads a multi-member stream as one (as jcmd GC.heap_dump -gz writes)', async () => {
    const original = fs.readFileSync(HPROF);
    const members = [0, 100_000, 900_000, original.length].slice(1).map((end, i, ends) => zlib.gzipSync(original.subarray(i === 0 ? 0 : ends[i - 1], end)));
    const file = write('multi.hprof.gz', Buffer.concat(members));
    expect(await readOnlyEntry(file)).toEqual(original);
    const d = await describeFile(file, { formats: EVIDENCE_SNIFFERS });
    expect(d.entries).toEqual([expect.objectContaining({ name: 'multi.hprof', format: 'hprof', compression: ['gzip'], bytes: original.length })]);
  });

  it('reports a truncated stream with file and offset, keeping the entry found before the fault', async () => {
    const whole = zlib.gzipSync(fs.readFileSync(PCAP));
    const file = write('cut.pcap.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const d = await describeFile(file, { formats: EVIDENCE_SNIFFERS });
    expect(d.entries.map((e) => e.format)).toEqual(['pcap']);
    expect(d.error).toBeInstanceOf(SourceError);
    expect(d.error!.message).toContain(file);
    expect(d.error!.message).toMatch(/at byte \d+ of the decompressed gzip data: expected more compressed data and the gzip trailer.*truncated/);
    expect(d.error!.message.split('\n')).toHaveLength(1);
    expect(d.error!.offset).toBeGreaterThan(0);
  });

  it('reports corrupt data', async () => {
    const whole = Buffer.from(zlib.gzipSync(fs.readFileSync(PCAP)));
    for (let i = 2000; i < 2100; i++) whole[i] = whole[i]! ^ 0x5a;
    const d = await describeFile(write('corrupt.pcap.gz', whole), { formats: EVIDENCE_SNIFFERS });
    expect(d.error?.message).toMatch(/expected valid gzip data, found .* within compressed bytes/);
  });

  it('reads what real gzip wrote, with a file name in its header', async () => {
    const file = path.join(dir, 'named.pcap');
    fs.copyFileSync(PCAP, file);
    execFileSync('gzip', ['-N', '-9', file]);
    expect(await readOnlyEntry(`${file}.gz`)).toEqual(fs.readFileSync(PCAP));
  });
});

describe('zstd', () => {
  it('reads what the zstd tool wrote, and several frames in a row', async () => {
    const file = path.join(dir, 'hprof.zst');
    execFileSync('zstd', ['-q', '-f', HPROF, '-o', file]);
    expect(await readOnlyEntry(file)).toEqual(fs.readFileSync(HPROF));
    const twice = write('twice.hprof.zst', Buffer.concat([fs.readFileSync(file), fs.readFileSync(file)]));
    const d = await describeFile(twice, { formats: EVIDENCE_SNIFFERS });
    expect(d.entries[0]).toMatchObject({ name: 'twice.hprof', compression: ['zstd'], bytes: 2 * fs.statSync(HPROF).size });
  });

  it('reports a stream cut short, which the decompressor alone would not notice', async () => {
    const file = path.join(dir, 'cut-src.zst');
    execFileSync('zstd', ['-q', '-f', PCAP, '-o', file]);
    const whole = fs.readFileSync(file);
    const d = await describeFile(write('cut.pcap.zst', whole.subarray(0, whole.length - 7)), { formats: EVIDENCE_SNIFFERS });
    expect(d.error?.message).toMatch(/zstd data: expected more compressed data, found the end of the compressed data after \d+ bytes/);
  });

  it('reports bytes that are not a zstd frame after a valid one', async () => {
    const file = path.join(dir, 'frame.zst');
    execFileSync('zstd', ['-q', '-f', PCAP, '-o', file]);
    const d = await describeFile(write('junk.pcap.zst', Buffer.concat([fs.readFileSync(file), Buffer.from('not zstd at all')])), { formats: EVIDENCE_SNIFFERS });
    expect(d.error?.message).toMatch(/expected a zstd frame, found bytes 6e 6f 74 20 where a zstd frame should start \(at compressed byte \d+\)/);
  });
});

describe('tar', () => {
  function tar(name: string, args: string[], members: string[]): string {
    const out = path.join(dir, name);
    execFileSync('tar', [...args, '-cf', out, '-C', dir, ...members]);
    return out;
  }

  beforeAll(() => {
    fs.copyFileSync(SCAP_GZ, path.join(dir, 'node-a.scap.gz'));
    fs.copyFileSync(PCAP, path.join(dir, 'edge.pcap'));
    fs.copyFileSync(HPROF, path.join(dir, 'app.hprof'));
    fs.writeFileSync(path.join(dir, 'README.txt'), 'incident 4711: collected from edge-lb\n');
  });

  it('lists three entries for a tar.gz bundling a scap, a pcap and an hprof', async () => {
    const bundle = tar('bundle.tar.gz', ['-z'], ['node-a.scap.gz', 'edge.pcap', 'app.hprof', 'README.txt']);
    const d = await describeFile(bundle, { formats: EVIDENCE_SNIFFERS });
    expect(d.error).toBeNull();
    expect(d.entries).toEqual([
      expect.objectContaining({ name: 'node-a.scap', format: 'scap', compression: ['gzip', 'tar', 'gzip'] }),
      expect.objectContaining({ name: 'edge.pcap', format: 'pcap', compression: ['gzip', 'tar'], bytes: fs.statSync(PCAP).size }),
      expect.objectContaining({ name: 'app.hprof', format: 'hprof', compression: ['gzip', 'tar'], bytes: fs.statSync(HPROF).size }),
    ]);
    expect(d.skipped).toEqual([expect.objectContaining({ name: 'README.txt', reason: expect.stringContaining('text, not a capture') })]);
  });

  it('reads tar inside zstd', async () => {
    const plain = tar('bundle.tar', [], ['edge.pcap', 'app.hprof']);
    execFileSync('zstd', ['-q', '-f', plain, '-o', `${plain}.zst`]);
    const d = await describeFile(`${plain}.zst`, { formats: EVIDENCE_SNIFFERS });
    expect(d.entries.map((e) => [e.name, e.compression])).toEqual([
      ['edge.pcap', ['zstd', 'tar']],
      ['app.hprof', ['zstd', 'tar']],
    ]);
  });

  it.each(['gnu', 'pax', 'ustar'])('keeps long member names in %s archives', async (format) => {
    const deep = path.join('k8s', 'ns-payments', 'pod-ticket-server-7c9f6d5b8-x2x9q', 'captures-taken-during-the-incident');
    fs.mkdirSync(path.join(dir, deep), { recursive: true });
    const member = path.join(deep, 'edge-lb-haproxy-container-network-capture.pcap');
    fs.copyFileSync(PCAP, path.join(dir, member));
    const archive = tar(`long-${format}.tar`, [`--format=${format}`], [member]);
    const d = await describeFile(archive, { formats: EVIDENCE_SNIFFERS });
    expect(d.entries.map((e) => e.name)).toEqual([member]);
    expect(await readOnlyEntry(archive)).toEqual(fs.readFileSync(PCAP));
  });

  it('skips a member whose own gzip is broken and goes on with the archive', async () => {
    const whole = fs.readFileSync(SCAP_GZ);
    fs.writeFileSync(path.join(dir, 'broken.scap.gz'), whole.subarray(0, whole.length - 100));
    const archive = tar('one-broken.tar', [], ['broken.scap.gz', 'edge.pcap']);
    const d = await describeFile(archive, { formats: EVIDENCE_SNIFFERS });
    expect(d.error).toBeNull();
    expect(d.entries.map((e) => e.name)).toEqual(['edge.pcap']);
    expect(d.skipped).toEqual([expect.objectContaining({ name: 'broken.scap', reason: expect.stringContaining('› broken.scap.gz at byte') })]);
  });

  it('reports a truncated archive, keeping the members read before the cut', async () => {
    const archive = fs.readFileSync(tar('whole.tar', [], ['edge.pcap', 'app.hprof']));
    const hprofData = 512 + Math.ceil(fs.statSync(PCAP).size / 512) * 512 + 512;
    const d = await describeFile(write('cut.tar', archive.subarray(0, hprofData + 1000)), { formats: EVIDENCE_SNIFFERS });
    expect(d.entries.map((e) => e.name)).toEqual(['edge.pcap', 'app.hprof']);
    expect(d.error?.message).toContain(`cut.tar at byte ${hprofData + 1000} of the tar archive: expected 1691635 bytes of member 'app.hprof', found the end of the data after 1000 bytes`);
  });

  it('reports a damaged header with its offset', async () => {
    const archive = Buffer.from(fs.readFileSync(tar('damaged.tar', [], ['edge.pcap', 'app.hprof'])));
    const second = 512 + Math.ceil(fs.statSync(PCAP).size / 512) * 512;
    archive[second + 3] = archive[second + 3]! ^ 0xff;
    const d = await describeFile(write('damaged-header.tar', archive), { formats: EVIDENCE_SNIFFERS });
    expect(d.error?.message).toContain(`at byte ${second} of the tar archive: expected a tar header with a valid checksum`);
    expect(d.entries.map((e) => e.name)).toEqual(['edge.pcap']);
  });

  it('reports a malformed pax record in one line, at the record, its newline written as \\n', async () => {
    const archive = Buffer.from(fs.readFileSync(tar('pax.tar', ['--format=pax', '--pax-option=comment=x'], ['edge.pcap'])));
    // The pax header's body starts at byte 512 with "<length> comment=x\n"; a wrong length breaks it.
    expect(archive.subarray(512, 530).toString('latin1')).toMatch(/^\d+ comment=x\n/);
    archive.write('9', 512);
    const d = await describeFile(write('bad-pax.tar', archive), { formats: EVIDENCE_SNIFFERS });
    const message = d.error!.message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`bad-pax.tar at byte 512 of the tar archive: expected pax records of the form "<length> <key>=<value>\\n", found '9`);
    expect(message).toMatch(/found '9\d comment=x\\n'$/);
  });

  it('refuses endless nesting', async () => {
    let data: Buffer = fs.readFileSync(PCAP);
    for (let i = 0; i < 10; i++) data = zlib.gzipSync(data);
    const d = await describeFile(write('onion.gz', data), { formats: EVIDENCE_SNIFFERS });
    expect(d.error?.message).toContain('expected at most 8 nested gzip/zstd/tar layers');
  });
});
