// The tables of Java heap dumps (HPROF). The object graph itself is not stored — millions of rows
// nobody reads one by one; what is stored is what the UI and the report show: the classes, and per
// size model (docs/heap.md) the summary, the class histogram, the objects with the largest retained
// sizes, leak suspects, duplicate strings and threads. Ids are HPROF object ids as "0x…" text; JSON
// columns hold small nested lists (a path from a GC root, a stack trace).

import type { ColumnDeclaration, TableDeclaration } from '../../../index/schema/declaration';

const SOURCE: ColumnDeclaration = ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the heap dump'];
const MODEL: ColumnDeclaration = ['model', 'TEXT NOT NULL', "the size model: 'jvm' or 'visualvm'"];
/** The key of every per-model list: its rows in rank order. */
const BY_RANK = ['PRIMARY KEY (source_id, model, rank)'];

/** One row per heap dump and size model ('jvm': the VM's own object sizes; 'visualvm': VisualVM's). */
const heapSummary: TableDeclaration = {
  name: 'heap_summary',
  columns: [
    SOURCE,
    ['model', "TEXT NOT NULL CHECK (model IN ('jvm', 'visualvm'))", 'the size model'],
    ['format', 'TEXT NOT NULL', '"JAVA PROFILE 1.0.2"'],
    ['id_size', 'INTEGER NOT NULL', 'bytes per object id: 4 or 8'],
    ['taken_at', 'TEXT', "the header's timestamp, ISO 8601; null when the header's value is no date"],
    ['vm', "TEXT NOT NULL CHECK (vm IN ('hotspot', 'art'))", 'the VM that wrote it'],
    ['layout', 'TEXT NOT NULL', 'the object layout inferred, and why'],
    ['model_description', 'TEXT NOT NULL', 'the size model in words'],
    ['objects', 'INTEGER NOT NULL', 'histogram instances in all'],
    ['classes', 'INTEGER NOT NULL', 'classes dumped'],
    ['shallow_bytes', 'INTEGER NOT NULL', 'histogram bytes in all'],
    ['gc_roots', 'INTEGER NOT NULL', 'GC root records'],
    ['gc_root_objects', 'INTEGER NOT NULL', 'distinct objects they name'],
    ['heap_bytes', 'INTEGER NOT NULL', "reachable objects' shallow bytes: the base of percentages"],
    ['unreachable_objects', 'INTEGER NOT NULL', 'objects no GC root reaches'],
    ['unreachable_bytes', 'INTEGER NOT NULL', 'their shallow bytes'],
    ['unreachable_policy', 'TEXT NOT NULL', 'how they are counted, in words'],
    ['complete', 'INTEGER NOT NULL', '0 when the dump was cut short'],
    ['analysis_ms', 'REAL NOT NULL', 'time the analysis took'],
  ],
  constraints: ['PRIMARY KEY (source_id, model)'],
};

/** Every class the dump names (model-independent). */
const heapClasses: TableDeclaration = {
  name: 'heap_classes',
  columns: [
    SOURCE,
    ['class_index', 'INTEGER NOT NULL', 'the class, in the order the dump names them'],
    ['class_id', 'TEXT NOT NULL', 'the class object\'s id, "0x…"'],
    ['name', 'TEXT NOT NULL', 'java.lang.String, byte[]'],
    ['super_id', 'TEXT', 'NULL for java.lang.Object'],
    ['loader_id', 'TEXT', 'NULL for the boot loader'],
    ['dumped', 'INTEGER NOT NULL', '0: only named (LOAD CLASS) or referenced'],
    ['instance_fields', 'INTEGER NOT NULL', 'fields per instance'],
    ['static_fields', 'INTEGER NOT NULL', 'static fields'],
  ],
  constraints: ['PRIMARY KEY (source_id, class_index)'],
};

const heapHistogram: TableDeclaration = {
  name: 'heap_histogram',
  columns: [
    SOURCE,
    MODEL,
    ['rank', 'INTEGER NOT NULL', 'by shallow bytes, largest first'],
    ['class', 'TEXT NOT NULL', "the class's name"],
    ['class_id', 'TEXT NOT NULL', 'the class object\'s id, "0x…"'],
    ['instances', 'INTEGER NOT NULL', 'its instances'],
    ['shallow_bytes', 'INTEGER NOT NULL', 'their own bytes'],
    ['retained_bytes', 'INTEGER NOT NULL', 'sum over instances no instance of the same class dominates'],
  ],
  constraints: BY_RANK,
};

/**
 * The objects with the largest retained sizes (top of the dominator tree's weight), with the
 * shortest path from a GC root.
 */
const heapDominators: TableDeclaration = {
  name: 'heap_dominators',
  columns: [
    SOURCE,
    MODEL,
    ['rank', 'INTEGER NOT NULL', 'by retained bytes, largest first'],
    ['object_id', 'TEXT NOT NULL', 'the object'],
    ['class', 'TEXT NOT NULL', 'its class'],
    ['class_of', 'TEXT', 'for a class object: the class it stands for'],
    ['shallow_bytes', 'INTEGER NOT NULL', 'its own bytes'],
    ['retained_bytes', 'INTEGER NOT NULL', 'the bytes freed with it'],
    ['gc_root', 'INTEGER NOT NULL', '1: a GC root itself'],
    ['path', 'TEXT NOT NULL', 'JSON: [{objectId, class}] root first, or {elided: n}'],
  ],
  constraints: BY_RANK,
};

const heapSuspects: TableDeclaration = {
  name: 'heap_suspects',
  columns: [
    SOURCE,
    MODEL,
    ['rank', 'INTEGER NOT NULL', 'by retained bytes, largest first'],
    ['kind', "TEXT NOT NULL CHECK (kind IN ('object', 'class'))", 'one big object, or many of a class'],
    ['title', 'TEXT NOT NULL', 'the suspect in words'],
    ['holder', 'TEXT', 'JSON: {class, field, objectId, objectClass, retainedBytes}, the static field holding it; null for none'],
    ['object_id', 'TEXT NOT NULL', 'the object (for a class: the class object)'],
    ['class', 'TEXT NOT NULL', 'its class'],
    ['instances', 'INTEGER NOT NULL', 'for a class: the instances that add up'],
    ['retained_bytes', 'INTEGER NOT NULL', 'the bytes it holds'],
    ['percent', 'REAL NOT NULL', 'of heap_bytes'],
    ['accumulation', 'TEXT NOT NULL', 'JSON: {objectId, class, retainedBytes, path}'],
  ],
  constraints: BY_RANK,
};

const heapDuplicateStrings: TableDeclaration = {
  name: 'heap_duplicate_strings',
  columns: [
    SOURCE,
    MODEL,
    ['rank', 'INTEGER NOT NULL', 'by wasted bytes'],
    ['value', 'TEXT NOT NULL', 'at most 120 characters, "…" when cut'],
    ['count', 'INTEGER NOT NULL', 'copies'],
    ['wasted_bytes', 'INTEGER NOT NULL', 'bytes all copies but one take'],
    ['length', 'INTEGER NOT NULL', 'of the value, in characters'],
    ['arrays', 'INTEGER NOT NULL', 'distinct value arrays behind the copies'],
    ['object_id', 'TEXT NOT NULL', 'one of the copies'],
  ],
  constraints: BY_RANK,
};

const heapThreads: TableDeclaration = {
  name: 'heap_threads',
  columns: [
    SOURCE,
    MODEL,
    ['rank', 'INTEGER NOT NULL', "in the dump's order"],
    ['thread_serial', 'INTEGER NOT NULL', "the dump's thread serial number"],
    ['object_id', 'TEXT NOT NULL', 'the Thread object'],
    ['name', 'TEXT', "the thread's name"],
    ['stack', 'TEXT NOT NULL', 'JSON: [{frame, class, method, sourceFile, line, locals}]'],
    ['retained_bytes', 'INTEGER NOT NULL', 'by the Thread object'],
    ['locals_retained_bytes', 'INTEGER NOT NULL', "by its stack's local variables"],
    ['out_of_memory_error', 'TEXT', "JSON {how: 'thrown' | 'held', objectId}: the OutOfMemoryError thrown in or held by the thread; null for none"],
  ],
  constraints: BY_RANK,
};

export const HPROF_TABLES: readonly TableDeclaration[] = [heapSummary, heapClasses, heapHistogram, heapDominators, heapSuspects, heapDuplicateStrings, heapThreads];
