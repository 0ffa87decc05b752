// Walks the frame structure of a zstd stream (RFC 8878) without decompressing it, ahead of the
// decompressor, for three things the decompressor does not do:
//  - bound memory: a decompressor turns whatever input it is given into output in one synchronous
//    call, and 4 bytes of input may say 128 KiB of output (an RLE block), so input is handed to it
//    in steps that end once the blocks begun in the step may produce `room` bytes (advance());
//  - refuse what no file needs before it is allocated: a window beyond 128 MiB (zstd -d's own limit
//    without --memory), a block larger than the 128 KiB a block may hold;
//  - tell a stream cut short from a complete one, and point at the byte where a frame goes wrong.

import { formatCount } from '../../common/format';

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** The largest block the format allows (Block_Maximum_Size is min(window, this)). */
const MAX_BLOCK_BYTES = 128 * 1024;
/** The largest window accepted: zstd -d's default limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 2^27). */
export const MAX_WINDOW_BYTES = 128 * 1024 * 1024;

type State =
  | { at: 'magic' }
  | { at: 'descriptor' }
  | { at: 'header-rest'; bytes: number; singleSegment: boolean; fcsBytes: number; fcsBias: number; checksum: boolean }
  | { at: 'block-header'; checksum: boolean }
  | { at: 'skip'; then: 'block-header' | 'checksum' | 'magic'; checksum: boolean }
  | { at: 'checksum' }
  | { at: 'skippable-size' };

/** What the walker found wrong, and the compressed offset of the field it was in. */
export interface ZstdFrameFault {
  expected: string;
  found: string;
  offset: number;
}

export class ZstdFrameWalker {
  private state: State = { at: 'magic' };
  /** Bytes of a multi-byte field gathered so far. */
  private field: number[] = [];
  private fieldWanted = 4;
  private skipLeft = 0;
  /** Block_Maximum_Size of the frame being read. */
  private blockMax = MAX_BLOCK_BYTES;
  /** The most output the blocks begun in this step can produce. */
  private stepOutput = 0;

  /**
   * Walks `piece` (starting at compressed offset `base`) until its end, or until the blocks begun
   * in this step may produce `room` bytes and the last of them is complete: feed the decompressor
   * `used` bytes, take its output, and call again with the rest. A fault stops the walk.
   */
  advance(piece: Uint8Array, base: number, room: number): { used: number; fault: ZstdFrameFault | null } {
    this.stepOutput = 0;
    let i = 0;
    while (i < piece.length) {
      if (this.state.at === 'skip') {
        const take = Math.min(this.skipLeft, piece.length - i);
        this.skipLeft -= take;
        i += take;
        if (this.skipLeft === 0) {
          const blockEnded = this.state.then !== 'magic';
          this.afterSkip();
          if (blockEnded && this.stepOutput >= room) return { used: i, fault: null };
        }
        continue;
      }
      this.field.push(piece[i]!);
      i++;
      if (this.field.length < this.fieldWanted) continue;
      const fault = this.fieldComplete();
      if (fault) return { used: i, fault: { ...fault, offset: base + i - this.fieldWanted } };
    }
    return { used: i, fault: null };
  }

  /** Called at the end of input: null if the stream ended between frames, else what is missing. */
  finish(): string | null {
    if (this.state.at === 'magic' && this.field.length === 0) return null;
    switch (this.state.at) {
      case 'skip':
        return `inside a ${this.state.then === 'magic' ? 'skippable frame' : 'block'} with ${this.skipLeft} bytes still to come`;
      case 'checksum':
        return 'before the frame checksum';
      default:
        return 'inside a frame header';
    }
  }

  private expect(state: State, bytes: number): void {
    this.state = state;
    this.field = [];
    this.fieldWanted = bytes;
  }

  private skip(bytes: number, then: 'block-header' | 'checksum' | 'magic', checksum: boolean): void {
    this.field = [];
    this.skipLeft = bytes;
    this.state = { at: 'skip', then, checksum };
    if (bytes === 0) this.afterSkip();
  }

  private afterSkip(): void {
    const s = this.state;
    if (s.at !== 'skip') return;
    if (s.then === 'block-header') this.expect({ at: 'block-header', checksum: s.checksum }, 3);
    else if (s.then === 'checksum') this.expect({ at: 'checksum' }, 4);
    else this.expect({ at: 'magic' }, 4);
  }

  private fieldComplete(): Omit<ZstdFrameFault, 'offset'> | null {
    const f = this.field;
    const s = this.state;
    switch (s.at) {
      case 'magic': {
        const magic = (f[0]! | (f[1]! << 8) | (f[2]! << 16) | (f[3]! << 24)) >>> 0;
        if (magic === ZSTD_MAGIC) {
          this.expect({ at: 'descriptor' }, 1);
          return null;
        }
        if (((magic & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) {
          this.expect({ at: 'skippable-size' }, 4);
          return null;
        }
        return { expected: 'a zstd frame', found: `bytes ${f.map((b) => b.toString(16).padStart(2, '0')).join(' ')} where a zstd frame should start` };
      }
      case 'skippable-size': {
        const size = (f[0]! | (f[1]! << 8) | (f[2]! << 16) | (f[3]! << 24)) >>> 0;
        this.skip(size, 'magic', false);
        return null;
      }
      case 'descriptor': {
        const d = f[0]!;
        if (d & 0x08) return { expected: 'a zstd frame', found: 'a frame header descriptor with its reserved bit set' };
        const fcsFlag = d >> 6;
        const singleSegment = (d & 0x20) !== 0;
        const checksum = (d & 0x04) !== 0;
        const dictBytes = [0, 1, 2, 4][d & 0x03]!;
        const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
        const windowBytes = singleSegment ? 0 : 1;
        // Never 0: a frame has a window descriptor or, as a single segment, its content size.
        this.expect({ at: 'header-rest', bytes: windowBytes + dictBytes + fcsBytes, singleSegment, fcsBytes, fcsBias: fcsBytes === 2 ? 256 : 0, checksum }, windowBytes + dictBytes + fcsBytes);
        return null;
      }
      case 'header-rest': {
        let window: number;
        if (s.singleSegment) {
          // The window is the content size, the header's last field.
          window = s.fcsBias;
          for (let k = s.fcsBytes - 1; k >= 0; k--) window = window * 256 + f[s.bytes - s.fcsBytes + k]!;
        } else {
          const exponent = 10 + (f[0]! >> 3);
          window = 2 ** exponent + (2 ** exponent / 8) * (f[0]! & 7);
        }
        if (window > MAX_WINDOW_BYTES) {
          return { expected: `a zstd frame whose window is at most ${formatCount(MAX_WINDOW_BYTES)} bytes`, found: `one of ${formatCount(window)} bytes` };
        }
        this.blockMax = Math.min(window, MAX_BLOCK_BYTES);
        this.expect({ at: 'block-header', checksum: s.checksum }, 3);
        return null;
      }
      case 'block-header': {
        const header = f[0]! | (f[1]! << 8) | (f[2]! << 16);
        const last = (header & 1) === 1;
        const type = (header >> 1) & 3;
        const size = header >>> 3;
        if (type === 3) return { expected: 'a zstd block', found: 'a block of the reserved type 3' };
        if (size > this.blockMax) {
          return { expected: `a zstd block of at most ${formatCount(this.blockMax)} bytes`, found: `${['a raw', 'an RLE', 'a compressed'][type]} block of ${formatCount(size)} bytes` };
        }
        // Raw and RLE blocks produce their size; a compressed block at most a block's maximum.
        this.stepOutput += type === 2 ? this.blockMax : size;
        this.skip(type === 1 ? 1 : size, last ? (s.checksum ? 'checksum' : 'magic') : 'block-header', s.checksum);
        return null;
      }
      case 'checksum':
        this.expect({ at: 'magic' }, 4);
        return null;
      case 'skip':
        return null;
    }
  }
}
