// What the HPROF parser hands out. Rare records (strings, classes, frames, threads) come as small
// objects; the millions of heap objects come as calls with numbers and views into the parser's
// buffer, so that reading a dump allocates nothing per object.
//
// Identifiers are JavaScript numbers: exact up to 2^53, which covers every object address a 64-bit
// JVM hands out (user space is below 2^48). A larger identifier is reported once (see stream.ts).

import type { Diagnostic } from '../../../../common/diagnostics';
import type { RootKind } from './constants';

export interface HprofHeader {
  /** "JAVA PROFILE 1.0.2" */
  version: string;
  idSize: 4 | 8;
  /** Milliseconds since 1970; null when the header's value is no date (a diagnostic says so). */
  timestampMs: number | null;
  /** Bytes of the header itself (the first record starts here). */
  length: number;
}

export interface StackFrameRecord {
  frameId: number;
  methodNameId: number;
  signatureId: number;
  sourceFileId: number;
  classSerial: number;
  /** > 0 a line number, 0 none, -1 unknown, -2 compiled, -3 native. */
  line: number;
}

export interface StackTraceRecord {
  serial: number;
  threadSerial: number;
  frameIds: number[];
}

export interface StartThreadRecord {
  threadSerial: number;
  threadObjectId: number;
  stackTraceSerial: number;
  nameId: number;
  groupNameId: number;
  groupParentNameId: number;
}

export interface HeapSummaryRecord {
  liveBytes: number;
  liveInstances: number;
  allocatedBytes: number;
  allocatedInstances: number;
}

export interface AllocSitesRecord {
  flags: number;
  cutoffRatio: number;
  liveBytes: number;
  liveInstances: number;
  allocatedBytes: number;
  allocatedInstances: number;
  sites: { isArray: number; classSerial: number; stackTraceSerial: number; liveBytes: number; liveInstances: number; allocatedBytes: number; allocatedInstances: number }[];
}

export interface CpuSamplesRecord {
  totalSamples: number;
  traces: { samples: number; stackTraceSerial: number }[];
}

export interface FieldDescriptor {
  nameId: number;
  type: number;
}

export interface StaticFieldValue extends FieldDescriptor {
  /** The value: an identifier for object fields, the number for primitives (longs may round above 2^53). */
  value: number;
}

export interface ClassDumpRecord {
  classId: number;
  stackTraceSerial: number;
  superId: number;
  loaderId: number;
  signersId: number;
  protectionDomainId: number;
  /** Instance size in bytes as the VM wrote it (HotSpot: the dumped fields; ART: the object size). */
  instanceSize: number;
  constantPool: { index: number; type: number; value: number }[];
  statics: StaticFieldValue[];
  /** This class's own instance fields, in the order their values appear in an instance dump. */
  fields: FieldDescriptor[];
}

/**
 * Receives a dump as it is read. Every method is optional except `diagnostic`. Buffers handed to a
 * method are only valid during the call.
 */
export interface HprofHandler {
  /**
   * A code of HPROF_DIAGNOSTICS (core/formats/hprof/parser/diagnostics.ts): something found wrong
   * that the reading went on past. The fault that ends the reading is the result's `stop` instead.
   */
  diagnostic(offset: number, d: Diagnostic): void;
  header?(header: HprofHeader): void;
  string?(id: number, text: string): void;
  loadClass?(classSerial: number, classId: number, stackTraceSerial: number, nameId: number): void;
  unloadClass?(classSerial: number): void;
  stackFrame?(frame: StackFrameRecord): void;
  stackTrace?(trace: StackTraceRecord): void;
  allocSites?(record: AllocSitesRecord): void;
  heapSummary?(record: HeapSummaryRecord): void;
  startThread?(record: StartThreadRecord): void;
  endThread?(threadSerial: number): void;
  cpuSamples?(record: CpuSamplesRecord): void;
  controlSettings?(flags: number, stackTraceDepth: number): void;
  /** A HEAP DUMP or HEAP DUMP SEGMENT record begins (its sub-records follow). */
  heapDumpRecord?(tag: number, offset: number, length: number): void;
  heapDumpEnd?(offset: number): void;

  /**
   * A GC root. `threadSerial` and `frame` are -1 when the kind has none; for JNI globals `frame`
   * carries nothing and `jniGlobalRefId` the reference's own id.
   */
  root?(kind: RootKind, objectId: number, threadSerial: number, frame: number, offset: number, jniGlobalRefId: number): void;
  /** Android: the heap (app, zygote, image) the following objects live in. */
  heapDumpInfo?(heapType: number, nameId: number, offset: number): void;
  /** Android's obsolete UNREACHABLE marker: the object is known not to be reachable. */
  unreachable?(objectId: number, offset: number): void;
  classDump?(record: ClassDumpRecord, offset: number): void;
  /** An instance; its field values are `buf[start .. start + length)`, this class's fields first, then its super class's. */
  instanceDump?(id: number, stackTraceSerial: number, classId: number, buf: Uint8Array, start: number, length: number, offset: number): void;
  /** An object array; its elements follow in one or more `objectArrayElements` calls. */
  objectArrayDump?(id: number, stackTraceSerial: number, length: number, arrayClassId: number, offset: number): void;
  /** `count` element identifiers at `buf[start ..]`, each idSize bytes. */
  objectArrayElements?(buf: Uint8Array, start: number, count: number): void;
  /**
   * A primitive array; unless `hasData` is false (Android's PRIMITIVE ARRAY NODATA), its bytes follow
   * in one or more `primitiveArrayData` calls, each a whole number of elements.
   */
  primitiveArrayDump?(id: number, stackTraceSerial: number, elementType: number, length: number, hasData: boolean, offset: number): void;
  primitiveArrayData?(buf: Uint8Array, start: number, byteLength: number): void;
}

/** Where and why the reading stopped early: a code of HPROF_DIAGNOSTICS, its offset in the dump. */
export interface HprofStop {
  offset: number;
  diagnostic: Diagnostic;
}

/** How a read ended, and what it saw. */
export interface HprofReadResult {
  header: HprofHeader | null;
  /** Uncompressed bytes consumed. */
  bytesRead: number;
  /** False when the dump ends inside a record (cut short) or a fault stopped the read. */
  complete: boolean;
  /**
   * The fault that ended the reading before the end of the dump (a cut, a header that cannot be
   * read), null when it was read to its end. Handed back rather than reported as one diagnostic
   * among others: the caller says what it means for the dump (the ingest makes it the source's
   * one-line error, with this offset).
   */
  stop: HprofStop | null;
  /** Per top-level tag: records and body bytes (the numbers `hprof` header oracles list). */
  records: Map<number, { count: number; bodyBytes: number }>;
  /** Per heap sub-record tag: how many were read. */
  subRecords: Map<number, number>;
}
