// The two compression layers capscope unwraps: gzip (node:zlib; concatenated members, as the JDK's
// `jcmd GC.heap_dump -gz` writes, are one stream) and zstd (zstd-codec's streaming binding).
// Both stream: input is fed in bounded pieces and output is handed on before more input is read,
// so memory stays bounded whatever the file's size. A fault keeps everything decompressed before
// it (it was already handed on) and names where it happened.

import { createRequire } from 'node:module';
import zlib from 'node:zlib';
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

interface ZstdDecompressStream {
  begin(): boolean;
  transform(input: Uint8Array, onOutput: (bytes: Uint8Array) => void): boolean;
  end(onOutput: (bytes: Uint8Array) => void): boolean;
  delete?(): void;
}

interface ZstdBinding {
  ZstdDecompressStreamBinding: new () => ZstdDecompressStream;
}

/**
 * zstd-codec's WebAssembly module, instantiated once per thread. It is always handed around inside
 * a wrapper object: the Emscripten module has a then() of its own, so resolving a promise (or
 * returning from an async function) with the bare module would call it and hang.
 */
let zstdLoaded: Promise<{ binding: ZstdBinding }> | null = null;

function loadZstd(): Promise<{ binding: ZstdBinding }> {
  zstdLoaded ??= new Promise((resolve) => {
    // zstd-codec's streaming binding is not in its public index; its module loader is.
    const require = createRequire(import.meta.url);
    const loader = require('zstd-codec/lib/module.js') as { run(f: (binding: ZstdBinding) => void): void };
    loader.run((binding) => resolve({ binding }));
  });
  return zstdLoaded;
}

export async function* unzstd(input: AsyncIterable<Uint8Array>, ctx: LayerContext): AsyncGenerator<Uint8Array> {
  const { binding } = await loadZstd();
  const stream = new binding.ZstdDecompressStreamBinding();
  // zstd-codec reports corrupt data but not a stream cut short, so frames are also walked here.
  const frames = new ZstdFrameWalker();
  const output: Uint8Array[] = [];
  const collect = (bytes: Uint8Array) => output.push(Uint8Array.from(bytes)); // a view into wasm memory: copy it
  let fed = 0;
  let produced = 0;
  const fault = (expected: string, found: string) =>
    new SourceError({ file: ctx.file, entry: ctx.entry, offset: produced, stream: 'decompressed zstd data', expected, found });
  try {
    stream.begin();
    for await (const piece of bounded(input)) {
      const structural = frames.feed(piece, fed);
      fed += piece.length;
      if (structural) throw fault('a zstd frame', `${structural} (at compressed byte ${frames.faultOffset})`);
      const ok = stream.transform(piece, collect);
      while (output.length > 0) {
        const chunk = output.shift()!;
        produced += chunk.length;
        yield chunk;
      }
      if (!ok) throw fault('valid zstd data', `corrupt data within compressed bytes ${fed - piece.length}–${fed}`);
    }
    const ok = stream.end(collect);
    while (output.length > 0) {
      const chunk = output.shift()!;
      produced += chunk.length;
      yield chunk;
    }
    if (!ok) throw fault('valid zstd data', `corrupt data at the end of the stream (${fed} compressed bytes)`);
    const unfinished = frames.finish();
    if (unfinished) throw fault('more compressed data', `the end of the compressed data after ${fed} bytes, ${unfinished}`);
    if (fed === 0) throw fault('zstd data', 'nothing');
  } finally {
    stream.delete?.();
  }
}
