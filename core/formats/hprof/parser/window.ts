// A window of contiguous bytes over a stream of chunks, for a parser that decodes millions of small
// records synchronously: it reads straight out of `buf` between `pos` and `end`, and only awaits
// when a record needs more bytes than the window holds. Refills gather chunks into about a
// megabyte, so the await (and the copy of the few bytes left over) happens once per megabyte, not
// once per record.

const EMPTY = new Uint8Array(0);
const REFILL_BYTES = 1 << 20;

export class ByteWindow {
  buf: Uint8Array = EMPTY;
  pos = 0;
  end = 0;
  /** Stream offset of buf[0]. */
  private base: number;
  private readonly source: AsyncIterator<Uint8Array>;
  private exhausted = false;
  /** A fault of the source, kept until a caller needs bytes past it. */
  private failure: { error: unknown } | null = null;

  constructor(chunks: AsyncIterable<Uint8Array>, startOffset: number) {
    this.source = chunks[Symbol.asyncIterator]();
    this.base = startOffset;
  }

  /** Stream offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get available(): number {
    return this.end - this.pos;
  }

  /**
   * Makes at least `min` bytes available from `pos` (fewer only at the end of the stream). A fault
   * in the source is thrown here. Offsets relative to `pos` stay valid across a refill.
   */
  async fill(min: number): Promise<boolean> {
    if (this.end - this.pos >= min) return true;
    if (this.exhausted) return this.noMore();
    // The leftover is copied before pulling: a source may reuse the buffer behind a chunk.
    const parts: Uint8Array[] = [];
    let have = this.end - this.pos;
    if (have > 0) parts.push(this.buf.slice(this.pos, this.end));
    const target = Math.max(min, REFILL_BYTES);
    while (have < target) {
      const next = await this.pull();
      if (next === null) break;
      parts.push(next);
      have += next.length;
    }
    this.base += this.pos;
    this.buf = parts.length === 1 ? parts[0]! : concat(parts, have);
    this.pos = 0;
    this.end = have;
    return have >= min || this.noMore();
  }

  /** The next chunk, or null at the end; a fault ends the stream and is kept (see noMore). */
  private async pull(): Promise<Uint8Array | null> {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await this.source.next();
      } catch (error) {
        this.failure = { error };
        this.exhausted = true;
        return null;
      }
      if (next.done) {
        this.exhausted = true;
        return null;
      }
      if (next.value.length > 0) return next.value;
    }
  }

  /**
   * Called when the bytes wanted are not there: at a fault of the source, throws it (everything
   * before it has been handed out by then); at the end of the data, says false.
   */
  private noMore(): boolean {
    if (this.failure) throw this.failure.error;
    return false;
  }

  /** Consumes up to `n` bytes without keeping them; returns how many were skipped. */
  async skip(n: number): Promise<number> {
    const inWindow = Math.min(n, this.end - this.pos);
    this.pos += inWindow;
    let left = n - inWindow;
    if (left === 0) return n;
    this.base += this.end;
    this.buf = EMPTY;
    this.pos = 0;
    this.end = 0;
    while (left > 0 && !this.exhausted) {
      const chunk = await this.pull();
      if (chunk === null) break;
      if (chunk.length <= left) {
        left -= chunk.length;
        this.base += chunk.length;
      } else {
        this.buf = chunk;
        this.pos = left;
        this.end = chunk.length;
        left = 0;
      }
    }
    if (left > 0) this.noMore();
    return n - left;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
