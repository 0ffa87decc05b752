// Builds the HeapGraph while the parser reads: one slot per object in typed arrays, references
// as object identifiers (resolved to indices once every object is known), the few fields the
// analysis needs (String values, Thread names) picked out of instance data as it streams by.
//
// Instances whose class (or a super class) is not yet dumped — Android writes some before their
// class — are kept raw until the end, within a budget; past it their references are dropped with
// a diagnostic, so memory stays bounded whatever the input.

import { DiagnosticCap, type Diagnostic } from '../../../common/diagnostics';
import { HPROF_DIAGNOSTICS } from './parser/diagnostics';
import { ROOT_KIND_ORDER, TYPE_BYTE, TYPE_CHAR, type RootKind } from './parser/constants';
import { readId } from './parser/bytes';
import type {
  ClassDumpRecord,
  HprofHandler,
  HprofHeader,
  StackFrameRecord,
  StackTraceRecord,
  StartThreadRecord,
} from './parser/records';
import { ClassTable, PRIMITIVE_ARRAY_NAMES, type InstanceLayout } from '../../analysis/heap/classes';
import { ArrayContentRecorder } from '../../analysis/heap/array-contents';
import { BlockF64, GrowF64, GrowI32, GrowU32, GrowU8 } from '../../analysis/heap/growable';
import { KIND_CLASS, KIND_INSTANCE, KIND_OBJECT_ARRAY, type HeapGraph } from '../../analysis/heap/graph';
import { HEAP_DIAGNOSTICS as D } from './diagnostics';
import { resolveGraph } from './resolve';

/** Receives the reader's diagnostics (HPROF_DIAGNOSTICS) and the builder's (HEAP_DIAGNOSTICS). */
export type DiagnosticSink = (offset: number | null, d: Diagnostic) => void;

export interface BuilderOptions {
  /** Raw bytes kept for instances whose class arrives later (default 256 MiB). */
  pendingBudget?: number;
  /** Bytes of byte[]/char[] prefixes kept for showing string values (default 64 MiB). */
  textBudget?: number;
  /** Keep which field, element or static each reference is (HeapGraph.edgeSlot): 4 bytes a reference more. */
  edgeSlots?: boolean;
}

const REPORT_LIMIT = 5;

const ROOT_KIND_INDEX = new Map<RootKind, number>(ROOT_KIND_ORDER.map((k, i) => [k, i]));

export class HeapBuilder implements HprofHandler {
  dumpHeader: HprofHeader | null = null;
  readonly strings = new Map<number, string>();
  private classTable: ClassTable | null = null;
  private idSize = 8;

  // ----- objects -----
  readonly ids = new GrowF64(1 << 16);
  readonly kind = new GrowU8(1 << 16);
  readonly classOf = new GrowI32(1 << 16);
  readonly aux = new GrowI32(1 << 16);
  /** Where each object's references start in `edgeIds`; pushed as the object is created. */
  readonly edgeStart = new GrowU32(1 << 16);
  readonly edgeIds = new BlockF64();
  /** References of instances decoded late (their class came after them). */
  readonly lateFrom = new GrowI32();
  readonly lateTo = new GrowF64();
  /** With BuilderOptions.edgeSlots: the slot of each reference in edgeIds, and of each late one. */
  readonly edgeSlots: GrowI32 | null;
  readonly lateSlots: GrowI32 | null;
  /** Elements of the object array being read so far (its elements come in chunks). */
  private arrayElements = 0;
  readonly weakFrom = new GrowI32();
  readonly weakTo = new GrowF64();

  // ----- roots, strings, threads -----
  readonly rootKind = new GrowU8();
  readonly rootId = new GrowF64();
  readonly rootThread = new GrowI32();
  readonly rootFrame = new GrowI32();
  readonly stringNode = new GrowI32();
  readonly stringValue = new GrowF64();
  readonly stringCoder = new GrowI32();
  readonly stringOffset = new GrowI32();
  readonly stringCount = new GrowI32();
  readonly threadNames = new Map<number, number>();
  readonly frames = new Map<number, StackFrameRecord>();
  readonly traces = new Map<number, StackTraceRecord>();
  readonly startThreads: StartThreadRecord[] = [];
  readonly androidHeaps: string[] = [];
  markedUnreachable = 0;

  // ----- byte[] / char[] contents -----
  readonly contents: ArrayContentRecorder;

  // ----- instances waiting for their class -----
  private readonly pendingBudget: number;
  readonly pendingNode = new GrowI32();
  readonly pendingClass = new GrowI32();
  readonly pendingStart = new GrowU32();
  readonly pendingLength = new GrowU32();
  readonly pendingBytes = new GrowU8();
  private pendingDropped = 0;

  private lastClassId = -1;
  private lastClassIndex = -1;
  private readonly diagnose: DiagnosticSink;
  /** The first few of each kind of problem, then a count (finishReports). */
  private readonly faults: DiagnosticCap;

  constructor(diagnose: DiagnosticSink, options: BuilderOptions = {}) {
    this.diagnose = diagnose;
    this.faults = new DiagnosticCap(REPORT_LIMIT, diagnose);
    this.pendingBudget = options.pendingBudget ?? 256 << 20;
    this.contents = new ArrayContentRecorder(options.textBudget ?? 64 << 20);
    this.edgeSlots = options.edgeSlots ? new GrowI32(1 << 16) : null;
    this.lateSlots = options.edgeSlots ? new GrowI32() : null;
  }

  get classes(): ClassTable {
    if (!this.classTable) this.classTable = new ClassTable(this.strings, this.idSize);
    return this.classTable;
  }

  get objectCount(): number {
    return this.ids.length;
  }

  /** After resolving: how many of each kind of problem were counted but not listed. */
  finishReports(): void {
    for (const [kind, count] of this.faults.drainUnlisted()) this.diagnose(null, HPROF_DIAGNOSTICS.emit('more-not-listed', { count, kind }));
  }

  // ----- HprofHandler -----

  diagnostic(offset: number, d: Diagnostic): void {
    this.diagnose(offset, d);
  }

  header(h: HprofHeader): void {
    this.dumpHeader = h;
    this.idSize = h.idSize;
    this.classTable = new ClassTable(this.strings, h.idSize);
  }

  string(id: number, text: string): void {
    this.strings.set(id, text);
  }

  loadClass(classSerial: number, classId: number, _stackTraceSerial: number, nameId: number): void {
    this.classes.loadClass(classSerial, classId, nameId);
  }

  stackFrame(frame: StackFrameRecord): void {
    this.frames.set(frame.frameId, frame);
  }

  stackTrace(trace: StackTraceRecord): void {
    this.traces.set(trace.serial, trace);
  }

  startThread(record: StartThreadRecord): void {
    this.startThreads.push(record);
  }

  heapDumpInfo(_heapType: number, nameId: number): void {
    const name = this.strings.get(nameId) ?? `heap ${nameId}`;
    if (!this.androidHeaps.includes(name)) this.androidHeaps.push(name);
  }

  unreachable(): void {
    this.markedUnreachable++;
  }

  root(kind: RootKind, objectId: number, threadSerial: number, frame: number): void {
    this.rootKind.push(ROOT_KIND_INDEX.get(kind)!);
    this.rootId.push(objectId);
    this.rootThread.push(threadSerial);
    this.rootFrame.push(frame);
  }

  classDump(record: ClassDumpRecord, offset: number): void {
    this.finishArray();
    const node = this.pushNode(record.classId, KIND_CLASS, -1, 0);
    if (!this.classes.classDump(record, node)) {
      this.faults.report('class dumped twice', offset, () => D.emit('class-dumped-twice', { classId: `0x${record.classId.toString(16)}`, offset }));
    }
    const index = this.classes.find(record.classId);
    this.aux.data[node] = index;
    // VisualVM's order: object statics as written, then the class loader.
    record.statics.forEach((field, i) => {
      if (field.type !== 2 || field.value === 0) return;
      this.edgeIds.push(field.value);
      this.edgeSlots?.push(i);
    });
    if (record.loaderId !== 0) {
      this.edgeIds.push(record.loaderId);
      this.edgeSlots?.push(-1);
    }
  }

  instanceDump(id: number, _serial: number, classId: number, buf: Uint8Array, start: number, length: number, offset: number): void {
    this.finishArray();
    // Instances of one class often come in runs: skip the map lookup for a repeat.
    const classIndex = classId === this.lastClassId ? this.lastClassIndex : this.classes.indexOf(classId);
    this.lastClassId = classId;
    this.lastClassIndex = classIndex;
    const node = this.pushNode(id, KIND_INSTANCE, classIndex, length);
    const layout = this.classes.layout(classIndex, false);
    if (layout) this.decodeInstance(node, classIndex, layout, buf, start, length, offset, false);
    else this.keepPending(node, classIndex, buf, start, length, offset);
  }

  objectArrayDump(id: number, _serial: number, length: number, arrayClassId: number): void {
    this.finishArray();
    this.pushNode(id, KIND_OBJECT_ARRAY, this.classes.indexOf(arrayClassId), length);
    this.arrayElements = 0;
  }

  objectArrayElements(buf: Uint8Array, start: number, count: number): void {
    const idSize = this.idSize;
    const edges = this.edgeIds;
    const slots = this.edgeSlots;
    for (let i = 0, p = start; i < count; i++, p += idSize) {
      const target = idSize === 4 ? ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0 : readId(buf, p, 8);
      if (target !== 0) {
        edges.push(target);
        slots?.push(this.arrayElements + i);
      }
    }
    this.arrayElements += count;
  }

  primitiveArrayDump(id: number, _serial: number, elementType: number, length: number, hasData: boolean): void {
    this.finishArray();
    const node = this.pushNode(id, elementType, -1, length);
    if (hasData && (elementType === TYPE_BYTE || elementType === TYPE_CHAR)) this.contents.begin(node, elementType, length, elementType === TYPE_CHAR ? 2 : 1);
  }

  primitiveArrayData(buf: Uint8Array, start: number, byteLength: number): void {
    this.contents.data(buf, start, byteLength);
  }

  // ----- internals -----

  private pushNode(id: number, kind: number, classIndex: number, aux: number): number {
    const node = this.ids.length;
    this.ids.push(id);
    this.kind.push(kind);
    this.classOf.push(classIndex);
    this.aux.push(aux);
    this.edgeStart.push(this.edgeIds.length);
    return node;
  }

  /** Closes the byte[]/char[] being hashed (also one cut short by the end of the dump). */
  finishArray(): void {
    this.contents.finish();
  }

  private keepPending(node: number, classIndex: number, buf: Uint8Array, start: number, length: number, offset: number): void {
    if (this.pendingBytes.length + length > this.pendingBudget) {
      this.pendingDropped++;
      this.faults.report('instance references dropped', offset, () => D.emit('pending-budget-used', { offset, budgetMiB: this.pendingBudget >> 20 }));
      return;
    }
    this.pendingNode.push(node);
    this.pendingClass.push(classIndex);
    this.pendingStart.push(this.pendingBytes.length);
    this.pendingLength.push(length);
    this.pendingBytes.append(buf, start, length);
  }

  /** Decodes what the analysis needs from an instance's field values. */
  decodeInstance(node: number, classIndex: number, layout: InstanceLayout, buf: Uint8Array, start: number, length: number, offset: number | null, late: boolean): void {
    const idSize = this.idSize;
    if (layout.complete && length !== layout.dataLength) {
      this.faults.report(
        'instance size mismatch',
        offset,
        () => D.emit('instance-size-mismatch', {
          id: `0x${this.ids.data[node]!.toString(16)}`,
          className: this.classes.nameOf(classIndex) || 'an unnamed class',
          at: offset === null ? '' : ` at offset ${offset}`,
          expected: layout.dataLength,
          length,
        }),
      );
    } else if (!layout.complete) {
      this.faults.report('instance of class with missing super class', offset, () => D.emit('missing-super-class', { className: this.classes.nameOf(classIndex) || 'an unnamed class' }));
    }
    const limit = start + length - idSize;
    const offsets = layout.refOffsets;
    for (let i = 0; i < offsets.length; i++) {
      const p = start + offsets[i]!;
      if (p > limit) continue;
      const target = readId(buf, p, idSize);
      if (target === 0) continue;
      if (late) {
        this.lateFrom.push(node);
        this.lateTo.push(target);
        this.lateSlots?.push(i);
      } else {
        this.edgeIds.push(target);
        this.edgeSlots?.push(i);
      }
    }
    if (layout.referent >= 0 && start + layout.referent <= limit) {
      const target = readId(buf, start + layout.referent, idSize);
      if (target !== 0) {
        this.weakFrom.push(node);
        this.weakTo.push(target);
      }
    }
    if (layout.isString && layout.stringValue >= 0 && start + layout.stringValue <= limit) {
      this.stringNode.push(node);
      this.stringValue.push(readId(buf, start + layout.stringValue, idSize));
      this.stringCoder.push(layout.stringCoder >= 0 && start + layout.stringCoder < start + length ? buf[start + layout.stringCoder]! : -1);
      this.stringOffset.push(layout.stringOffset >= 0 && start + layout.stringOffset + 4 <= start + length ? readInt(buf, start + layout.stringOffset) : -1);
      this.stringCount.push(layout.stringCount >= 0 && start + layout.stringCount + 4 <= start + length ? readInt(buf, start + layout.stringCount) : -1);
    }
    if (layout.threadName >= 0 && start + layout.threadName <= limit) {
      const name = readId(buf, start + layout.threadName, idSize);
      if (name !== 0) this.threadNames.set(node, name);
    }
  }

  /** Decodes the instances that came before their class (now that every class is known). */
  decodePending(): void {
    const classes = this.classes;
    const bytes = this.pendingBytes.data;
    for (let i = 0; i < this.pendingNode.length; i++) {
      const node = this.pendingNode.data[i]!;
      const classIndex = this.pendingClass.data[i]!;
      const cls = classes.classes[classIndex]!;
      if (!cls.dumped) {
        this.faults.report(
          'instance of a class that is not dumped',
          null,
          () => D.emit('class-not-dumped', {
            id: `0x${this.ids.data[node]!.toString(16)}`,
            classId: `0x${cls.id.toString(16)}`,
            className: classes.nameOf(classIndex) ? ` (${classes.nameOf(classIndex)})` : '',
          }),
        );
        continue;
      }
      const layout = classes.layout(classIndex, true)!;
      this.decodeInstance(node, classIndex, layout, bytes, this.pendingStart.data[i]!, this.pendingLength.data[i]!, null, true);
    }
    if (this.pendingDropped > 0) this.diagnose(null, D.emit('pending-dropped', { count: this.pendingDropped, budgetMiB: this.pendingBudget >> 20 }));
    this.pendingBytes.finish();
  }

  /** Primitive array classes by element type, creating a synthetic class where the dump has none. */
  primitiveArrayClass(type: number): number {
    const classes = this.classes;
    const wanted = PRIMITIVE_ARRAY_NAMES[type]!;
    for (const cls of classes.classes) if (classes.nameOf(cls.index) === wanted) return cls.index;
    // A synthetic id that no object can have (ids are addresses, never this small and odd).
    const index = classes.indexOf(-type);
    classes.classes[index]!.name = wanted;
    return index;
  }

  /** Everything read, as a graph with resolved references. */
  finish(complete: boolean): HeapGraph {
    this.finishArray();
    if (!this.dumpHeader) throw new Error('HeapBuilder.finish before a header');
    return resolveGraph(this, this.dumpHeader, complete);
  }
}

function readInt(b: Uint8Array, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}
