// The heap domain: a heap dump's summary, class histogram, dominator tree, leak suspects, paths to
// GC roots, duplicate strings and threads, under either size model. Types only, like every
// contract: the browser bundle imports this file.

import type { PageRequest } from '../../api/wire';

export type HeapModel = 'jvm' | 'visualvm';

export interface HeapSourceInfo {
  sourceId: number;
  entry: string;
  complete: boolean;
}

export interface HeapSummaryInfo {
  sourceId: number;
  entry: string;
  model: HeapModel;
  format: string;
  idSize: number;
  /** ISO 8601; null when the dump's header holds no date. */
  takenAt: string | null;
  vm: string;
  layout: string;
  modelDescription: string;
  objects: number;
  classes: number;
  shallowBytes: number;
  gcRoots: number;
  gcRootObjects: number;
  heapBytes: number;
  unreachableObjects: number;
  unreachableBytes: number;
  unreachablePolicy: string;
  complete: boolean;
}

export type HistogramSortColumn = 'retained' | 'shallow' | 'instances' | 'class';

export interface HistogramRowInfo {
  class: string;
  classId: string;
  instances: number;
  shallowBytes: number;
  retainedBytes: number;
}

export interface HeapObjectRef {
  objectId: string;
  class: string;
  /** For a class object: the class it stands for. */
  classOf?: string;
}

export type HeapPathStep = HeapObjectRef | { elided: number };

export interface DominatorNode extends HeapObjectRef {
  shallowBytes: number;
  retainedBytes: number;
  /** Objects it immediately dominates (0: a leaf). */
  childCount: number;
  gcRoot: boolean;
}

/** The static field that holds a suspect's memory, as a MAT user names it: `com.example.Cache.MAP`. */
export interface SuspectHolder {
  /** The class declaring the field. */
  class: string;
  field: string;
  /** The object the field refers to, and what it retains. */
  objectId: string;
  objectClass: string;
  retainedBytes: number;
}

export interface SuspectInfo {
  kind: 'object' | 'class';
  title: string;
  /**
   * The deepest static field on the way from the suspect to its accumulation point (the suspect at
   * the top of the dominator tree is often the class loader that loaded the class); null when no
   * static field is on that way.
   */
  holder: SuspectHolder | null;
  objectId: string;
  class: string;
  instances: number;
  retainedBytes: number;
  /** Of the heap: the shallow bytes of all reachable objects. */
  percent: number;
  accumulation: {
    objectId: string;
    class: string;
    retainedBytes: number;
    /** For a class object, `staticField` is the static field that leads to the next step. */
    path: (HeapObjectRef & { retainedBytes: number; staticField?: string })[];
  };
}

export interface DuplicateStringInfo {
  value: string;
  count: number;
  /** Bytes the copies beyond the first take: (count − 1) Strings + (arrays − 1) value arrays. */
  wastedBytes: number;
  /** Length of the value, in characters. */
  length: number;
  /** Distinct value arrays behind the copies. */
  arrays: number;
  /** One of the copies. */
  objectId: string;
}

export interface ThreadFrameInfo {
  frame: string;
  class: string | null;
  method: string | null;
  sourceFile: string | null;
  line: number | null;
  locals: { objectId: string; class: string; retainedBytes: number }[];
}

export interface ThreadInfoRow {
  name: string | null;
  objectId: string;
  threadSerial: number;
  retainedBytes: number;
  localsRetainedBytes: number;
  stack: ThreadFrameInfo[];
  /**
   * 'thrown': the thread's stack is in OutOfMemoryError's constructor (HotSpot writes that frame for
   * the thread that ran out of memory when it dumps on the error); 'held': one of its frames holds
   * an OutOfMemoryError (with its id); null for neither.
   */
  outOfMemoryError: { how: 'thrown' | 'held'; objectId: string | null } | null;
}

type HeapReq = { caseId: string; sourceId: number; model?: HeapModel };

export interface HeapMethods {
  'heap.sources': { req: { caseId: string }; res: { sources: HeapSourceInfo[] } };
  'heap.summary': { req: HeapReq; res: HeapSummaryInfo };
  'heap.histogram': {
    req: HeapReq & { sort?: { column: HistogramSortColumn; desc?: boolean }; classContains?: string } & PageRequest;
    res: { total: number; rows: HistogramRowInfo[] };
  };
  /** Children of `parent` in the dominator tree (null: the roots of the tree), biggest first. */
  'heap.dominators': { req: HeapReq & { parent: string | null } & PageRequest; res: { total: number; rows: DominatorNode[] } };
  'heap.suspects': { req: HeapReq; res: { heapBytes: number; rows: SuspectInfo[] } };
  /** The shortest path from a GC root to the object (root first); empty when no root reaches it. */
  'heap.pathToRoot': { req: HeapReq & { objectId: string }; res: { path: HeapPathStep[] } };
  'heap.duplicateStrings': { req: HeapReq & PageRequest; res: { total: number; rows: DuplicateStringInfo[] } };
  'heap.threads': { req: HeapReq; res: { rows: ThreadInfoRow[] } };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const HEAP_METHOD_NAMES: Record<keyof HeapMethods, true> = {
  'heap.sources': true,
  'heap.summary': true,
  'heap.histogram': true,
  'heap.dominators': true,
  'heap.suspects': true,
  'heap.pathToRoot': true,
  'heap.duplicateStrings': true,
  'heap.threads': true,
};
