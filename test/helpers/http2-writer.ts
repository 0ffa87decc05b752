// Test-side HTTP/2 writer: an HPACK encoder over the reference tables (RFC 7541 appendices, as
// parsers/http2/hpack-tables.ts states them) with its own dynamic table, and frame builders, so
// tests can say a conversation and get its bytes. Independent of the decoder it tests: it shares
// only the tables' facts.

import { STATIC_TABLE } from '../../parsers/http2/hpack-tables';
import { huffmanEncode } from '../../parsers/http2/huffman';

export type Representation = 'indexed-or-incremental' | 'without-indexing' | 'never-indexed';

export interface EncodeOptions {
  huffman?: boolean;
  /** How literal fields are sent; the default inserts them in the dynamic table. */
  representation?: Representation;
}

export class HpackEncoder {
  /** Newest first: [name, value]. */
  private entries: [string, string][] = [];
  private size = 0;
  private pendingSizeUpdate: number | null = null;

  constructor(private maxSize = 4096) {}

  /** Announces a new table size at the start of the next block. */
  setMaxSize(size: number): void {
    this.maxSize = size;
    this.pendingSizeUpdate = size;
    this.evict();
  }

  encode(fields: readonly (readonly [string, string])[], options: EncodeOptions = {}): Uint8Array {
    const out: number[] = [];
    if (this.pendingSizeUpdate !== null) {
      integer(out, this.pendingSizeUpdate, 5, 0x20);
      this.pendingSizeUpdate = null;
    }
    const representation = options.representation ?? 'indexed-or-incremental';
    for (const [name, value] of fields) {
      const full = this.find(name, value, true);
      if (full !== null && representation === 'indexed-or-incremental') {
        integer(out, full, 7, 0x80);
        continue;
      }
      const nameIndex = this.find(name, value, false) ?? 0;
      if (representation === 'indexed-or-incremental') integer(out, nameIndex, 6, 0x40);
      else integer(out, nameIndex, 4, representation === 'never-indexed' ? 0x10 : 0x00);
      if (nameIndex === 0) literal(out, name, options.huffman ?? false);
      literal(out, value, options.huffman ?? false);
      if (representation === 'indexed-or-incremental') this.insert(name, value);
    }
    return Uint8Array.from(out);
  }

  private find(name: string, value: string, withValue: boolean): number | null {
    for (let i = 0; i < STATIC_TABLE.length; i++) {
      const [n, v] = STATIC_TABLE[i]!;
      if (n === name && (!withValue || v === value)) return i + 1;
    }
    for (let i = 0; i < this.entries.length; i++) {
      const [n, v] = this.entries[i]!;
      if (n === name && (!withValue || v === value)) return STATIC_TABLE.length + 1 + i;
    }
    return null;
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + 32;
    if (size > this.maxSize) {
      this.entries = [];
      this.size = 0;
      return;
    }
    this.entries.unshift([name, value]);
    this.size += size;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize) {
      const [n, v] = this.entries.pop()!;
      this.size -= n.length + v.length + 32;
    }
  }
}

function integer(out: number[], value: number, prefixBits: number, firstByteFlags: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(firstByteFlags | value);
    return;
  }
  out.push(firstByteFlags | max);
  value -= max;
  while (value >= 128) {
    out.push((value % 128) + 128);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

function literal(out: number[], text: string, huffman: boolean): void {
  const bytes = huffman ? huffmanEncode(text) : Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  integer(out, bytes.length, 7, huffman ? 0x80 : 0);
  for (const b of bytes) out.push(b);
}

export const PREFACE_BYTES = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export function frame(type: number, flags: number, streamId: number, payload: Uint8Array | number[] = []): Buffer {
  const p = Buffer.from(payload as Uint8Array);
  const h = Buffer.alloc(9);
  h.writeUIntBE(p.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([h, p]);
}

export const F = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
export const END_STREAM = 0x1;
export const END_HEADERS = 0x4;
export const PADDED = 0x8;

export function settings(values: [number, number][] = []): Buffer {
  const p = Buffer.alloc(6 * values.length);
  values.forEach(([id, v], i) => {
    p.writeUInt16BE(id, 6 * i);
    p.writeUInt32BE(v, 6 * i + 2);
  });
  return frame(F.SETTINGS, 0, 0, p);
}

/** A header block as HEADERS (+ CONTINUATION frames when `split` is given: fragment sizes). */
export function headers(streamId: number, block: Uint8Array, options: { endStream?: boolean; split?: number } = {}): Buffer {
  const endStream = options.endStream ? END_STREAM : 0;
  if (!options.split || block.length <= options.split) return frame(F.HEADERS, END_HEADERS | endStream, streamId, block);
  const parts: Buffer[] = [];
  for (let p = 0; p < block.length; p += options.split) {
    const last = p + options.split >= block.length;
    const piece = block.subarray(p, p + options.split);
    parts.push(p === 0 ? frame(F.HEADERS, endStream, streamId, piece) : frame(F.CONTINUATION, last ? END_HEADERS : 0, streamId, piece));
  }
  return Buffer.concat(parts);
}

export function data(streamId: number, payload: Uint8Array, endStream = false): Buffer {
  return frame(F.DATA, endStream ? END_STREAM : 0, streamId, payload);
}

export function rstStream(streamId: number, code: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(code);
  return frame(F.RST_STREAM, 0, streamId, p);
}

export function goaway(lastStreamId: number, code: number, debug = ''): Buffer {
  const p = Buffer.alloc(8 + debug.length);
  p.writeUInt32BE(lastStreamId);
  p.writeUInt32BE(code, 4);
  p.write(debug, 8, 'latin1');
  return frame(F.GOAWAY, 0, 0, p);
}

/** A gRPC Length-Prefixed-Message. */
export function grpcMessage(body: Uint8Array, compressed = false): Buffer {
  const h = Buffer.alloc(5);
  h[0] = compressed ? 1 : 0;
  h.writeUInt32BE(body.length, 1);
  return Buffer.concat([h, Buffer.from(body)]);
}
