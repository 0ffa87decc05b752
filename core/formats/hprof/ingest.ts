// The HPROF ingester: reads the dump into a compact object graph (core/analysis/heap), analyses
// it once — both size models — and stores the results in the heap tables, so that `capscope heap`,
// the UI and the report read them back without touching the dump again.
//
// A dump cut short is analysed as far as it goes (the parser reports where it ends). A fault of
// the source (a truncated gzip) is rethrown after the partial results are stored, so the source
// is marked failed and still has its results; a cancel is rethrown at once.

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
  return loaded.read.bytesRead;
}
