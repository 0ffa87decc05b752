// Format detection from content, never from the file name. Given the first bytes of a stream,
// says which container layer or evidence format it is, or what it is instead, in words a person
// understands ("Solaris snoop capture", "PDF document", "empty").

import type { ContainerLayer, EvidenceFormat } from '../../core/api';
import { HPROF_PREFIX, HPROF_VERSIONS } from '../hprof/magic';
import { isPcapngBlockType, PCAP_GLOBAL_HEADER_BYTES, PCAP_KUZNETZOV_MAGICS, PCAP_MAGICS } from '../pcap/magic';
import { scapBlockName } from '../scap/block-types';
import { hexPreview } from './source-error';

export type Sniffed =
  | { kind: 'layer'; layer: ContainerLayer; detail: string }
  | { kind: 'evidence'; format: EvidenceFormat; detail: string }
  /** Not something capscope reads; `found` says what it is. */
  | { kind: 'rejected'; found: string }
  /** The prefix is too short to decide; ask again with at least `bytes` bytes. */
  | { kind: 'need-more'; bytes: number };

/** Enough for every magic below except a section header with long options. */
export const SNIFF_BYTES = 4096;
/** The most a section header block may make us look ahead before we give up. */
export const SNIFF_MAX_BYTES = 1 << 20;

const SECTION_HEADER = [0x0a, 0x0d, 0x0d, 0x0a];
const TAR_BLOCK = 512;

export function sniff(prefix: Uint8Array, complete: boolean): Sniffed {
  if (prefix.length === 0) return { kind: 'rejected', found: complete ? 'an empty file (0 bytes)' : 'no data' };

  if (startsWith(prefix, [0x1f, 0x8b])) {
    if (prefix.length < 3 && !complete) return { kind: 'need-more', bytes: 3 };
    if (prefix[2] === 8) return { kind: 'layer', layer: 'gzip', detail: 'gzip' };
    return { kind: 'rejected', found: `gzip data with unknown compression method ${prefix[2] ?? '(missing)'}` };
  }
  if (startsWith(prefix, [0x28, 0xb5, 0x2f, 0xfd]) || isZstdSkippableFrame(prefix)) {
    return { kind: 'layer', layer: 'zstd', detail: 'zstd' };
  }
  if (startsWith(prefix, SECTION_HEADER)) return sniffSectionHeader(prefix, complete);

  for (const m of PCAP_MAGICS) {
    if (startsWith(prefix, m.bytes)) {
      if (prefix.length < PCAP_GLOBAL_HEADER_BYTES && !complete) return { kind: 'need-more', bytes: PCAP_GLOBAL_HEADER_BYTES };
      if (prefix.length < PCAP_GLOBAL_HEADER_BYTES) {
        return { kind: 'rejected', found: `a pcap header cut short (${prefix.length} of ${PCAP_GLOBAL_HEADER_BYTES} bytes)` };
      }
      const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
      const major = view.getUint16(4, m.littleEndian);
      const minor = view.getUint16(6, m.littleEndian);
      const linkType = view.getUint32(20, m.littleEndian) & 0x0fffffff;
      const detail = `pcap ${major}.${minor}, ${m.littleEndian ? 'little' : 'big'}-endian, ${m.nanoseconds ? 'nanosecond' : 'microsecond'} timestamps, link type ${linkType}`;
      return { kind: 'evidence', format: 'pcap', detail };
    }
  }
  if (PCAP_KUZNETZOV_MAGICS.some((m) => startsWith(prefix, m))) {
    return { kind: 'rejected', found: "a modified (Kuznetzov) pcap file, which capscope does not read: convert it with 'editcap -F pcap'" };
  }

  if (startsWithAscii(prefix, HPROF_PREFIX)) return sniffHprof(prefix, complete);

  if (looksLikeTar(prefix)) return { kind: 'layer', layer: 'tar', detail: 'tar' };
  if (prefix.length < TAR_BLOCK && !complete) return { kind: 'need-more', bytes: TAR_BLOCK };

  return { kind: 'rejected', found: describeOther(prefix) };
}

function sniffSectionHeader(prefix: Uint8Array, complete: boolean): Sniffed {
  if (prefix.length < 12) {
    return complete ? { kind: 'rejected', found: `a section header block cut short after ${prefix.length} bytes` } : { kind: 'need-more', bytes: 12 };
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const magic = view.getUint32(8, true);
  let littleEndian: boolean;
  if (magic === 0x1a2b3c4d) littleEndian = true;
  else if (magic === 0x4d3c2b1a) littleEndian = false;
  else return { kind: 'rejected', found: `a section header block with byte-order magic 0x${magic.toString(16).padStart(8, '0')} (neither order of 0x1a2b3c4d)` };

  const length = view.getUint32(4, littleEndian);
  if (length < 28 || length % 4 !== 0) {
    return { kind: 'rejected', found: `a section header block with impossible length ${length}` };
  }
  if (prefix.length < length + 4) {
    if (complete) return { kind: 'rejected', found: `a section header block of ${length} bytes cut short after ${prefix.length}` };
    if (length + 4 > SNIFF_MAX_BYTES) return { kind: 'rejected', found: `a section header block of ${length} bytes, longer than any real one` };
    return { kind: 'need-more', bytes: length + 8 };
  }
  const major = view.getUint16(12, littleEndian);
  const minor = view.getUint16(14, littleEndian);
  const order = littleEndian ? 'little' : 'big';
  const next = view.getUint32(length, littleEndian);
  const scapBlock = scapBlockName(next);
  if (scapBlock) return { kind: 'evidence', format: 'scap', detail: `scap ${major}.${minor}, ${order}-endian (first block ${scapBlock})` };
  if (isPcapngBlockType(next)) return { kind: 'evidence', format: 'pcapng', detail: `pcapng ${major}.${minor}, ${order}-endian` };
  return {
    kind: 'rejected',
    found: `a pcapng-style section header followed by block type 0x${next.toString(16)}, which is neither a pcapng nor a scap block`,
  };
}

function sniffHprof(prefix: Uint8Array, complete: boolean): Sniffed {
  const nul = prefix.indexOf(0);
  if (nul < 0) {
    if (!complete && prefix.length < 64) return { kind: 'need-more', bytes: 64 };
    return { kind: 'rejected', found: 'an HPROF-like header with no end to its version string' };
  }
  const version = new TextDecoder('latin1').decode(prefix.subarray(0, nul));
  if (!(HPROF_VERSIONS as readonly string[]).includes(version)) {
    return { kind: 'rejected', found: `an HPROF header of unsupported version '${printable(version)}' (capscope reads ${HPROF_VERSIONS.map((v) => v.slice(HPROF_PREFIX.length)).join(', ')})` };
  }
  if (prefix.length < nul + 5) {
    return complete ? { kind: 'rejected', found: `an HPROF header cut short after ${prefix.length} bytes` } : { kind: 'need-more', bytes: nul + 13 };
  }
  const idSize = new DataView(prefix.buffer, prefix.byteOffset + nul + 1, 4).getUint32(0, false);
  return { kind: 'evidence', format: 'hprof', detail: `HPROF ${version.slice(HPROF_PREFIX.length)}, ${idSize}-byte identifiers` };
}

/** A tar header: "ustar" magic at 257, or (old v7 archives) a header whose checksum adds up. */
function looksLikeTar(prefix: Uint8Array): boolean {
  if (prefix.length < TAR_BLOCK) return false;
  if (startsWithAscii(prefix.subarray(257), 'ustar')) return true;
  return tarChecksumMatches(prefix.subarray(0, TAR_BLOCK)) && prefix[0] !== 0;
}

/** The header checksum: the sum of all 512 bytes with the checksum field read as spaces. */
export function tarChecksumMatches(header: Uint8Array): boolean {
  const field = new TextDecoder('latin1').decode(header.subarray(148, 156)).replace(/\0.*$/s, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  const stored = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < TAR_BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : header[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function isZstdSkippableFrame(prefix: Uint8Array): boolean {
  return prefix.length >= 4 && (prefix[0]! & 0xf0) === 0x50 && prefix[1] === 0x2a && prefix[2] === 0x4d && prefix[3] === 0x18;
}

const KNOWN_OTHER_FORMATS: { magic: number[] | string; at?: number; what: string }[] = [
  { magic: 'snoop\0\0\0', what: 'a Solaris snoop capture, which capscope does not read: convert it to pcap with \'editcap -F pcap\'' },
  { magic: '%PDF-', what: 'a PDF document' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (capscope opens tar, tar.gz and tar.zst bundles)' },
  { magic: [0x50, 0x4b, 0x05, 0x06], what: 'an empty ZIP archive' },
  { magic: 'BZh', what: 'bzip2-compressed data (capscope opens gzip and zstd)' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed data (capscope opens gzip and zstd)' },
  { magic: [0x04, 0x22, 0x4d, 0x18], what: 'lz4-compressed data (capscope opens gzip and zstd)' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: 'GMBU', what: 'a Microsoft Network Monitor capture, which capscope does not read' },
  { magic: 'SQLite format 3\0', what: 'an SQLite database' },
];

function describeOther(prefix: Uint8Array): string {
  for (const known of KNOWN_OTHER_FORMATS) {
    const matches = typeof known.magic === 'string' ? startsWithAscii(prefix, known.magic) : startsWith(prefix, known.magic);
    if (matches) return known.what;
  }
  const text = asText(prefix);
  if (text !== null) {
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    return `text, not a capture (first line: "${printable(firstLine).slice(0, 60)}")`;
  }
  return `unrecognised content (first bytes: ${hexPreview(prefix)})`;
}

/** The prefix decoded as UTF-8 if it reads as ordinary text, else null. */
function asText(prefix: Uint8Array): string | null {
  const sample = prefix.subarray(0, 1024);
  let text: string;
  try {
    // A multi-byte character may be cut at the end of the sample; that alone is no reason to reject.
    text = new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(sample));
  } catch {
    return null;
  }
  let control = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) control++;
  }
  return control === 0 ? text : null;
}

function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    if (b < 0x80) return bytes;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return length > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

function startsWithAscii(bytes: Uint8Array, magic: string): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic.charCodeAt(i)) return false;
  return true;
}
