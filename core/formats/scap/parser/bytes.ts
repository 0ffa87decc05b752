// Little helpers over a block's bytes. Scap files are written in the writer's byte order (the
// section header's magic says which); every multi-byte read takes it as an argument. The reads are
// done by hand rather than through a DataView: a capture has millions of small blocks, and a
// DataView per block costs more than the decoding itself.

const TWO_32 = 0x1_0000_0000;
/** The high 32 bits of 2^53: a 64-bit value is a number exactly when its high word is below this in magnitude. */
const EXACT_HIGH = 0x20_0000;

export class Bytes {
  /** Made on the first 64-bit read: one per buffer, which the reader shares across its blocks. */
  private view: DataView | null = null;

  constructor(
    readonly buf: Uint8Array,
    readonly le: boolean,
  ) {}
  u8(at: number): number {
    return this.buf[at]!;
  }
  u16(at: number): number {
    const b = this.buf;
    return this.le ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
  }
  i16(at: number): number {
    return (this.u16(at) << 16) >> 16;
  }
  u32(at: number): number {
    const b = this.buf;
    return this.le
      ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x100_0000
      : b[at]! * 0x100_0000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
  }
  i32(at: number): number {
    return this.u32(at) | 0;
  }
  u64(at: number): bigint {
    // One BigInt made, where composing it from two halves makes four.
    const view = (this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
    return view.getBigUint64(at, this.le);
  }
  /** An unsigned 64-bit value as a number (exact up to 2^53, rounded to the nearest beyond, as Number(u64) would). */
  u64n(at: number): number {
    const lo = this.u32(at + (this.le ? 0 : 4));
    const hi = this.u32(at + (this.le ? 4 : 0));
    return hi * TWO_32 + lo;
  }
  i64(at: number): bigint {
    return BigInt.asIntN(64, this.u64(at));
  }
  /** A signed 64-bit value as a number (exact up to 2^53: fds, pids, results). */
  i64n(at: number): number {
    const lo = this.u32(at + (this.le ? 0 : 4));
    const hi = this.i32(at + (this.le ? 4 : 0));
    return hi * TWO_32 + lo;
  }
  /**
   * A 64-bit value as a number when it is one exactly, within [-2^53, 2^53) (unsigned: [0, 2^53)),
   * else null: a number would round it, and a column given the rounded value stores a wrong one or,
   * near ±2^63, refuses it.
   */
  exact64(at: number, signed: boolean): number | null {
    const hiAt = at + (this.le ? 4 : 0);
    const hi = signed ? this.i32(hiAt) : this.u32(hiAt);
    if (hi < -EXACT_HIGH || hi >= EXACT_HIGH) return null;
    return hi * TWO_32 + this.u32(at + (this.le ? 0 : 4));
  }
  /** A string of `len` bytes (UTF-8, stopped at the first NUL). */
  str(at: number, len: number): string {
    let end = at;
    const stop = at + len;
    while (end < stop && this.buf[end] !== 0) end++;
    return utf8(this.buf.subarray(at, end));
  }
}

const decoder = new TextDecoder('utf-8');
export function utf8(bytes: Uint8Array): string {
  // Short ASCII strings are the bulk (names, paths): skip the decoder for them.
  if (bytes.length < 64) {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  return decoder.decode(bytes);
}
