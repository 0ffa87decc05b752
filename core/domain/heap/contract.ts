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

/**
 * A step of a path from a GC root. `field` names the reference from the step before: an instance
 * field (`next`), an array element (`[12]`), a class's static (`static CACHE`), `<classloader>`, or
 * `<class>` (an instance's class); absent on the root and on paths stored at ingest.
 */
export type HeapPathStep = (HeapObjectRef & { field?: string }) | { elided: number };

/** What makes an object a GC root, as Eclipse MAT names it. */
export interface GcRootInfo {
  /** 'java-frame', 'jni-global', 'jni-local', 'sticky-class', 'thread-object', 'monitor-used', … */
  kind: string;
  /** In words: "Java frame of thread worker-0 at com.example.leak.LeakApp.work(LeakApp.java:49)", "JNI global", "system class (sticky class)". */
  label: string;
  /** The thread holding it (Java frame, JNI local, native stack, thread block, the thread itself). */
  thread: string | null;
  /** The frame holding it, as jstack prints it (Java frame, JNI local). */
  frame: string | null;
  /** Every kind of root record naming the object (it is described by the first). */
  kinds: string[];
}

/** An object with its sizes. */
export interface HeapObjectInfo extends HeapObjectRef {
  shallowBytes: number;
  retainedBytes: number;
  /** What makes it a GC root; null for an object that is none. */
  root: GcRootInfo | null;
}

/** One node of the merged shortest paths from GC roots to a class's instances. */
export interface MergedPathNode extends HeapObjectRef {
  /** The reference from its parent in the tree (null at a root). */
  field: string | null;
  /** At the top level: what makes it a GC root. */
  root: GcRootInfo | null;
  /** Instances of the class whose shortest path from a root goes through it (itself included). */
  instances: number;
  /** Their shallow bytes. */
  instancesShallowBytes: number;
  shallowBytes: number;
  retainedBytes: number;
  /** Objects under it on those paths (0: an instance at the end of its path). */
  childCount: number;
}

/** A reference of an object, to it (incoming) or from it (outgoing). */
export interface HeapReferenceRow extends HeapObjectRef {
  /** The field, element or static: of this row's object for incoming, of the object asked about for outgoing. */
  field: string;
  shallowBytes: number;
  retainedBytes: number;
}

/** The objects of one class at one level of the dominator tree. */
export interface DominatorClassGroup {
  class: string;
  /** The class object's id: the next step of a class path. */
  classId: string;
  objects: number;
  shallowBytes: number;
  retainedBytes: number;
  /** Objects of the group that dominate anything (0: the group cannot be opened). */
  withChildren: number;
}

export interface HeapInstanceRow extends HeapObjectRef {
  shallowBytes: number;
  retainedBytes: number;
}

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
  /**
   * The shortest path from a GC root to the object (root first), the field at every step, and what
   * makes its first step a root; empty (and root null) when no root reaches it.
   */
  'heap.pathToRoot': { req: HeapReq & { objectId: string }; res: { path: HeapPathStep[]; root: GcRootInfo | null } };
  /**
   * Eclipse MAT's "Merge Shortest Paths to GC Roots" for a class (its class object's id): the
   * objects under `parent` (null: the GC roots) on the shortest paths to its instances, most
   * instances first, a page at a time (at most 500 rows).
   */
  'heap.mergedPaths': {
    req: HeapReq & { classId: string; parent: string | null } & PageRequest;
    res: { class: string; instances: number; reachedInstances: number; total: number; rows: MergedPathNode[] };
  };
  /** An object's references: those it holds (outgoing) or those that point at it (incoming), a page at a time. */
  'heap.references': {
    req: HeapReq & { objectId: string; direction: 'outgoing' | 'incoming' } & PageRequest;
    res: { object: HeapObjectInfo; total: number; rows: HeapReferenceRow[] };
  };
  /** The instances of a class (its class object's id), biggest retained size first, a page at a time. */
  'heap.instances': { req: HeapReq & { classId: string } & PageRequest; res: { class: string; total: number; rows: HeapInstanceRow[] } };
  /**
   * The dominator tree grouped by class (MAT's "Group by class"): the groups of the level a class
   * path names ([]: the top; [C]: what the top-level objects of class C immediately dominate; …).
   */
  'heap.dominatorsByClass': { req: HeapReq & { classPath: string[] } & PageRequest; res: { total: number; rows: DominatorClassGroup[] } };
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
  'heap.mergedPaths': true,
  'heap.references': true,
  'heap.instances': true,
  'heap.dominatorsByClass': true,
  'heap.duplicateStrings': true,
  'heap.threads': true,
};
