// The two compression layers capscope unwraps: gzip (node:zlib; concatenated members, as the JDK's
// `jcmd GC.heap_dump -gz` writes, are one stream) and zstd (fzstd, pure JavaScript). Both stream:
// input is fed in bounded pieces and output is handed on before more input is read, so memory
// stays bounded whatever the file's size or how far its data expands. A fault keeps everything
// decompressed before it (it was already handed on) and names where it happened.

import zlib from 'node:zlib';
import { Decompress } from 'fzstd';
import { SourceError } from './source-error';
import { ZstdFrameWalker } from './zstd-frames';

/** Input is fed to a decompressor at most this many bytes at a time. */
const FEED_BYTES = 64 * 1024;

export interface LayerContext {
  file: string;
  /** Path of the stream inside the file, for messages; undefined for the file itself. */
  entry?: string;
}

/** Splits chunks so that no piece exceeds FEED_BYTES (a zip bomb expands one piece at a time). */
async function* bounded(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    for (let at = 0; at < chunk.length; at += FEED_BYTES) yield chunk.subarray(at, Math.min(chunk.length, at + FEED_BYTES));
  }
}

export async function* gunzip(input: AsyncIterable<Uint8Array>, ctx: LayerContext): AsyncGenerator<Uint8Array> {
  const engine = zlib.createGunzip({ chunkSize: FEED_BYTES });
  const output: Buffer[] = [];
  let failure: Error | null = null;
  engine.on('data', (chunk: Buffer) => output.push(chunk));
  engine.on('error', (err: Error) => {
    failure ??= err;
  });
  let fed = 0;
  let produced = 0;
  const fault = (err: Error, atEnd: boolean): SourceError => {
    const code = (err as NodeJS.ErrnoException).code;
    const truncated = atEnd && code === 'Z_BUF_ERROR';
    return new SourceError({
      file: ctx.file,
      entry: ctx.entry,
      offset: produced,
      stream: 'decompressed gzip data',
      expected: truncated ? 'more compressed data and the gzip trailer' : 'valid gzip data',
      found: truncated
        ? `the end of the compressed data after ${fed} bytes (the gzip stream is truncated)`
        : `${err.message} within compressed bytes ${Math.max(0, fed - FEED_BYTES)}–${fed}`,
    });
  };

  for await (const piece of bounded(input)) {
    await settle(engine, (done) => engine.write(piece, done));
    fed += piece.length;
    while (output.length > 0) {
      const chunk = output.shift()!;
      produced += chunk.length;
      yield chunk;
    }
    if (failure) throw fault(failure, false);
  }
  if (!failure) await settle(engine, (done) => engine.once('end', done).end());
  while (output.length > 0) {
    const chunk = output.shift()!;
    produced += chunk.length;
    yield chunk;
  }
  if (failure) throw fault(failure, true);
  if (fed === 0) throw new SourceError({ file: ctx.file, entry: ctx.entry, offset: 0, expected: 'gzip data', found: 'nothing' });
}

/**
 * Resolves when `start` calls back or the engine fails, whichever comes first: zlib does not call a
 * write's callback once the stream has failed.
 */
function settle(engine: zlib.Gunzip, start: (done: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      engine.off('error', done);
      resolve();
    };
    engine.once('error', done);
    if (engine.destroyed) return done();
    start(done);
  });
}

/**
 * The most decompressed bytes one step of zstd may hold before they are handed on. A step ends at
 * a block boundary once its blocks may produce this much (zstd-frames.ts), so at most this plus one
 * block (128 KiB) is held, however far the data expands.
 */
const ZSTD_STEP_OUTPUT = 4 * 1024 * 1024;

export async function* unzstd(input: AsyncIterable<Uint8Array>, ctx: LayerContext): AsyncGenerator<Uint8Array> {
  // fzstd decompresses in plain JavaScript, a block at a time: its memory is the window the frame
  // declares (refused beyond 128 MiB by the walker) and the step's output. zstd-codec, before it,
  // aborted its WebAssembly module on any window of 16 MiB or more (zstd --long, levels 20-22).
  const output: Uint8Array[] = [];
  const engine = new Decompress((chunk) => {
    if (chunk.length > 0) output.push(chunk);
  });
  // Walked ahead of the decompressor: it cuts the input into steps of bounded output, refuses
  // windows and blocks larger than any valid file needs, and tells a cut stream from a whole one.
  const frames = new ZstdFrameWalker();
  let fed = 0;
  let produced = 0;
  const fault = (expected: string, found: string) =>
    new SourceError({ file: ctx.file, entry: ctx.entry, offset: produced, stream: 'decompressed zstd data', expected, found });
  const push = (bytes: Uint8Array, final: boolean) => {
    try {
      engine.push(bytes, final);
    } catch (err) {
      throw fault('valid zstd data', `${(err as Error).message} within compressed bytes ${fed}–${fed + bytes.length}`);
    }
  };

  for await (const chunk of input) {
    let rest = chunk;
    while (rest.length > 0) {
      const step = frames.advance(rest, fed, ZSTD_STEP_OUTPUT);
      // A faulty field is not fed: a window it declares would be allocated.
      const used = step.fault ? step.fault.offset - fed : step.used;
      if (used > 0) push(rest.subarray(0, used), false);
      fed += used;
      rest = rest.subarray(used);
      while (output.length > 0) {
        const piece = output.shift()!;
        produced += piece.length;
        yield piece;
      }
      if (step.fault) throw fault(step.fault.expected, `${step.fault.found} (at compressed byte ${step.fault.offset})`);
    }
  }
  if (fed === 0) throw fault('zstd data', 'nothing');
  const unfinished = frames.finish();
  if (unfinished) throw fault('more compressed data', `the end of the compressed data after ${fed} bytes, ${unfinished}`);
  push(new Uint8Array(0), true);
  while (output.length > 0) {
    const piece = output.shift()!;
    produced += piece.length;
    yield piece;
  }
}
