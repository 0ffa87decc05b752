// Shallow sizes, in two models (docs/heap.md):
//   jvm       what the VM's own heap accounting says: HotSpot's field layout (hotspot-layout.ts),
//             or, for Android dumps, the object sizes ART writes into the dump;
//   visualvm  the size model of VisualVM's heap library (and NetBeans'), so that capscope's
//             numbers can be checked against it: header = id size + reference size, fields
//             summed (no hole filling, no injected fields), rounded to 8 bytes; class objects
//             count as one java.lang.Class instance, without their static fields.
// Both need to know whether references were compressed: a dump does not say. It is inferred from
// the objects' addresses (heap-walk order puts most objects right after the previous one, so
// the gaps are object sizes) — see inferShape.

import { TYPE_OBJECT, valueSize } from '../../formats/hprof/parser/constants';
import type { HeapClass, HeapGraph } from './graph';
import { KIND_CLASS, KIND_INSTANCE, KIND_OBJECT_ARRAY, KIND_PRIMITIVE_ARRAY_MIN } from './graph';
import { alignObject, arrayBytes, fieldBytes, injectedFieldTypes, instanceBytes, layoutClass, mirrorBytes, type FieldLayout, type HotspotShape } from './hotspot-layout';

export type SizeModelName = 'jvm' | 'visualvm';
export const SIZE_MODELS: readonly SizeModelName[] = ['jvm', 'visualvm'];

export interface VmShape {
  vm: 'hotspot' | 'art';
  shape: HotspotShape;
  /** How the shape was decided, in words (shown in the summary). */
  evidence: string;
}

export interface ShallowSizes {
  model: SizeModelName;
  /** Per object (instances, arrays, class objects). */
  bytes: Float64Array;
  /** In words, for the output. */
  description: string;
}

const CANDIDATES: readonly HotspotShape[] = [
  { headerBytes: 12, oopBytes: 4, wordBytes: 8 },
  { headerBytes: 12, oopBytes: 8, wordBytes: 8 },
  { headerBytes: 16, oopBytes: 8, wordBytes: 8 },
];

/** Pairs of neighbouring objects looked at to infer the layout. */
const SAMPLE_PAIRS = 200_000;

export function isAndroid(graph: HeapGraph): boolean {
  return graph.header.version === 'JAVA PROFILE 1.0.3' || graph.androidHeaps.length > 0;
}

/** The object layout of the VM that wrote the dump. */
export function inferShape(graph: HeapGraph): VmShape {
  if (isAndroid(graph)) {
    return { vm: 'art', shape: { headerBytes: 8, oopBytes: 4, wordBytes: 4 }, evidence: 'Android (ART/Dalvik) dump: object sizes as the VM wrote them, 4-byte references' };
  }
  if (graph.header.idSize === 4) {
    return { vm: 'hotspot', shape: { headerBytes: 8, oopBytes: 4, wordBytes: 4 }, evidence: '4-byte identifiers: a 32-bit VM (8-byte header, 4-byte references)' };
  }
  const sizers = CANDIDATES.map((shape) => new HotspotSizer(graph, shape));
  const matches = CANDIDATES.map(() => 0);
  let pairs = 0;
  const { ids, kind } = graph;
  for (let i = 0; i + 1 < graph.nodeCount && pairs < SAMPLE_PAIRS; i++) {
    if (kind[i] === KIND_CLASS || kind[i + 1] === KIND_CLASS) continue;
    const gap = ids[i + 1]! - ids[i]!;
    if (gap <= 0 || gap > 1 << 20) continue;
    pairs++;
    for (let c = 0; c < sizers.length; c++) if (sizers[c]!.objectBytes(i) === gap) matches[c]!++;
  }
  let best = 0;
  for (let c = 1; c < matches.length; c++) if (matches[c]! > matches[best]!) best = c;
  const names = ['compressed references and class pointers (12-byte header, 4-byte references)', 'compressed class pointers only (12-byte header, 8-byte references)', 'no compressed pointers (16-byte header, 8-byte references)'];
  if (matches[best] === 0) {
    return { vm: 'hotspot', shape: CANDIDATES[2]!, evidence: `object addresses do not show the layout; assuming ${names[2]}` };
  }
  return {
    vm: 'hotspot',
    shape: CANDIDATES[best]!,
    evidence: `${names[best]}: ${matches[best]} of ${pairs} neighbouring objects sit exactly one object size apart under this layout (next best ${Math.max(...matches.filter((_, c) => c !== best))})`,
  };
}

/** HotSpot sizes of one layout: instance layouts memoised per class. */
export class HotspotSizer {
  private readonly layouts = new Map<number, FieldLayout>();
  private readonly instance = new Map<number, number>();
  private classBytes = -1;

  constructor(
    private readonly graph: HeapGraph,
    readonly shape: HotspotShape,
  ) {}

  objectBytes(node: number): number {
    const g = this.graph;
    const k = g.kind[node]!;
    if (k === KIND_INSTANCE) {
      const c = g.classOf[node]!;
      return c < 0 ? alignObject(this.shape.headerBytes) : this.instanceSize(c);
    }
    if (k === KIND_OBJECT_ARRAY) return arrayBytes(g.aux[node]!, this.shape.oopBytes, this.shape);
    if (k >= KIND_PRIMITIVE_ARRAY_MIN) return arrayBytes(g.aux[node]!, valueSize(k, 8), this.shape);
    return this.mirrorSize(g.classes[g.aux[node]!]!);
  }

  instanceSize(classIndex: number): number {
    let size = this.instance.get(classIndex);
    if (size === undefined) {
      size = instanceBytes(this.layout(classIndex));
      this.instance.set(classIndex, size);
    }
    return size;
  }

  mirrorSize(cls: HeapClass): number {
    if (this.classBytes < 0) {
      const c = this.graph.javaLangClass;
      this.classBytes = c >= 0 ? this.instanceSize(c) : alignObject(this.shape.headerBytes);
    }
    // Statics named "<…>" (resolved_references, init_lock) are the dumper's links, not fields.
    const types = cls.statics.filter((s) => !(this.graph.strings.get(s.nameId) ?? '').startsWith('<')).map((s) => s.type);
    return mirrorBytes(this.classBytes, types, this.shape);
  }

  private layout(classIndex: number): FieldLayout {
    const known = this.layouts.get(classIndex);
    if (known) return known;
    // Walk up to the first laid-out ancestor, then lay out downwards (no recursion).
    const chain: HeapClass[] = [];
    let base: FieldLayout | null = null;
    for (let c = classIndex; c >= 0; ) {
      const cached = this.layouts.get(c);
      if (cached) {
        base = cached;
        break;
      }
      const cls = this.graph.classes[c]!;
      if (chain.includes(cls)) break;
      chain.push(cls);
      c = cls.superIndex;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const cls = chain[i]!;
      const fields = cls.fields.map((f) => ({ type: f.type, name: this.graph.strings.get(f.nameId) ?? '' }));
      for (const type of injectedFieldTypes(cls.name)) fields.push({ type, name: '' });
      base = layoutClass(cls.name, base, fields, this.shape);
      this.layouts.set(cls.index, base);
    }
    return base!;
  }
}

/** Shallow sizes in the VM's own terms (HotSpot layout, or ART's sizes for Android dumps). */
export function jvmSizes(graph: HeapGraph, vm: VmShape): ShallowSizes {
  const bytes = new Float64Array(graph.nodeCount);
  if (vm.vm === 'art') {
    const shape = vm.shape;
    const classSize = graph.javaLangClass >= 0 ? graph.classes[graph.javaLangClass]!.rawInstanceSize : 0;
    for (let i = 0; i < graph.nodeCount; i++) {
      const k = graph.kind[i]!;
      const c = graph.classOf[i]!;
      if (k === KIND_INSTANCE) bytes[i] = alignObject(c >= 0 ? graph.classes[c]!.rawInstanceSize : shape.headerBytes);
      else if (k === KIND_OBJECT_ARRAY) bytes[i] = artArrayBytes(graph.aux[i]!, 4);
      else if (k >= KIND_PRIMITIVE_ARRAY_MIN) bytes[i] = artArrayBytes(graph.aux[i]!, valueSize(k, 4));
      else bytes[i] = alignObject(classSize + staticBytes(graph.classes[graph.aux[i]!]!, shape));
    }
    return { model: 'jvm', bytes, description: 'ART object sizes from the dump; arrays: 12-byte header (16 for 8-byte elements), 8-byte alignment; class objects: java.lang.Class size plus static fields' };
  }
  const sizer = new HotspotSizer(graph, vm.shape);
  const perClass = new Float64Array(graph.classes.length).fill(-1);
  const shape = vm.shape;
  for (let i = 0; i < graph.nodeCount; i++) {
    const k = graph.kind[i]!;
    if (k === KIND_INSTANCE) {
      const c = graph.classOf[i]!;
      if (c < 0) bytes[i] = alignObject(shape.headerBytes);
      else {
        if (perClass[c]! < 0) perClass[c] = sizer.instanceSize(c);
        bytes[i] = perClass[c]!;
      }
    } else if (k === KIND_OBJECT_ARRAY) bytes[i] = arrayBytes(graph.aux[i]!, shape.oopBytes, shape);
    else if (k >= KIND_PRIMITIVE_ARRAY_MIN) bytes[i] = arrayBytes(graph.aux[i]!, valueSize(k, 8), shape);
    else bytes[i] = sizer.mirrorSize(graph.classes[graph.aux[i]!]!);
  }
  return { model: 'jvm', bytes, description: `HotSpot layout, ${vm.evidence}` };
}

function artArrayBytes(length: number, elementBytes: number): number {
  return alignObject((elementBytes === 8 ? 16 : 12) + length * elementBytes);
}

function staticBytes(cls: HeapClass, shape: HotspotShape): number {
  let sum = 0;
  for (const s of cls.statics) sum += fieldBytes(s.type, shape);
  return sum;
}

/** VisualVM's decision on reference size, with capscope's inference where VisualVM reads system properties. */
function visualVmOopSize(graph: HeapGraph, vm: VmShape, objectRaw: number): number {
  const idSize = graph.header.idSize;
  if (idSize !== 8) return idSize;
  if (objectRaw > 0) {
    const size = objectRaw - idSize;
    return size === 4 || size === 8 ? size : size < 8 ? 4 : 8;
  }
  const diff = (className: string, a: string, b: string): number => {
    const cls = graph.classes.find((c) => c.dumped && c.name === className);
    if (!cls) return 0;
    const value = (name: string) => cls.statics.find((s) => graph.strings.get(s.nameId) === name && s.type === 11)?.value;
    const x = value(a);
    const y = value(b);
    if (x === undefined || y === undefined) return 0;
    const d = y - x;
    return d === 4 || d === 8 ? d : 0;
  };
  return diff('java.lang.Class$Atomic', 'annotationDataOffset', 'annotationTypeOffset') || diff('java.util.concurrent.FutureTask', 'runnerOffset', 'waitersOffset') || vm.shape.oopBytes;
}

/** Shallow sizes as VisualVM's heap library computes them. */
export function visualVmSizes(graph: HeapGraph, vm: VmShape): ShallowSizes {
  const idSize = graph.header.idSize;
  const object = graph.javaLangObject >= 0 ? graph.classes[graph.javaLangObject]! : null;
  const objectRaw = object ? object.rawInstanceSize : 0;
  const newSize = objectRaw > 0;
  const oop = visualVmOopSize(graph, vm, objectRaw);
  const minimum = newSize ? objectRaw : idSize + oop;
  const unaligned = new Map<number, number>();
  const unalignedSize = (classIndex: number): number => {
    const known = unaligned.get(classIndex);
    if (known !== undefined) return known;
    const chain: HeapClass[] = [];
    let size = minimum;
    for (let c = classIndex; c >= 0; ) {
      const cached = unaligned.get(c);
      if (cached !== undefined) {
        size = cached;
        break;
      }
      const cls = graph.classes[c]!;
      if (chain.includes(cls)) break;
      chain.push(cls);
      c = cls.superIndex;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const cls = chain[i]!;
      if (newSize) size = cls.rawInstanceSize;
      else for (const f of cls.fields) size += f.type === TYPE_OBJECT ? oop : valueSize(f.type, idSize);
      unaligned.set(cls.index, size);
    }
    return size;
  };
  const perClass = new Float64Array(graph.classes.length).fill(-1);
  const instanceSize = (classIndex: number) => {
    if (perClass[classIndex]! < 0) perClass[classIndex] = newSize ? unalignedSize(classIndex) : alignObject(unalignedSize(classIndex));
    return perClass[classIndex]!;
  };
  const classObject = graph.javaLangClass >= 0 ? instanceSize(graph.javaLangClass) : minimum;
  const bytes = new Float64Array(graph.nodeCount);
  for (let i = 0; i < graph.nodeCount; i++) {
    const k = graph.kind[i]!;
    if (k === KIND_INSTANCE) {
      const c = graph.classOf[i]!;
      bytes[i] = c >= 0 ? instanceSize(c) : minimum;
    } else if (k === KIND_OBJECT_ARRAY) bytes[i] = alignObject(minimum + 4 + oop * graph.aux[i]!);
    else if (k >= KIND_PRIMITIVE_ARRAY_MIN) bytes[i] = alignObject(minimum + 4 + valueSize(k, idSize) * graph.aux[i]!);
    else bytes[i] = classObject;
  }
  return {
    model: 'visualvm',
    bytes,
    description: `VisualVM heap library model: ${minimum}-byte minimum object, ${oop}-byte references, ${newSize ? 'instance sizes as written in the dump' : 'fields summed and rounded to 8 bytes'}`,
  };
}

export function shallowSizes(graph: HeapGraph, vm: VmShape, model: SizeModelName): ShallowSizes {
  return model === 'jvm' ? jvmSizes(graph, vm) : visualVmSizes(graph, vm);
}
