// The containers evidence arrives in, written here so the fuzzer can wrap a mutated file (and then
// mutate the wrapper's own bytes): gzip (one member or two: `jcmd -gz` and `cat a.gz b.gz` make
// multi-member streams), zstd, tar (plain ustar and with a pax header, as GNU tar and Go's
// archive/tar write long names) and a gzipped tar. zstd and tar are written from their specs
// (RFC 8878, POSIX pax) so the wrapper does not depend on the decompression library under test.

import zlib from 'node:zlib';

export const WRAPPERS = ['raw', 'gzip', 'gzip-multi', 'zstd', 'tar', 'tar-pax', 'tgz'] as const;
export type Wrapper = (typeof WRAPPERS)[number];

/** The file name an input gets: its entry name plus the wrapper's usual extension. */
export function wrappedName(entry: string, wrapper: Wrapper): string {
  switch (wrapper) {
    case 'raw':
      return entry;
    case 'gzip':
    case 'gzip-multi':
      return `${entry}.gz`;
    case 'zstd':
      return `${entry}.zst`;
    case 'tar':
    case 'tar-pax':
      return `${entry}.tar`;
    case 'tgz':
      return `${entry}.tgz`;
  }
}

export function wrap(inner: Buffer, wrapper: Wrapper, entry: string): Buffer {
  switch (wrapper) {
    case 'raw':
      return inner;
    case 'gzip':
      return zlib.gzipSync(inner, { level: 6 });
    case 'gzip-multi': {
      const half = inner.length >> 1;
      return Buffer.concat([zlib.gzipSync(inner.subarray(0, half), { level: 1 }), zlib.gzipSync(inner.subarray(half), { level: 1 })]);
    }
    case 'zstd':
      return zstdStored(inner);
    case 'tar':
      return tarOf(entry, inner, false);
    case 'tar-pax':
      return tarOf(entry, inner, true);
    case 'tgz':
      return zlib.gzipSync(tarOf(entry, inner, false), { level: 1 });
  }
}

// ----- zstd (RFC 8878): a frame of raw and RLE blocks -----

const ZSTD_MAGIC = 0xfd2fb528;
const ZSTD_BLOCK_MAX = 128 * 1024;
/** A run at least this long becomes an RLE block (so both block kinds reach the decoder). */
const RLE_MIN = 64;

/**
 * One zstd frame holding `data` in Raw_Block and RLE_Block blocks, with a 4-byte frame content
 * size and a 128 KiB window (descriptor: FCS flag 2, not single-segment, no checksum, no dictionary).
 */
export function zstdStored(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(10);
  header.writeUInt32LE(ZSTD_MAGIC, 0);
  header[4] = 0b1000_0000; // Frame_Content_Size_flag 2: a 4-byte content size
  header[5] = 7 << 3; // Window_Descriptor: exponent 7, mantissa 0 → 2^17 bytes
  header.writeUInt32LE(data.length >>> 0, 6);
  parts.push(header);
  const blocks: { type: 0 | 1; from: number; to: number }[] = [];
  for (let at = 0; at < data.length; ) {
    let run = 1;
    while (at + run < data.length && run < ZSTD_BLOCK_MAX && data[at + run] === data[at]) run++;
    if (run >= RLE_MIN) {
      blocks.push({ type: 1, from: at, to: at + run });
      at += run;
      continue;
    }
    // A raw block up to the next long run (or the block size limit).
    let end = at + run;
    while (end < data.length && end - at < ZSTD_BLOCK_MAX) {
      let r = 1;
      while (end + r < data.length && r < RLE_MIN && data[end + r] === data[end]) r++;
      if (r >= RLE_MIN) break;
      end += r;
    }
    end = Math.min(end, at + ZSTD_BLOCK_MAX);
    blocks.push({ type: 0, from: at, to: end });
    at = end;
  }
  if (blocks.length === 0) blocks.push({ type: 0, from: 0, to: 0 });
  blocks.forEach((b, i) => {
    const last = i === blocks.length - 1 ? 1 : 0;
    const size = b.to - b.from;
    const h = Buffer.alloc(3);
    h.writeUIntLE(last | (b.type << 1) | (size << 3), 0, 3);
    parts.push(h, b.type === 0 ? data.subarray(b.from, b.to) : data.subarray(b.from, b.from + 1));
  });
  return Buffer.concat(parts);
}

// ----- tar (POSIX ustar, with an optional pax extended header) -----

const TAR_BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function tarHeader(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(TAR_BLOCK);
  h.write(name.slice(0, 99), 0, 'latin1');
  h.write(octal(0o644, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(1_700_000_000, 12), 136, 'latin1');
  h.write(' '.repeat(8), 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** A pax record: "<length> <key>=<value>\n", the length counting the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % TAR_BLOCK;
  return rest === 0 ? [data] : [data, Buffer.alloc(TAR_BLOCK - rest)];
}

export function tarOf(entry: string, data: Buffer, pax: boolean): Buffer {
  const parts: Buffer[] = [];
  if (pax) {
    // GNU tar's order: the times first, then the long path.
    const records = Buffer.from(paxRecord('mtime', '1700000000.25') + paxRecord('path', `evidence/${entry}`), 'latin1');
    parts.push(tarHeader(`PaxHeaders/${entry}`, records.length, 'x'), ...padded(records));
  }
  parts.push(tarHeader(entry, data.length, '0'), ...padded(data), Buffer.alloc(2 * TAR_BLOCK));
  return Buffer.concat(parts);
}
