import { isCountSegment } from '../../routing/route';
import type { CaseView } from '../../view-kit/case-view';
import { HeapView } from './HeapView';
import { isObjectId } from './inspect';

/** Which heap dump (a source's id, or null for the case's first), and the object being inspected. */
export interface HeapPlace {
  sourceId: number | null;
  objectId?: string | null;
}

/** #/case/<id>/heap[/<sourceId>[/<objectId>]]. */
export const heapView: CaseView<HeapPlace> = {
  id: 'heap',
  label: 'Heap',
  appliesTo: (shape) => shape.heapSourceIds.length > 0,
  route: {
    parse: ([sourceId, objectId]) => ({ sourceId: isCountSegment(sourceId) ? Number(sourceId) : null, objectId: isCountSegment(sourceId) && isObjectId(objectId) ? objectId : null }),
    write: ({ sourceId, objectId }) => (sourceId === null ? [] : objectId ? [String(sourceId), objectId] : [String(sourceId)]),
  },
  tab: { initial: () => ({ sourceId: null }), count: (shape) => shape.heapSourceIds.length },
  component: ({ context, params, go }) => {
    const first = context.shape.heapSourceIds[0];
    if (first === undefined) return <p className="muted empty">This case holds no heap dump.</p>;
    const sourceId = params.sourceId ?? first;
    return <HeapView caseId={context.caseId} sourceId={sourceId} objectId={params.objectId ?? null} onInspect={(objectId) => go({ sourceId, objectId })} />;
  },
};
