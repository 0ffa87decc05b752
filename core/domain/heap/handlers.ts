// The heap domain's methods (./contract.ts), over one heap dump of the case. Each handler checks its
// request and hands it to ./heap-tables.ts (what the ingest stored) or ./heap-graph.ts (what is
// computed from the object graph on demand).

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { oneOf, page, text, wholeNumber } from '../request-checks/request-checks';
import type { HeapMethods, HeapModel, HistogramSortColumn } from './contract';
import { heapTree } from './heap-graph';
import { duplicateStringPage, heapSourceList, heapSummary, histogramPage, suspectList, threadList } from './heap-tables';

const MODELS: readonly HeapModel[] = ['jvm', 'visualvm'];
const DIRECTIONS: readonly ('outgoing' | 'incoming')[] = ['outgoing', 'incoming'];
/** Rows of one page of the graph's lists (merged paths, references, instances, class groups). */
const HEAP_PAGE_MAX = 500;
const HISTOGRAM_SORTS: readonly HistogramSortColumn[] = ['retained', 'shallow', 'instances', 'class'];

export function createHeapHandlers(access: CaseAccess): HandlersOf<HeapMethods> {
  const db = (req: { caseId: string }) => access.db(String(req?.caseId));
  const heapArgs = (req: { sourceId: number; model?: HeapModel }) => ({ sourceId: wholeNumber(req.sourceId, 'sourceId', 1), model: oneOf(req.model, MODELS, 'model', 'jvm') });

  return {
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
      return tree.pathToRoot(text(req.objectId, 'objectId'));
    },
    'heap.mergedPaths': async (req) => {
      const { sourceId, model } = heapArgs(req);
      const parent = req.parent === null || req.parent === undefined ? null : text(req.parent, 'parent');
      const tree = await heapTree(db(req), sourceId);
      return tree.mergedPaths(text(req.classId, 'classId'), parent, model, page(req, 50, HEAP_PAGE_MAX));
    },
    'heap.references': async (req) => {
      const { sourceId, model } = heapArgs(req);
      const direction = oneOf(req.direction, DIRECTIONS, 'direction', 'outgoing');
      const tree = await heapTree(db(req), sourceId);
      return tree.references(text(req.objectId, 'objectId'), direction, model, page(req, 50, HEAP_PAGE_MAX));
    },
    'heap.instances': async (req) => {
      const { sourceId, model } = heapArgs(req);
      const tree = await heapTree(db(req), sourceId);
      return tree.instances(text(req.classId, 'classId'), model, page(req, 50, HEAP_PAGE_MAX));
    },
    'heap.dominatorsByClass': async (req) => {
      const { sourceId, model } = heapArgs(req);
      const path = (req.classPath ?? []).map((id, i) => text(id, `classPath[${i}]`));
      const tree = await heapTree(db(req), sourceId);
      return tree.dominatorsByClass(path, model, page(req, 50, HEAP_PAGE_MAX));
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
