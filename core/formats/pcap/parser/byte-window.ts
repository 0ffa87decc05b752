// Record framing over an entry's ByteReader. Capture files are millions of small records; awaiting
// the reader once per record would cost more than decoding them. The window hands out the current
// chunk synchronously and awaits only when a record straddles a chunk boundary (once per ~1 MiB),
// when it joins the tail of one chunk to the head of the next.

import type { ByteReader } from '../../../../parsers/source/byte-reader';

const EMPTY = new Uint8Array(0);

export class ByteWindow {
  /** The bytes available now; `pos` is the next unread one. */
  buf: Uint8Array = EMPTY;
  pos = 0;
  /** Entry offset of buf[0]. */
  private base = 0;
  private readonly chunks: AsyncIterator<Uint8Array>;
  private ended = false;

  constructor(reader: ByteReader) {
    this.chunks = reader.chunks()[Symbol.asyncIterator]();
  }

  /** Entry offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get available(): number {
    return this.buf.length - this.pos;
  }

  /**
   * Makes at least `n` bytes available from `pos` (joining chunks as needed). Resolves false when
   * the entry ends first; whatever is left stays available. A fault in the source is thrown.
   */
  async ensure(n: number): Promise<boolean> {
    while (this.buf.length - this.pos < n) {
      if (this.ended) return false;
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      const rest = this.buf.length - this.pos;
      if (rest === 0) {
        this.base += this.buf.length;
        this.buf = next.value;
      } else {
        // A record straddles two chunks: join what is left of this one to the next.
        const joined = new Uint8Array(rest + next.value.length);
        joined.set(this.buf.subarray(this.pos));
        joined.set(next.value, rest);
        this.base += this.pos;
        this.buf = joined;
      }
      this.pos = 0;
    }
    return true;
  }

  /** Skips `n` bytes, which may run past what is available; resolves with how many were skipped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !(await this.ensure(1))) break;
      const take = Math.min(left, this.available);
      this.pos += take;
      left -= take;
    }
    return n - left;
  }
}
