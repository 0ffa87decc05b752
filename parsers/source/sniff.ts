// Format detection from content, never from the file name. Given the first bytes of a stream,
// says which container layer or evidence format it is, or what it is instead, in words a person
// understands ("Solaris snoop capture", "PDF document", "empty"). Container layers are known
// here; evidence formats are asked through the sniffers the caller registers.

import type { ContainerLayer, FormatName } from '../../common/evidence';
import type { FormatSniffer } from './format-sniffer';
import { SECTION_HEADER_MAX_BYTES } from './section-header';
import { hexPreview } from './source-error';
import { printableText } from '../../common/format';

export type Sniffed =
  | { kind: 'layer'; layer: ContainerLayer; detail: string }
  | { kind: 'evidence'; format: FormatName; detail: string }
  /** Not something capscope reads; `found` says what it is; `text` when it reads as ordinary text. */
  | { kind: 'rejected'; found: string; text?: true }
  /** The prefix is too short to decide; ask again with at least `bytes` bytes. */
  | { kind: 'need-more'; bytes: number };

/** Enough for every magic below except a section header with long options. */
export const SNIFF_BYTES = 4096;
/** The most a format's sniffer may make us look ahead before we give up (a long section header). */
export const SNIFF_MAX_BYTES = SECTION_HEADER_MAX_BYTES;

const TAR_BLOCK = 512;

/**
 * Says what a stream's first bytes are: a container layer (recognised here), or evidence of one of
 * `formats` (each format's own sniffer decides; the first to claim the stream wins), or what else.
 * A format's rejection ("an HPROF header of unsupported version") stands only when no other format
 * claims the stream; a format that needs more bytes is asked again before anything is rejected.
 */
export function sniff(prefix: Uint8Array, complete: boolean, formats: readonly FormatSniffer[]): Sniffed {
  if (prefix.length === 0) return { kind: 'rejected', found: complete ? 'an empty file (0 bytes)' : 'no data' };

  if (startsWith(prefix, [0x1f, 0x8b])) {
    if (prefix.length < 3 && !complete) return { kind: 'need-more', bytes: 3 };
    if (prefix[2] === 8) return { kind: 'layer', layer: 'gzip', detail: 'gzip' };
    return { kind: 'rejected', found: `gzip data with unknown compression method ${prefix[2] ?? '(missing)'}` };
  }
  if (startsWith(prefix, [0x28, 0xb5, 0x2f, 0xfd]) || isZstdSkippableFrame(prefix)) {
    return { kind: 'layer', layer: 'zstd', detail: 'zstd' };
  }

  let needMore = 0;
  let rejected: string | null = null;
  for (const sniffFormat of formats) {
    const seen = sniffFormat(prefix, complete);
    if (seen === null) continue;
    if (seen.kind === 'evidence') return seen;
    if (seen.kind === 'need-more') needMore = Math.max(needMore, seen.bytes);
    else rejected ??= seen.found;
  }
  if (needMore > 0) return { kind: 'need-more', bytes: needMore };
  if (rejected !== null) return { kind: 'rejected', found: rejected };

  if (looksLikeTar(prefix)) return { kind: 'layer', layer: 'tar', detail: 'tar' };
  if (prefix.length < TAR_BLOCK && !complete) return { kind: 'need-more', bytes: TAR_BLOCK };

  const found = describeOther(prefix, complete);
  return found.startsWith(TEXT_FOUND) ? { kind: 'rejected', found, text: true } : { kind: 'rejected', found };
}

/**
 * No capture or heap dump header is shorter than this (gzip's and zstd's are recognised above by
 * their magic): a shorter file that is not a line of text is named by its size and bytes, not
 * guessed at (a 1-byte "x" is not "text").
 */
const MIN_HEADER_BYTES = 16;

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

const TEXT_FOUND = 'text, not a capture ';

function describeOther(prefix: Uint8Array, complete: boolean): string {
  for (const known of KNOWN_OTHER_FORMATS) {
    const matches = typeof known.magic === 'string' ? startsWithAscii(prefix, known.magic) : startsWith(prefix, known.magic);
    if (matches) return known.what;
  }
  const text = asText(prefix);
  // A line of text is text however short; a few bytes without a line end are only a few bytes.
  if (complete && prefix.length < MIN_HEADER_BYTES && !text?.includes('\n')) {
    return `only ${prefix.length} ${prefix.length === 1 ? 'byte' : 'bytes'} (${hexPreview(prefix)}), too short for the header of any capture or heap dump`;
  }
  if (text !== null) {
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    return `${TEXT_FOUND}(first line: "${printableText(firstLine).slice(0, 60)}")`;
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
