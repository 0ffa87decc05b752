// The heap tables of the index (schema/tables.ts): written once by the ingester,
// read back by the CLI, the API and the report, which never re-analyse a dump.

import type Database from 'better-sqlite3';
import type { HeapAnalysis, HeapReport, HeapSummary } from '../../analysis/heap/analyse';
import { hexId, type HeapGraph } from '../../analysis/heap/graph';
import type { SizeModelName } from '../../analysis/heap/sizes';

/** Rows inserted per transaction. */
const BATCH = 5000;

export function writeHeapAnalysis(db: Database.Database, sourceId: number, graph: HeapGraph, analysis: HeapAnalysis, analysisMs: number): void {
  const insertClass = db.prepare(
    'INSERT INTO heap_classes (source_id, class_index, class_id, name, super_id, loader_id, dumped, instance_fields, static_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  batched(db, graph.classes, (c) =>
    insertClass.run(sourceId, c.index, hexId(c.id), c.name, c.superId ? hexId(c.superId) : null, c.loaderId ? hexId(c.loaderId) : null, c.dumped ? 1 : 0, c.fields.length, c.statics.length),
  );
  const insertSummary = db.prepare(
    `INSERT INTO heap_summary (source_id, model, format, id_size, taken_at, vm, layout, model_description, objects, classes, shallow_bytes, gc_roots,
       gc_root_objects, heap_bytes, unreachable_objects, unreachable_bytes, unreachable_policy, complete, analysis_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertHistogram = db.prepare('INSERT INTO heap_histogram (source_id, model, rank, class, class_id, instances, shallow_bytes, retained_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertDominator = db.prepare(
    'INSERT INTO heap_dominators (source_id, model, rank, object_id, class, class_of, shallow_bytes, retained_bytes, gc_root, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertSuspect = db.prepare(
    'INSERT INTO heap_suspects (source_id, model, rank, kind, title, holder, object_id, class, instances, retained_bytes, percent, accumulation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertDuplicate = db.prepare(
    'INSERT INTO heap_duplicate_strings (source_id, model, rank, value, count, wasted_bytes, length, arrays, object_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertThread = db.prepare(
    'INSERT INTO heap_threads (source_id, model, rank, thread_serial, object_id, name, stack, retained_bytes, locals_retained_bytes, out_of_memory_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const [model, report] of Object.entries(analysis.reports) as [SizeModelName, HeapReport][]) {
    const s = report.summary;
    db.transaction(() => {
      insertSummary.run(sourceId, model, s.format, s.idSize, s.timestamp, s.vm, s.layout, s.sizeModelDescription, s.objects, s.classes, s.shallowBytes, s.gcRoots, s.gcRootObjects, s.heapBytes, s.unreachableObjects, s.unreachableShallowBytes, s.unreachablePolicy, s.complete ? 1 : 0, analysisMs);
      report.suspects.forEach((x, i) => insertSuspect.run(sourceId, model, i + 1, x.kind, x.title, x.holder ? JSON.stringify(x.holder) : null, x.objectId, x.class, x.instances, x.retainedBytes, x.percent, JSON.stringify(x.accumulation)));
      report.threads.forEach((t, i) => insertThread.run(sourceId, model, i + 1, t.threadSerial, t.objectId, t.name, JSON.stringify(t.stack), t.retainedBytes, t.localsRetainedBytes, t.outOfMemoryError ? JSON.stringify(t.outOfMemoryError) : null));
    })();
    batched(db, report.histogram, (h, i) => insertHistogram.run(sourceId, model, i + 1, h.class, h.classId, h.instances, h.shallowBytes, h.retainedBytes));
    batched(db, report.dominators, (d, i) => insertDominator.run(sourceId, model, i + 1, d.objectId, d.class, d.classOf ?? null, d.shallowBytes, d.retainedBytes, d.gcRoot ? 1 : 0, JSON.stringify(d.pathFromRoot)));
    batched(db, report.duplicateStrings, (d, i) => insertDuplicate.run(sourceId, model, i + 1, d.value, d.count, d.wastedBytes, d.length, d.arrays, d.objectId));
  }
}

function batched<T>(db: Database.Database, rows: readonly T[], insert: (row: T, index: number) => void): void {
  for (let start = 0; start < rows.length; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(rows.length, start + BATCH); i++) insert(rows[i]!, i);
    })();
  }
}

/** The heap dumps (sources) the index holds a heap analysis for. */
export function heapSources(db: Database.Database): number[] {
  return (db.prepare("SELECT DISTINCT source_id FROM heap_summary ORDER BY source_id").pluck().all() as number[]);
}

export interface ReadOptions {
  model: SizeModelName;
  /** Rows of the histogram, dominator and duplicate-string lists (suspects and threads: all). */
  top: number;
}

/** A stored report, or null when the source has none for that model. */
export function readHeapReport(db: Database.Database, sourceId: number, options: ReadOptions): (HeapReport & { analysisMs: number }) | null {
  const s = db.prepare('SELECT * FROM heap_summary WHERE source_id = ? AND model = ?').get(sourceId, options.model) as SummaryRow | undefined;
  if (!s) return null;
  const summary: HeapSummary = {
    format: s.format,
    idSize: s.id_size,
    timestamp: s.taken_at,
    vm: s.vm,
    layout: s.layout,
    sizeModel: options.model,
    sizeModelDescription: s.model_description,
    objects: s.objects,
    classes: s.classes,
    shallowBytes: s.shallow_bytes,
    gcRoots: s.gc_roots,
    gcRootObjects: s.gc_root_objects,
    heapBytes: s.heap_bytes,
    unreachableObjects: s.unreachable_objects,
    unreachableShallowBytes: s.unreachable_bytes,
    unreachablePolicy: s.unreachable_policy,
    complete: s.complete === 1,
  };
  const rows = (table: string, limit: number | null) =>
    db.prepare(`SELECT * FROM ${table} WHERE source_id = ? AND model = ? ORDER BY rank${limit === null ? '' : ' LIMIT ?'}`).all(...(limit === null ? [sourceId, options.model] : [sourceId, options.model, limit])) as Record<string, unknown>[];
  return {
    analysisMs: s.analysis_ms,
    summary,
    histogram: rows('heap_histogram', options.top).map((r) => ({ class: r.class as string, classId: r.class_id as string, instances: r.instances as number, shallowBytes: r.shallow_bytes as number, retainedBytes: r.retained_bytes as number })),
    dominators: rows('heap_dominators', options.top).map((r) => ({
      objectId: r.object_id as string,
      class: r.class as string,
      ...(r.class_of === null ? {} : { classOf: r.class_of as string }),
      shallowBytes: r.shallow_bytes as number,
      retainedBytes: r.retained_bytes as number,
      gcRoot: r.gc_root === 1,
      pathFromRoot: JSON.parse(r.path as string),
    })),
    suspects: rows('heap_suspects', null).map((r) => ({
      kind: r.kind as 'object' | 'class',
      title: r.title as string,
      holder: r.holder === null ? null : JSON.parse(r.holder as string),
      objectId: r.object_id as string,
      class: r.class as string,
      instances: r.instances as number,
      retainedBytes: r.retained_bytes as number,
      percent: r.percent as number,
      accumulation: JSON.parse(r.accumulation as string),
    })),
    duplicateStrings: rows('heap_duplicate_strings', options.top).map((r) => ({
      value: r.value as string,
      count: r.count as number,
      wastedBytes: r.wasted_bytes as number,
      length: r.length as number,
      arrays: r.arrays as number,
      objectId: r.object_id as string,
    })),
    threads: rows('heap_threads', null).map((r) => ({
      name: r.name as string | null,
      objectId: r.object_id as string,
      threadSerial: r.thread_serial as number,
      stack: JSON.parse(r.stack as string),
      retainedBytes: r.retained_bytes as number,
      localsRetainedBytes: r.locals_retained_bytes as number,
      outOfMemoryError: r.out_of_memory_error === null ? null : JSON.parse(r.out_of_memory_error as string),
    })),
  };
}

interface SummaryRow {
  format: string;
  id_size: number;
  taken_at: string | null;
  vm: 'hotspot' | 'art';
  layout: string;
  model_description: string;
  objects: number;
  classes: number;
  shallow_bytes: number;
  gc_roots: number;
  gc_root_objects: number;
  heap_bytes: number;
  unreachable_objects: number;
  unreachable_bytes: number;
  unreachable_policy: string;
  complete: number;
  analysis_ms: number;
}
