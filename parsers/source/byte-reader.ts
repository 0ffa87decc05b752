// A pull-based reader over a stream of byte chunks. Every layer of the source (compression, tar,
// sniffing) and later every parser reads through one of these, so that no layer ever holds more
// than the bytes it is looking at: a multi-GB capture flows through in chunks.
//
// When the source fails (a truncated gzip, a cut archive), the bytes that arrived before the fault
// are still handed out; the error is thrown only to a caller that asks for more than those.

const EMPTY = new Uint8Array(0);

export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array>;
  /** Chunks pulled from the source and not yet consumed; the first may be partly consumed. */
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private ended = false;
  private consumed = 0;
  private sourceFailure: { error: unknown } | null = null;

  constructor(source: AsyncIterable<Uint8Array> | AsyncIterator<Uint8Array>) {
    this.source = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source;
  }

  /** Bytes consumed so far: the offset, in this stream, of the next byte to be read. */
  get offset(): number {
    return this.consumed;
  }

  /** The error that ended the source early, once it has happened (peek() does not throw it). */
  get failure(): unknown {
    return this.sourceFailure?.error;
  }

  /** True once the source is exhausted and every buffered byte has been consumed. */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    if (this.queuedBytes === 0) this.throwIfFailed();
    return this.queuedBytes === 0;
  }

  /**
   * Up to `n` bytes from the current position without consuming them: fewer at the end of the
   * stream, or before a fault in the source (see `failure`).
   */
  async peek(n: number): Promise<Uint8Array> {
    await this.fill(n);
    return this.gather(Math.min(n, this.queuedBytes), false);
  }

  /** Up to `n` bytes, consumed (fewer only at the end of the stream). */
  async read(n: number): Promise<Uint8Array> {
    await this.fill(n);
    if (this.queuedBytes < n) this.throwIfFailed();
    return this.gather(Math.min(n, this.queuedBytes), true);
  }

  /** Skips up to `n` bytes; returns how many were skipped (fewer only at the end). */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n) {
      if (this.queuedBytes === 0 && !(await this.pull())) break;
      const take = Math.min(n - skipped, this.queue[0]!.length);
      this.dropFromHead(take);
      skipped += take;
    }
    if (skipped < n) this.throwIfFailed();
    return skipped;
  }

  /**
   * The next `limit` bytes (or everything left) as chunks, consumed as they are yielded. The
   * chunks are views into the source's buffers: copy them to keep them past the next read.
   */
  async *chunks(limit = Number.POSITIVE_INFINITY): AsyncGenerator<Uint8Array> {
    let left = limit;
    while (left > 0) {
      if (this.queuedBytes === 0 && !(await this.pull())) {
        this.throwIfFailed();
        return;
      }
      const head = this.queue[0]!;
      const take = Math.min(left, head.length);
      const piece = take === head.length ? head : head.subarray(0, take);
      this.dropFromHead(take);
      left -= take;
      yield piece;
    }
  }

  /** Reads to the end, discarding; returns how many bytes were discarded. */
  async drain(): Promise<number> {
    return this.skip(Number.POSITIVE_INFINITY);
  }

  private async fill(n: number): Promise<void> {
    while (this.queuedBytes < n && (await this.pull())) {
      // pull() appended a chunk
    }
  }

  private throwIfFailed(): void {
    if (this.sourceFailure) throw this.sourceFailure.error;
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await this.source.next();
      } catch (error) {
        this.sourceFailure = { error };
        this.ended = true;
        return false;
      }
      if (next.done) {
        this.ended = true;
        return false;
      }
      if (next.value.length === 0) continue;
      this.queue.push(next.value);
      this.queuedBytes += next.value.length;
      return true;
    }
  }

  private dropFromHead(n: number): void {
    const head = this.queue[0]!;
    if (n === head.length) this.queue.shift();
    else this.queue[0] = head.subarray(n);
    this.queuedBytes -= n;
    this.consumed += n;
  }

  private gather(n: number, consume: boolean): Uint8Array {
    if (n === 0) return EMPTY;
    const head = this.queue[0]!;
    if (head.length >= n) {
      const out = head.subarray(0, n);
      if (consume) this.dropFromHead(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const chunk = this.queue[i++]!;
      const take = Math.min(n - filled, chunk.length);
      out.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
      filled += take;
    }
    if (consume) {
      let left = n;
      while (left > 0) {
        const first = this.queue[0]!;
        const take = Math.min(left, first.length);
        this.dropFromHead(take);
        left -= take;
      }
    }
    return out;
  }
}
