// Reads an HPROF stream into a HeapGraph: the parser feeds the builder, the builder resolves.

import type { ByteReader } from '../../../parsers/source/byte-reader';
import { readHprof } from './parser/stream';
import { TAG_HEAP_DUMP, TAG_HEAP_DUMP_SEGMENT } from './parser/constants';
import type { HprofReadResult, HprofStop } from './parser/records';
import { HeapBuilder, type BuilderOptions, type DiagnosticSink } from './builder';
import { HEAP_DIAGNOSTICS as D } from './diagnostics';
import type { HeapGraph } from '../../analysis/heap/graph';

export interface LoadedHeap {
  /** Null when not even the header could be read. */
  graph: HeapGraph | null;
  read: HprofReadResult;
  /**
   * Why the graph is not the whole heap dump, null when it is: the fault that stopped the reading
   * (a cut, a header it could not read), or a dump that ended cleanly without any heap dump record.
   * Not passed to the diagnostic sink: the caller reports it (the ingest as the source's error).
   */
  stop: HprofStop | null;
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
        read: { header: builder.dumpHeader, bytesRead: reader.offset, complete: false, stop: null, records: new Map(), subRecords: new Map() },
        stop: null,
      };
    }
    throw err;
  }
  const stop = read.stop ?? (read.header ? noHeapDump(read) : null);
  return { graph: read.header ? builder.finish(stop === null) : null, read, stop };
}

/**
 * A dump read to its end that holds no HEAP DUMP or HEAP DUMP SEGMENT record: cut at a record
 * boundary before its heap, or what a profiler (hprof's cpu= or heap=sites modes) writes. Either
 * way there is no heap to analyse, and saying "0 objects, complete" would be wrong.
 */
function noHeapDump(read: HprofReadResult): HprofStop | null {
  if (read.records.has(TAG_HEAP_DUMP) || read.records.has(TAG_HEAP_DUMP_SEGMENT)) return null;
  let records = 0;
  for (const { count } of read.records.values()) records += count;
  return { offset: read.bytesRead, diagnostic: D.emit('no-heap-dump', { offset: read.bytesRead, records }) };
}
