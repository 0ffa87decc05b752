// The HPROF ingester: reads the dump into a compact object graph (core/analysis/heap), analyses
// it once — both size models — and stores the results in the heap tables, so that `capscope heap`,
// the UI and the report read them back without touching the dump again.
//
// A dump the reading could not finish (cut short, a header it cannot read, no heap dump record at
// all) is analysed as far as it goes, then fails its source with a SourceError naming the file,
// the entry and the byte offset: `capscope index` and `capscope heap` both read that one status and
// that one line. A fault of the source (a truncated gzip) is rethrown the same way after the
// partial results are stored; a cancel is rethrown at once.

import { SourceError } from '../../../parsers/source/source-error';
import type { EvidenceEntry } from '../../../parsers/source/walk';
import { analyseHeap } from '../../analysis/heap/analyse';
import { loadHeap, type LoadedHeap } from './load';
import { writeHeapAnalysis } from './store';
import type { IngestSink } from '../format';

/** Rows of the dominator and duplicate-string lists kept in the index. */
export const STORED_TOP = 500;

export async function ingestHprof(entry: EvidenceEntry, sink: IngestSink): Promise<number> {
  let loaded: LoadedHeap;
  let fault: unknown = null;
  try {
    loaded = await loadHeap(entry.reader, (offset, d) => sink.diagnostic(offset, d));
  } catch (err) {
    const partial = (err as { partial?: LoadedHeap }).partial;
    if (!partial) throw err;
    loaded = partial;
    fault = err;
  }
  if (loaded.graph) {
    const started = performance.now();
    const analysis = analyseHeap(loaded.graph, { top: STORED_TOP });
    writeHeapAnalysis(sink.index.db, sink.sourceId, loaded.graph, analysis, performance.now() - started);
  }
  if (fault) throw fault;
  const stop = loaded.stop;
  if (stop) {
    // The pipeline records the declared diagnostic once, with this error's line as its message.
    throw new SourceError({ file: entry.context.file, entry: entry.context.entry, offset: stop.offset, stream: streamName(entry), found: stop.diagnostic.message, diagnostic: stop.diagnostic });
  }
  return loaded.read.bytesRead;
}

/** Which byte stream the offsets count in, when it is not the file's own bytes. */
function streamName(entry: EvidenceEntry): string | undefined {
  const last = entry.compression.at(-1);
  return last === 'gzip' || last === 'zstd' ? `decompressed ${last} data` : undefined;
}
