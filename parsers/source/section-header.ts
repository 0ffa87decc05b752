// The section header block that opens a pcapng file, and a scap file too (libscap writes its
// savefiles in pcapng's block framing): type 0x0a0d0d0a, length, byte-order magic, version. Both
// formats' sniffers read it here, then tell themselves apart by the type of the block after it.

import type { FormatSniff } from './format-sniffer';

export const SECTION_HEADER_MAGIC = [0x0a, 0x0d, 0x0d, 0x0a] as const;
/** The most a section header block may make us look ahead before we give up. */
export const SECTION_HEADER_MAX_BYTES = 1 << 20;

export interface SectionHeader {
  littleEndian: boolean;
  major: number;
  minor: number;
  /** Type of the block that follows the section header; null when the stream ends with it. */
  nextBlockType: number | null;
}

/** Null when the prefix does not start with a section header block; otherwise it, or why not. */
export function readSectionHeader(prefix: Uint8Array, complete: boolean): SectionHeader | Exclude<FormatSniff, { kind: 'evidence' }> | null {
  for (let i = 0; i < SECTION_HEADER_MAGIC.length; i++) if (prefix[i] !== SECTION_HEADER_MAGIC[i]) return null;
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
    // A whole section header and nothing after it is a section with no blocks: an empty capture
    // (pcapng allows it; tshark and capinfos read it). Only a block that does not end is cut short.
    if (complete && prefix.length === length) return { littleEndian, major: view.getUint16(12, littleEndian), minor: view.getUint16(14, littleEndian), nextBlockType: null };
    if (complete && prefix.length < length) return { kind: 'rejected', found: `a section header block of ${length} bytes cut short after ${prefix.length}` };
    if (complete) return { kind: 'rejected', found: `a section header block, then at byte ${length} only ${prefix.length - length} bytes of the next block (the file is cut short)` };
    if (length + 4 > SECTION_HEADER_MAX_BYTES) return { kind: 'rejected', found: `a section header block of ${length} bytes, longer than any real one` };
    return { kind: 'need-more', bytes: length + 8 };
  }
  return {
    littleEndian,
    major: view.getUint16(12, littleEndian),
    minor: view.getUint16(14, littleEndian),
    nextBlockType: view.getUint32(length, littleEndian),
  };
}

export function isSectionHeader(x: SectionHeader | FormatSniff): x is SectionHeader {
  return !('kind' in x);
}

/**
 * What an SHB-framed format's sniffer says when the block after the section header is not one of
 * its own: a rejection, which stands only if no other format claims the stream.
 */
export function unclaimedSectionHeader(header: SectionHeader): FormatSniff {
  return {
    kind: 'rejected',
    found: `a pcapng-style section header followed by block type 0x${(header.nextBlockType ?? 0).toString(16)}, which is not a block of any format capscope reads`,
  };
}
