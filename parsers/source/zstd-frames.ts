// Walks the frame structure of a zstd stream (RFC 8878) without decompressing it: enough to tell a
// stream cut short from a complete one (zstd-codec does not), to point at the byte where a frame
// goes wrong, and to learn the content size when every frame declares it.

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

type State =
  | { at: 'magic' }
  | { at: 'descriptor' }
  | { at: 'header-rest'; bytes: number; fcsBytes: number; fcsBias: number; checksum: boolean }
  | { at: 'block-header'; checksum: boolean }
  | { at: 'skip'; then: 'block-header' | 'checksum' | 'magic'; checksum: boolean }
  | { at: 'checksum' }
  | { at: 'skippable-size' };

export class ZstdFrameWalker {
  private state: State = { at: 'magic' };
  /** Bytes of a multi-byte field gathered so far. */
  private field: number[] = [];
  private fieldWanted = 4;
  private skipLeft = 0;
  private frames = 0;
  private contentSize: number | null = 0;
  /** Compressed offset of the structural fault, when feed() reported one. */
  faultOffset = 0;

  /** Content size of the whole stream if every frame declared its own, else null. */
  get declaredContentSize(): number | null {
    return this.frames > 0 ? this.contentSize : null;
  }

  /** Feeds the next piece (starting at compressed offset `base`); returns a fault description or null. */
  feed(piece: Uint8Array, base: number): string | null {
    let i = 0;
    while (i < piece.length) {
      if (this.state.at === 'skip') {
        const take = Math.min(this.skipLeft, piece.length - i);
        this.skipLeft -= take;
        i += take;
        if (this.skipLeft === 0) this.afterSkip();
        continue;
      }
      this.field.push(piece[i]!);
      i++;
      if (this.field.length < this.fieldWanted) continue;
      const fault = this.fieldComplete();
      if (fault) {
        this.faultOffset = base + i - this.fieldWanted;
        return fault;
      }
    }
    return null;
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
    if (bytes === 0) {
      this.state = { at: 'skip', then, checksum };
      this.afterSkip();
      return;
    }
    this.skipLeft = bytes;
    this.state = { at: 'skip', then, checksum };
  }

  private afterSkip(): void {
    const s = this.state;
    if (s.at !== 'skip') return;
    if (s.then === 'block-header') this.expect({ at: 'block-header', checksum: s.checksum }, 3);
    else if (s.then === 'checksum') this.expect({ at: 'checksum' }, 4);
    else this.expect({ at: 'magic' }, 4);
  }

  private fieldComplete(): string | null {
    const f = this.field;
    const s = this.state;
    switch (s.at) {
      case 'magic': {
        const magic = (f[0]! | (f[1]! << 8) | (f[2]! << 16) | (f[3]! << 24)) >>> 0;
        if (magic === ZSTD_MAGIC) {
          this.frames++;
          this.expect({ at: 'descriptor' }, 1);
          return null;
        }
        if (((magic & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) {
          this.expect({ at: 'skippable-size' }, 4);
          return null;
        }
        return `bytes ${f.map((b) => b.toString(16).padStart(2, '0')).join(' ')} where a zstd frame should start`;
      }
      case 'skippable-size': {
        const size = (f[0]! | (f[1]! << 8) | (f[2]! << 16) | (f[3]! << 24)) >>> 0;
        this.skip(size, 'magic', false);
        return null;
      }
      case 'descriptor': {
        const d = f[0]!;
        if (d & 0x08) return 'a frame header descriptor with its reserved bit set';
        const fcsFlag = d >> 6;
        const singleSegment = (d & 0x20) !== 0;
        const checksum = (d & 0x04) !== 0;
        const dictBytes = [0, 1, 2, 4][d & 0x03]!;
        const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
        const windowBytes = singleSegment ? 0 : 1;
        const rest = windowBytes + dictBytes + fcsBytes;
        if (fcsBytes === 0) this.contentSize = null;
        const next: State = { at: 'header-rest', bytes: rest, fcsBytes, fcsBias: fcsBytes === 2 ? 256 : 0, checksum };
        if (rest === 0) {
          this.expect({ at: 'block-header', checksum }, 3);
          return null;
        }
        this.expect(next, rest);
        return null;
      }
      case 'header-rest': {
        if (s.fcsBytes > 0 && this.contentSize !== null) {
          let size = 0;
          for (let k = s.fcsBytes - 1; k >= 0; k--) size = size * 256 + f[s.bytes - s.fcsBytes + k]!;
          this.contentSize += size + s.fcsBias;
        }
        this.expect({ at: 'block-header', checksum: s.checksum }, 3);
        return null;
      }
      case 'block-header': {
        const header = f[0]! | (f[1]! << 8) | (f[2]! << 16);
        const last = (header & 1) === 1;
        const type = (header >> 1) & 3;
        const size = header >>> 3;
        if (type === 3) return 'a block of the reserved type 3';
        const body = type === 1 ? 1 : size;
        this.skip(body, last ? (s.checksum ? 'checksum' : 'magic') : 'block-header', s.checksum);
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
