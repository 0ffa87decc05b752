// The evidence views' methods (core/api/evidence.ts), read from a case's index. Each handler checks
// its request and hands it to one query module under core/queries/evidence/.

import type { ExchangeSortColumn, HeapModel, HistogramSortColumn, StreamDir } from '../api/evidence';
import type { EvidenceMethods } from '../api/evidence';
import type { CaseAccess, HandlersOf } from './case-access';
import { listFindingsPage } from './evidence/findings';
import { heapTree } from './evidence/heap-graph';
import { duplicateStringPage, heapSourceList, heapSummary, histogramPage, suspectList, threadList } from './evidence/heap-tables';
import { EXCHANGE_SORT_COLUMNS, exchangeDetail, exchangePage, latencySeries } from './evidence/http';
import { oneOf, optionalWholeNumber, page, text, wholeNumber } from './evidence/request';
import { chunkPage, streamInfo, streamMarks, streamPeers } from './evidence/streams';

const MODELS: readonly HeapModel[] = ['jvm', 'visualvm'];
const DIRS: readonly StreamDir[] = ['in', 'out'];
const HISTOGRAM_SORTS: readonly HistogramSortColumn[] = ['retained', 'shallow', 'instances', 'class'];
const LATENCY_BUCKETS_DEFAULT = 120;
const LATENCY_BUCKETS_MAX = 2000;

export function createEvidenceHandlers(access: CaseAccess): HandlersOf<EvidenceMethods> {
  const db = (req: { caseId: string }) => access.db(String(req?.caseId));
  const heapArgs = (req: { sourceId: number; model?: HeapModel }) => ({ sourceId: wholeNumber(req.sourceId, 'sourceId', 1), model: oneOf(req.model, MODELS, 'model', 'jvm') });

  return {
    'findings.list': async (req) => listFindingsPage(db(req), req.scope, page(req, 20)),

    'stream.get': async (req) => {
      const d = db(req);
      const streamId = wholeNumber(req.streamId, 'streamId', 1);
      return { stream: streamInfo(d, streamId), marks: streamMarks(d, streamId) };
    },
    'stream.chunks': async (req) => {
      const at = req.at === undefined || req.at === null ? undefined : { dir: oneOf(req.at.dir, DIRS, 'at.dir', 'out'), offset: wholeNumber(req.at.offset, 'at.offset') };
      return chunkPage(db(req), wholeNumber(req.streamId, 'streamId', 1), {
        fromSeq: optionalWholeNumber(req.fromSeq, 'fromSeq'),
        beforeSeq: optionalWholeNumber(req.beforeSeq, 'beforeSeq'),
        at,
        limit: optionalWholeNumber(req.limit, 'limit', 1) ?? 200,
      });
    },
    'stream.peers': async (req) => ({ peers: streamPeers(db(req), wholeNumber(req.streamId, 'streamId', 1)) }),

    'http.exchanges': async (req) => {
      const column = oneOf<ExchangeSortColumn>(req.sort?.column, EXCHANGE_SORT_COLUMNS, 'sort.column', 'time');
      return exchangePage(db(req), req.scope, { column, desc: req.sort?.desc === true }, page(req, 200));
    },
    'http.exchange': async (req) => exchangeDetail(db(req), wholeNumber(req.id, 'id', 1)),
    'http.latency': async (req) => latencySeries(db(req), req.scope, Math.min(optionalWholeNumber(req.buckets, 'buckets', 1) ?? LATENCY_BUCKETS_DEFAULT, LATENCY_BUCKETS_MAX)),

    'heap.sources': async (req) => ({ sources: heapSourceList(db(req)) }),
    'heap.summary': async (req) => {
      const { sourceId, model } = heapArgs(req);
      return heapSummary(db(req), sourceId, model);
    },
    'heap.histogram': async (req) => {
      const { sourceId, model } = heapArgs(req);
      const column = oneOf(req.sort?.column, HISTOGRAM_SORTS, 'sort.column', 'retained');
      const contains = req.classContains === undefined || req.classContains === null ? '' : text(req.classContains, 'classContains');
      return histogramPage(db(req), sourceId, model, { column, desc: req.sort?.desc ?? column !== 'class' }, contains, page(req, 100));
    },
    'heap.dominators': async (req) => {
      const { sourceId, model } = heapArgs(req);
      const parent = req.parent === null || req.parent === undefined ? null : text(req.parent, 'parent');
      const tree = await heapTree(db(req), sourceId);
      return tree.children(parent, model, page(req, 50));
    },
    'heap.suspects': async (req) => {
      const { sourceId, model } = heapArgs(req);
      return suspectList(db(req), sourceId, model);
    },
    'heap.pathToRoot': async (req) => {
      const { sourceId } = heapArgs(req);
      const tree = await heapTree(db(req), sourceId);
      return { path: tree.pathToRoot(text(req.objectId, 'objectId')) };
    },
    'heap.duplicateStrings': async (req) => {
      const { sourceId, model } = heapArgs(req);
      return duplicateStringPage(db(req), sourceId, model, page(req, 100));
    },
    'heap.threads': async (req) => {
      const { sourceId, model } = heapArgs(req);
      return { rows: threadList(db(req), sourceId, model) };
    },
  };
}
