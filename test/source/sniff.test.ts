import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { EVIDENCE_SNIFFERS } from '../../core/registry/formats';
import { describe, expect, it } from 'vitest';
import { sniff } from '../../parsers/source/sniff';
import { bytes, emptyBlock, pcapHeader, sectionHeader, u32 } from '../helpers/bytes';

describe('sniff', () => {
  it.each([
    [true, false, 'little-endian, microsecond'],
    [false, false, 'big-endian, microsecond'],
    [true, true, 'little-endian, nanosecond'],
    [false, true, 'big-endian, nanosecond'],
  ])('recognises every pcap magic (littleEndian=%s, ns=%s)', (littleEndian, nanoseconds, words) => {
    const seen = sniff(pcapHeader({ littleEndian, nanoseconds, linkType: 113 }), true, EVIDENCE_SNIFFERS.sniffers);
    expect(seen).toEqual({ kind: 'evidence', format: 'pcap', detail: expect.stringContaining(words) });
    expect(seen.kind === 'evidence' && seen.detail).toContain('link type 113');
  });

  it('asks for the whole pcap header before deciding', () => {
    expect(sniff(pcapHeader({ littleEndian: true, nanoseconds: false }).subarray(0, 10), false, EVIDENCE_SNIFFERS.sniffers)).toEqual({ kind: 'need-more', bytes: 24 });
    expect(sniff(pcapHeader({ littleEndian: true, nanoseconds: false }).subarray(0, 10), true, EVIDENCE_SNIFFERS.sniffers).kind).toBe('rejected');
  });

  it.each([true, false])('tells scap from pcapng by the block after the section header (littleEndian=%s)', (le) => {
    expect(sniff(bytes(sectionHeader(le), emptyBlock(0x201, le)), true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'evidence', format: 'scap' });
    expect(sniff(bytes(sectionHeader(le), emptyBlock(0x8002abcd, le)), true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'evidence', format: 'scap' });
    expect(sniff(bytes(sectionHeader(le), emptyBlock(0x1, le)), true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'evidence', format: 'pcapng' });
    expect(sniff(bytes(sectionHeader(le), emptyBlock(0x6, le)), true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'evidence', format: 'pcapng' });
  });

  it('looks further ahead when the section header carries long options', () => {
    const le = true;
    const options = new Array(5000).fill(0x41);
    const length = 28 + options.length;
    const shb = [...u32(0x0a0d0d0a, le), ...u32(length, le), ...u32(0x1a2b3c4d, le), 1, 0, 0, 0, ...u32(0xffffffff, le), ...u32(0xffffffff, le), ...options, ...u32(length, le)];
    const whole = bytes(shb, emptyBlock(0x201, le));
    const first = sniff(whole.subarray(0, 4096), false, EVIDENCE_SNIFFERS.sniffers);
    expect(first).toEqual({ kind: 'need-more', bytes: length + 8 });
    expect(sniff(whole, true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'evidence', format: 'scap' });
  });

  it('rejects a section header followed by a block that is neither pcapng nor scap', () => {
    const seen = sniff(bytes(sectionHeader(true), emptyBlock(0x7777, true)), true, EVIDENCE_SNIFFERS.sniffers);
    expect(seen).toMatchObject({ kind: 'rejected', found: expect.stringContaining('0x7777') });
  });

  it.each(['1.0.1', '1.0.2', '1.0.3'])('recognises HPROF %s with its identifier size', (version) => {
    const header = bytes(`JAVA PROFILE ${version}\0`, u32(8, false), u32(0, false), u32(0, false));
    expect(sniff(header, true, EVIDENCE_SNIFFERS.sniffers)).toEqual({ kind: 'evidence', format: 'hprof', detail: `HPROF ${version}, 8-byte identifiers` });
  });

  it('names an HPROF version it does not read', () => {
    expect(sniff(bytes('JAVA PROFILE 6.6.6\0', u32(4, false)), true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'rejected', found: expect.stringContaining("'JAVA PROFILE 6.6.6'") });
  });

  it('recognises the container layers', () => {
    expect(sniff(zlib.gzipSync(Buffer.from('x')), true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'layer', layer: 'gzip' });
    expect(sniff(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]), true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'layer', layer: 'zstd' });
    expect(sniff(Uint8Array.from([0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0]), true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'layer', layer: 'zstd' });
    const ustar = new Uint8Array(512);
    ustar.set(Buffer.from('x.pcap'), 0);
    ustar.set(Buffer.from('ustar\u000000'), 257);
    expect(sniff(ustar, true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'layer', layer: 'tar' });
  });

  it('recognises an old v7 tar header by its checksum', () => {
    const header = new Uint8Array(512);
    header.set(Buffer.from('capture.pcap'), 0);
    header.set(Buffer.from('0000644\0'), 100);
    header.set(Buffer.from('00000000012\0'), 124);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    header.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    expect(sniff(header, true, EVIDENCE_SNIFFERS.sniffers)).toMatchObject({ kind: 'layer', layer: 'tar' });
    header[0] = 0x44; // the checksum no longer adds up
    expect(sniff(header, true, EVIDENCE_SNIFFERS.sniffers).kind).toBe('rejected');
  });

  it.each([
    [bytes('snoop\0\0\0', u32(2, false), u32(4, false)), 'Solaris snoop capture'],
    [bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'PDF document'],
    [bytes([0x50, 0x4b, 0x03, 0x04, 20, 0]), 'ZIP archive'],
    [bytes('BZh91AY&SY'), 'bzip2'],
    [bytes([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), 'xz'],
    [bytes([0x34, 0xcd, 0xb2, 0xa1], new Array(20).fill(0)), 'Kuznetzov'],
    [bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'text, not a capture (first line: "GET / HTTP/1.1")'],
  ])('names what a rejected file is instead (%#)', (prefix, words) => {
    const seen = sniff(prefix, true, EVIDENCE_SNIFFERS.sniffers);
    expect(seen.kind).toBe('rejected');
    expect(seen.kind === 'rejected' && seen.found).toContain(words);
  });

  it.each([
    [bytes('x'), 'only 1 byte (78), too short for the header of any capture or heap dump'],
    [bytes([0x00, 0x0a]), 'only 2 bytes (00 0a), too short for the header of any capture or heap dump'],
    [bytes('hello world'), 'only 11 bytes (68 65 6c 6c 6f 20 77 6f 72 6c 64), too short for the header of any capture or heap dump'],
  ])('says a file is too short rather than guessing what it is (%#)', (prefix, found) => {
    expect(sniff(prefix, true, EVIDENCE_SNIFFERS.sniffers)).toEqual({ kind: 'rejected', found });
  });

  it('still calls a short line of text text', () => {
    expect(sniff(bytes('# what we did\n'), true, EVIDENCE_SNIFFERS.sniffers)).toEqual({ kind: 'rejected', found: 'text, not a capture (first line: "# what we did")', text: true });
  });

  it('says a file is empty', () => {
    expect(sniff(new Uint8Array(0), true, EVIDENCE_SNIFFERS.sniffers)).toEqual({ kind: 'rejected', found: 'an empty file (0 bytes)' });
  });

  it('shows the first bytes of content it cannot place', () => {
    const random = Uint8Array.from([0x8f, 0x00, 0x13, 0xfe, ...crypto.randomBytes(600)]);
    const seen = sniff(random, true, EVIDENCE_SNIFFERS.sniffers);
    expect(seen).toMatchObject({ kind: 'rejected', found: expect.stringContaining('unrecognised content (first bytes: 8f 00 13 fe') });
  });

  it('waits for a full tar block before calling short content unknown', () => {
    expect(sniff(bytes('abc'), false, EVIDENCE_SNIFFERS.sniffers)).toEqual({ kind: 'need-more', bytes: 512 });
  });
});
