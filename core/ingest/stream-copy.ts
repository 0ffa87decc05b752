// Evidence piped in (`tcpdump -w - | capscope index -`): the bytes are copied, as they arrive, into
// a file of the case cache, and that copy is the case's evidence file. The ingest reads the copy
// while it grows (the source walk waits at its end for more), so memory stays bounded however
// long the stream runs: a chunk is written before the next is read, and the reader is a file
// reader like any other. The copy stays when the stream ends, so the case can be reopened.

import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { GrowthNews } from '../../parsers/source/growing-file';
import { SNIFF_MAX_BYTES, sniff, type Sniffed } from '../../parsers/source/sniff';
import { EVIDENCE_SNIFFERS } from '../registry/formats';
import { makeDir } from '../index/make-dir';

/** What the ingest job follows: how far a copy being written has got, told as it grows. */
export interface GrowingSource {
  news(): GrowthNews;
  /** Calls `listener` each time the copy grows or becomes complete; returns how to stop listening. */
  onNews(listener: (news: GrowthNews) => void): () => void;
}

export class StreamCopy implements GrowingSource {
  private size = 0;
  private final = false;
  private failure: string | null = null;
  private listeners = new Set<(news: GrowthNews) => void>();
  private stopping = false;
  /** Resolves once the copy is complete: the stream ended, was stopped, or failed (see `error`). */
  readonly done: Promise<void>;

  private constructor(
    /** The copy's path, named by when the stream started and by what its first bytes are. */
    readonly file: string,
    handle: fs.promises.FileHandle,
    head: Uint8Array,
    rest: AsyncIterator<Uint8Array>,
    private readonly input: Readable,
  ) {
    this.done = this.copy(handle, head, rest);
  }

  /**
   * Starts copying `input` into `folder` once its first bytes say what it is (a few KiB at most,
   * or the whole stream if it is shorter): `stdin-2026-12-07T12-40-05.pcap`.
   */
  static async start(input: Readable, folder: string, now = new Date()): Promise<StreamCopy> {
    const source = input[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    const head = await readHead(source);
    const seen = sniffHead(head.bytes, head.ended);
    makeDir(folder);
    const stem = `stdin-${now.toISOString().slice(0, 19).replace(/:/g, '-')}`;
    const suffix = suffixFor(seen);
    for (let n = 1; ; n++) {
      const file = path.join(folder, `${stem}${n === 1 ? '' : `-${n}`}${suffix}`);
      try {
        const handle = await fs.promises.open(file, 'wx');
        return new StreamCopy(file, handle, head.bytes, head.ended ? emptyIterator() : source, input);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }

  news(): GrowthNews {
    return { size: this.size, final: this.final };
  }

  onNews(listener: (news: GrowthNews) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bytes copied so far. */
  get bytes(): number {
    return this.size;
  }

  get complete(): boolean {
    return this.final;
  }

  /** Why the copy ended before its stream did (the disk filled, the stream broke), or null. */
  get error(): string | null {
    return this.failure;
  }

  /** Stops reading the stream (Ctrl-C): the copy is complete with what had arrived. */
  stop(): Promise<void> {
    if (!this.final && !this.stopping) {
      this.stopping = true;
      // Ends the read waiting for the next chunk. (Not a race against a stop promise: each race
      // would leave a reaction on it holding its chunk, and memory would grow with the stream.)
      this.input.destroy();
    }
    return this.done;
  }

  private async copy(handle: fs.promises.FileHandle, head: Uint8Array, rest: AsyncIterator<Uint8Array>): Promise<void> {
    try {
      await this.write(handle, head);
      while (!this.stopping) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await rest.next();
        } catch (err) {
          if (this.stopping) break; // the stream destroyed by stop()
          throw err;
        }
        if (next.done || this.stopping) break;
        await this.write(handle, next.value);
      }
    } catch (err) {
      this.failure = `${this.file}: the copy of standard input ended after ${this.size} bytes: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      // Stop reading whatever is still coming: the copy is complete as it is.
      this.input.destroy();
      await handle.close().catch(() => {});
      this.final = true;
      this.tell();
    }
  }

  private async write(handle: fs.promises.FileHandle, bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    this.size += bytes.length;
    if (bytes.length > 0) this.tell();
  }

  private tell(): void {
    const news = this.news();
    for (const listener of this.listeners) listener(news);
  }
}

/**
 * The stream's first bytes: as soon as the sniffers can say what it is (a pcap's 24-byte header
 * suffices, and a quiet tcpdump may send nothing more for a while), or all of it if it ends sooner.
 */
async function readHead(source: AsyncIterator<Uint8Array>): Promise<{ bytes: Uint8Array; ended: boolean }> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const next = await source.next();
    if (next.done) return { bytes: concat(chunks, length), ended: true };
    chunks.push(next.value);
    length += next.value.length;
    const bytes = concat(chunks, length);
    const seen = sniff(bytes, false, EVIDENCE_SNIFFERS.sniffers);
    if (seen.kind !== 'need-more' || length >= SNIFF_MAX_BYTES) return { bytes, ended: false };
  }
}

function sniffHead(bytes: Uint8Array, ended: boolean): Sniffed {
  const seen = sniff(bytes, ended, EVIDENCE_SNIFFERS.sniffers);
  return seen.kind === 'need-more' ? sniff(bytes, true, EVIDENCE_SNIFFERS.sniffers) : seen;
}

/** The copy's suffix: its format's name, or its outer layer's usual one; none for what is not evidence. */
function suffixFor(seen: Sniffed): string {
  if (seen.kind === 'evidence') return `.${seen.format}`;
  if (seen.kind === 'layer') return { gzip: '.gz', zstd: '.zst', tar: '.tar' }[seen.layer];
  return '';
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
}

function emptyIterator(): AsyncIterator<Uint8Array> {
  return { next: async () => ({ done: true, value: undefined }) };
}
