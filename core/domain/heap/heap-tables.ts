// The heap view's answers that the ingest stored (core/formats/hprof/store.ts): summary, class
// histogram, leak suspects, duplicate strings, threads — read a page at a time.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import { formatWith } from '../case-access/sources-with';
import type { DuplicateStringInfo, HeapModel, HeapSourceInfo, HeapSummaryInfo, HistogramRowInfo, HistogramSortColumn, SuspectInfo, ThreadInfoRow } from './contract';

export function heapSourceList(db: Database.Database): HeapSourceInfo[] {
  const heaps = formatWith('heap', 's.format');
  const rows = db
    .prepare(`SELECT s.id, s.entry, h.complete FROM sources s JOIN heap_summary h ON h.source_id = s.id AND h.model = 'jvm' WHERE ${heaps.where} ORDER BY s.id`)
    .all(...heaps.params) as { id: number; entry: string; complete: number }[];
  return rows.map((r) => ({ sourceId: r.id, entry: r.entry, complete: r.complete === 1 }));
}

export function heapSummary(db: Database.Database, sourceId: number, model: HeapModel): HeapSummaryInfo {
  const s = db
    .prepare('SELECT h.*, s.entry FROM heap_summary h JOIN sources s ON s.id = h.source_id WHERE h.source_id = ? AND h.model = ?')
    .get(sourceId, model) as Record<string, string | number | null> | undefined;
  if (!s) throw new ApiError('not-found', `source ${sourceId} holds no analysed heap dump`);
  return {
    sourceId,
    entry: String(s.entry),
    model,
    format: String(s.format),
    idSize: Number(s.id_size),
    takenAt: s.taken_at === null ? null : String(s.taken_at),
    vm: String(s.vm),
    layout: String(s.layout),
    modelDescription: String(s.model_description),
    objects: Number(s.objects),
    classes: Number(s.classes),
    shallowBytes: Number(s.shallow_bytes),
    gcRoots: Number(s.gc_roots),
    gcRootObjects: Number(s.gc_root_objects),
    heapBytes: Number(s.heap_bytes),
    unreachableObjects: Number(s.unreachable_objects),
    unreachableBytes: Number(s.unreachable_bytes),
    unreachablePolicy: String(s.unreachable_policy),
    complete: Number(s.complete) === 1,
  };
}

const HISTOGRAM_ORDER: Record<HistogramSortColumn, string> = {
  retained: 'retained_bytes',
  shallow: 'shallow_bytes',
  instances: 'instances',
  class: 'class',
};

export function histogramPage(
  db: Database.Database,
  sourceId: number,
  model: HeapModel,
  sort: { column: HistogramSortColumn; desc: boolean },
  classContains: string,
  page: { limit: number; offset: number },
): { total: number; rows: HistogramRowInfo[] } {
  // instr, not LIKE: a class name's '_' and '%' are not wildcards.
  const where = `source_id = ? AND model = ?${classContains ? ' AND instr(lower(class), lower(?)) > 0' : ''}`;
  const params = classContains ? [sourceId, model, classContains] : [sourceId, model];
  const total = db.prepare(`SELECT count(*) FROM heap_histogram WHERE ${where}`).pluck().get(...params) as number;
  const dir = sort.desc ? 'DESC' : 'ASC';
  const rows = db
    .prepare(`SELECT class, class_id, instances, shallow_bytes, retained_bytes FROM heap_histogram WHERE ${where} ORDER BY ${HISTOGRAM_ORDER[sort.column]} ${dir}, rank LIMIT ? OFFSET ?`)
    .all(...params, page.limit, page.offset) as Record<string, string | number>[];
  return {
    total,
    rows: rows.map((r) => ({ class: String(r.class), classId: String(r.class_id), instances: Number(r.instances), shallowBytes: Number(r.shallow_bytes), retainedBytes: Number(r.retained_bytes) })),
  };
}

export function suspectList(db: Database.Database, sourceId: number, model: HeapModel): { heapBytes: number; rows: SuspectInfo[] } {
  const heapBytes = heapSummary(db, sourceId, model).heapBytes;
  const rows = db.prepare('SELECT * FROM heap_suspects WHERE source_id = ? AND model = ? ORDER BY rank').all(sourceId, model) as Record<string, string | number>[];
  return {
    heapBytes,
    rows: rows.map((r) => ({
      kind: r.kind as 'object' | 'class',
      title: String(r.title),
      holder: r.holder === null ? null : (JSON.parse(String(r.holder)) as SuspectInfo['holder']),
      objectId: String(r.object_id),
      class: String(r.class),
      instances: Number(r.instances),
      retainedBytes: Number(r.retained_bytes),
      percent: Number(r.percent),
      accumulation: JSON.parse(String(r.accumulation)) as SuspectInfo['accumulation'],
    })),
  };
}

export function duplicateStringPage(db: Database.Database, sourceId: number, model: HeapModel, page: { limit: number; offset: number }): { total: number; rows: DuplicateStringInfo[] } {
  const total = db.prepare('SELECT count(*) FROM heap_duplicate_strings WHERE source_id = ? AND model = ?').pluck().get(sourceId, model) as number;
  const rows = db
    .prepare('SELECT value, count, wasted_bytes, length, arrays, object_id FROM heap_duplicate_strings WHERE source_id = ? AND model = ? ORDER BY rank LIMIT ? OFFSET ?')
    .all(sourceId, model, page.limit, page.offset) as Record<string, string | number>[];
  return {
    total,
    rows: rows.map((r) => ({ value: String(r.value), count: Number(r.count), wastedBytes: Number(r.wasted_bytes), length: Number(r.length), arrays: Number(r.arrays), objectId: String(r.object_id) })),
  };
}

export function threadList(db: Database.Database, sourceId: number, model: HeapModel): ThreadInfoRow[] {
  const rows = db.prepare('SELECT * FROM heap_threads WHERE source_id = ? AND model = ? ORDER BY rank').all(sourceId, model) as Record<string, string | number | null>[];
  return rows.map((r) => ({
    name: r.name === null ? null : String(r.name),
    objectId: String(r.object_id),
    threadSerial: Number(r.thread_serial),
    retainedBytes: Number(r.retained_bytes),
    localsRetainedBytes: Number(r.locals_retained_bytes),
    stack: JSON.parse(String(r.stack)) as ThreadInfoRow['stack'],
    outOfMemoryError: r.out_of_memory_error === null ? null : (JSON.parse(String(r.out_of_memory_error)) as ThreadInfoRow['outOfMemoryError']),
  }));
}
