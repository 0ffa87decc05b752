// The heap domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, oneOf, pageFields, requestSchemas, wholeNumber } from '../request-checks/request-schema';
import type { HeapMethods, HeapModel, HistogramSortColumn } from './contract';

const MODELS: Record<HeapModel, true> = { jvm: true, visualvm: true };
const HISTOGRAM_SORTS: Record<HistogramSortColumn, true> = { retained: true, shallow: true, instances: true, class: true };

const DIRECTIONS: Record<'outgoing' | 'incoming', true> = { outgoing: true, incoming: true };

const heapFields = { caseId: caseIdField, sourceId: wholeNumber(1), model: oneOf(MODELS).optional() };
const heap = z.object(heapFields);

export const HEAP_REQUESTS = requestSchemas<HeapMethods>()({
  'heap.sources': z.object({ caseId: caseIdField }),
  'heap.summary': heap,
  'heap.histogram': z.object({
    ...heapFields,
    sort: z.object({ column: oneOf(HISTOGRAM_SORTS), desc: z.boolean().optional() }).optional(),
    classContains: z.string().optional(),
    ...pageFields,
  }),
  'heap.dominators': z.object({ ...heapFields, parent: z.string({ error: 'must be an object id (text) or null' }).nullable(), ...pageFields }),
  'heap.suspects': heap,
  'heap.pathToRoot': z.object({ ...heapFields, objectId: z.string() }),
  'heap.mergedPaths': z.object({ ...heapFields, classId: z.string(), parent: z.string({ error: 'must be an object id (text) or null' }).nullable(), ...pageFields }),
  'heap.references': z.object({ ...heapFields, objectId: z.string(), direction: oneOf(DIRECTIONS), ...pageFields }),
  'heap.instances': z.object({ ...heapFields, classId: z.string(), ...pageFields }),
  'heap.dominatorsByClass': z.object({ ...heapFields, classPath: z.array(z.string()), ...pageFields }),
  'heap.duplicateStrings': z.object({ ...heapFields, ...pageFields }),
  'heap.threads': heap,
});
