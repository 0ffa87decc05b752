import type { CaseView } from '../../view-kit/case-view';
import { HeapView } from './HeapView';

const isCount = (s: string | undefined): s is string => s !== undefined && /^\d{1,15}$/.test(s);

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
    parse: ([sourceId]) => ({ sourceId: isCount(sourceId) ? Number(sourceId) : null }),
    write: ({ sourceId }) => (sourceId === null ? [] : [String(sourceId)]),
  },
  tab: { initial: () => ({ sourceId: null }), count: (shape) => shape.heapSourceIds.length },
  component: ({ context, params }) => {
    const first = context.shape.heapSourceIds[0];
    return first === undefined ? <p className="muted empty">This case holds no heap dump.</p> : <HeapView caseId={context.caseId} sourceId={params.sourceId ?? first} />;
  },
};
