// Reads an HPROF stream into a HeapGraph: the parser feeds the builder, the builder resolves.

import type { ByteReader } from '../../../parsers/source/byte-reader';
import { readHprof } from './parser/stream';
import type { HprofReadResult } from './parser/records';
import { HeapBuilder, type BuilderOptions, type DiagnosticSink } from './builder';
import type { HeapGraph } from '../../analysis/heap/graph';

export interface LoadedHeap {
  /** Null when not even the header could be read. */
  graph: HeapGraph | null;
  read: HprofReadResult;
}

/**
 * Reads the dump and builds its graph. A fault of the source (a truncated gzip, a cancel) is
 * thrown after building the graph of what came before it, attached as `partial` to the error.
 */
export async function loadHeap(reader: ByteReader, diagnose: DiagnosticSink, options: BuilderOptions = {}): Promise<LoadedHeap> {
  const builder = new HeapBuilder(diagnose, options);
  let read: HprofReadResult;
  try {
    read = await readHprof(reader, builder);
  } catch (err) {
    if (err instanceof Error && err.name !== 'CancelledError' && builder.dumpHeader) {
      (err as Error & { partial?: LoadedHeap }).partial = {
        graph: builder.finish(false),
        read: { header: builder.dumpHeader, bytesRead: reader.offset, complete: false, records: new Map(), subRecords: new Map() },
      };
    }
    throw err;
  }
  return { graph: read.header ? builder.finish(read.complete) : null, read };
}
