// The heap as compact typed arrays: one slot per object (instances, arrays and the class objects
// themselves), references as a CSR adjacency list. Millions of objects cost tens of bytes each,
// and no analysis ever builds a JS object per heap object.

import type { HprofHeader, StackFrameRecord, StackTraceRecord, StartThreadRecord, StaticFieldValue, FieldDescriptor } from '../../formats/hprof/parser/records';

/** kind[] values; 4..11 are primitive arrays, the value being the element's basic type. */
export const KIND_INSTANCE = 0;
export const KIND_OBJECT_ARRAY = 1;
export const KIND_CLASS = 2;
export const KIND_PRIMITIVE_ARRAY_MIN = 4;

export function isPrimitiveArrayKind(kind: number): boolean {
  return kind >= KIND_PRIMITIVE_ARRAY_MIN;
}

export interface HeapClass {
  index: number;
  /** The class object's identifier. */
  id: number;
  /** Java name: "java.lang.String", "byte[]", "java.lang.Object[][]". */
  name: string;
  /** A CLASS DUMP was read for it (else it is only named by LOAD CLASS or referenced). */
  dumped: boolean;
  superId: number;
  /** Index of the super class, -1 for none or when the super class is missing from the dump. */
  superIndex: number;
  loaderId: number;
  /** The instance size the VM wrote (HotSpot: bytes of dumped fields; ART: the object's size). */
  rawInstanceSize: number;
  statics: StaticFieldValue[];
  /** Own instance fields, in dump order. */
  fields: FieldDescriptor[];
  /** The class object's node, -1 without a CLASS DUMP. */
  node: number;
  /** LOAD CLASS serial number, -1 if none. */
  serial: number;
}

export interface HeapRoots {
  count: number;
  /** Index into ROOT_KIND_ORDER. */
  kind: Uint8Array;
  /** The object's node, -1 when the id is not in the dump. */
  node: Int32Array;
  /** The object id as written (kept for reporting roots that point nowhere). */
  id: Float64Array;
  threadSerial: Int32Array;
  /** Frame number (java-frame, jni-local) or stack trace serial (thread-object); -1 if none. */
  frame: Int32Array;
}

/** Strings, for duplicate detection and for reading names (thread names). */
export interface HeapStrings {
  count: number;
  node: Int32Array;
  /** The value array's node, -1 if null or missing. */
  value: Int32Array;
  /** JDK 9+ coder: 0 Latin-1, 1 UTF-16; -1 when the class has no coder (JDK 8 and older: char[]). */
  coder: Int8Array;
  /** JDK 6 offset/count fields, -1 when absent. */
  offset: Int32Array;
  length: Int32Array;
}

/** byte[] and char[] contents: a 64-bit hash of every array, and the first bytes of many. */
export interface ArrayContents {
  count: number;
  node: Int32Array;
  hashHi: Uint32Array;
  hashLo: Uint32Array;
  /** Start of the kept prefix in `text`, -1 when none was kept (the budget ran out). */
  textStart: Int32Array;
  textLength: Int32Array;
  text: Uint8Array;
}

export interface HeapGraph {
  header: HprofHeader;
  /** HPROF UTF8 records. */
  strings: Map<number, string>;
  classes: HeapClass[];
  /** Index of java.lang.Class, -1 if the dump has no such class. */
  javaLangClass: number;
  /** Index of java.lang.Object, -1 if none. */
  javaLangObject: number;
  nodeCount: number;
  ids: Float64Array;
  kind: Uint8Array;
  /** Class index of each object (java.lang.Class for class objects); -1 when its class is missing. */
  classOf: Int32Array;
  /** Arrays: length; instances: bytes of field values; class objects: class index. */
  aux: Int32Array;
  /** CSR: the strong references of node i are edges[edgeStart[i] .. edgeStart[i+1]), in field/element order. */
  edgeStart: Uint32Array;
  edges: Int32Array;
  /**
   * Which field, element or static each reference of `edges` is (read with BuilderOptions.edgeSlots
   * only: the heap view's paths and references name them; the ingest's analysis does not need them):
   * instances, an index into their class's `refFieldNames`; object arrays, the element's index;
   * class objects, an index into `statics`, -1 for the class loader.
   */
  edgeSlot?: Int32Array;
  /** Per class, the names of its instances' strong reference fields in slot order (with edgeSlot). */
  refFieldNames?: (readonly string[] | null)[];
  /** Referents of Weak/Soft/Final/Phantom references: they keep nothing alive. */
  weak: WeakRefs;
  roots: HeapRoots;
  stringObjects: HeapStrings;
  /** Thread instance node → node of its `name` (a String, or a char[] before JDK 7). */
  threadNames: Map<number, number>;
  arrays: ArrayContents;
  frames: Map<number, StackFrameRecord>;
  traces: Map<number, StackTraceRecord>;
  /** LOAD CLASS serial → class index. */
  classBySerial: Map<number, number>;
  startThreads: StartThreadRecord[];
  /** Android heap name per object is not kept; the heaps seen are. */
  androidHeaps: string[];
  /** The dump was read to its end without a fault. */
  complete: boolean;
  /** Objects marked UNREACHABLE by the VM (Android's obsolete marker). */
  markedUnreachable: number;
}

/** Weak references (referent fields), sorted by the reference object. */
export class WeakRefs {
  constructor(
    readonly from: Int32Array,
    readonly to: Int32Array,
  ) {}

  get count(): number {
    return this.from.length;
  }

  /** The first index of `node`'s referents in from/to, or -1. */
  first(node: number): number {
    const from = this.from;
    let lo = 0;
    let hi = from.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (from[mid]! < node) lo = mid + 1;
      else hi = mid;
    }
    return lo < from.length && from[lo] === node ? lo : -1;
  }

  /** One past the last index of the run of `node` starting at `first`. */
  end(first: number): number {
    const from = this.from;
    const node = from[first]!;
    let i = first + 1;
    while (i < from.length && from[i] === node) i++;
    return i;
  }

  static sorted(from: ArrayLike<number>, to: ArrayLike<number>): WeakRefs {
    const order = Array.from({ length: from.length }, (_, i) => i).sort((a, b) => from[a]! - from[b]! || a - b);
    return new WeakRefs(Int32Array.from(order, (i) => from[i]!), Int32Array.from(order, (i) => to[i]!));
  }
}

/** "0x1a2b" */
export function hexId(id: number): string {
  return `0x${id.toString(16)}`;
}
