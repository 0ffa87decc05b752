// Append-only typed arrays. One class per element type (not a generic one): the element stores
// in push() then stay monomorphic, which is what keeps the per-object hot path fast.

const GROWTH = 1.5;

function nextCapacity(current: number, needed: number): number {
  return Math.max(needed, Math.ceil(current * GROWTH), 1024);
}

export class GrowF64 {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  private grow(needed: number): void {
    const next = new Float64Array(nextCapacity(this.data.length, needed));
    next.set(this.data);
    this.data = next;
  }
  /** The elements, in an array of exactly their length (the growable one is released). */
  finish(): Float64Array {
    // Trimmed to size: the analysis that follows is where memory peaks, slack would add to it.
    const out = this.data.length === this.length ? this.data : this.data.slice(0, this.length);
    this.data = new Float64Array(0);
    return out;
  }
}

export class GrowI32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  private grow(needed: number): void {
    const next = new Int32Array(nextCapacity(this.data.length, needed));
    next.set(this.data);
    this.data = next;
  }
  finish(): Int32Array {
    // Trimmed to size: the analysis that follows is where memory peaks, slack would add to it.
    const out = this.data.length === this.length ? this.data : this.data.slice(0, this.length);
    this.data = new Int32Array(0);
    return out;
  }
}

export class GrowU32 {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  private grow(needed: number): void {
    const next = new Uint32Array(nextCapacity(this.data.length, needed));
    next.set(this.data);
    this.data = next;
  }
  finish(): Uint32Array {
    // Trimmed to size: the analysis that follows is where memory peaks, slack would add to it.
    const out = this.data.length === this.length ? this.data : this.data.slice(0, this.length);
    this.data = new Uint32Array(0);
    return out;
  }
}

export class GrowU8 {
  data: Uint8Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Appends `src[start, start + count)`. */
  append(src: Uint8Array, start: number, count: number): void {
    if (this.length + count > this.data.length) this.grow(this.length + count);
    this.data.set(src.subarray(start, start + count), this.length);
    this.length += count;
  }
  private grow(needed: number): void {
    const next = new Uint8Array(nextCapacity(this.data.length, needed));
    next.set(this.data);
    this.data = next;
  }
  finish(): Uint8Array {
    // Trimmed to size: the analysis that follows is where memory peaks, slack would add to it.
    const out = this.data.length === this.length ? this.data : this.data.slice(0, this.length);
    this.data = new Uint8Array(0);
    return out;
  }
}

/**
 * Float64 values in fixed-size blocks: growing never copies what is already stored, so a list of
 * tens of millions of references costs its own size, not three times it while it doubles.
 */
export class BlockF64 {
  private static readonly BLOCK = 1 << 20;
  private readonly blocks: Float64Array[] = [];
  private current = new Float64Array(0);
  private used = 0;
  length = 0;

  push(v: number): void {
    if (this.used === this.current.length) {
      this.current = new Float64Array(BlockF64.BLOCK);
      this.blocks.push(this.current);
      this.used = 0;
    }
    this.current[this.used++] = v;
    this.length++;
  }

  /**
   * Hands the blocks over (the last one only partly filled: `length` says how many values there
   * are in all) and empties the list; the caller drops each block once read.
   */
  takeBlocks(): Float64Array[] {
    const blocks = this.blocks.slice();
    this.blocks.length = 0;
    this.current = new Float64Array(0);
    this.used = 0;
    return blocks;
  }

  static get blockSize(): number {
    return BlockF64.BLOCK;
  }
}
