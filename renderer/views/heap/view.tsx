import { isCountSegment } from '../../routing/route';
import type { CaseView } from '../../view-kit/case-view';
import { HeapView } from './HeapView';

/** Which heap dump: a source's id, or null for the case's first. */
export interface HeapPlace {
  sourceId: number | null;
}

/** #/case/<id>/heap[/<sourceId>]. */
export const heapView: CaseView<HeapPlace> = {
  id: 'heap',
  label: 'Heap',
  appliesTo: (shape) => shape.heapSourceIds.length > 0,
  route: {
    parse: ([sourceId]) => ({ sourceId: isCountSegment(sourceId) ? Number(sourceId) : null }),
    write: ({ sourceId }) => (sourceId === null ? [] : [String(sourceId)]),
  },
  tab: { initial: () => ({ sourceId: null }), count: (shape) => shape.heapSourceIds.length },
  component: ({ context, params }) => {
    const first = context.shape.heapSourceIds[0];
    return first === undefined ? <p className="muted empty">This case holds no heap dump.</p> : <HeapView caseId={context.caseId} sourceId={params.sourceId ?? first} />;
  },
};
