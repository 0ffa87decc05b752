// Turns what the builder collected into a HeapGraph: object identifiers become object indices,
// references to objects the dump does not contain are dropped (and reported), instances that
// waited for their class are decoded, every object gets its class.

import { ROOT_KIND_ORDER } from './parser/constants';
import type { HprofHeader } from './parser/records';
import type { HeapBuilder } from './builder';
import { HEAP_DIAGNOSTICS as D } from './diagnostics';
import { BlockF64 } from '../../analysis/heap/growable';
import { KIND_CLASS, KIND_PRIMITIVE_ARRAY_MIN, WeakRefs, hexId, type HeapGraph } from '../../analysis/heap/graph';
import { buildIdLookup } from '../../analysis/heap/id-index';

export function resolveGraph(b: HeapBuilder, header: HprofHeader, complete: boolean): HeapGraph {
  const classes = b.classes;
  b.decodePending();
  classes.resolve();
  const n = b.ids.length;
  const kind = b.kind.finish();
  const classOf = b.classOf.finish();
  const aux = b.aux.finish();
  const rawStart = b.edgeStart.finish();
  const ids = b.ids.finish();

  const findClass = (name: string) => classes.classes.find((c) => c.dumped && c.name === name)?.index ?? -1;
  const javaLangClass = findClass('java.lang.Class');
  const javaLangObject = findClass('java.lang.Object');
  const primitiveClass = new Int32Array(12).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    if (k === KIND_CLASS) classOf[i] = javaLangClass;
    else if (k >= KIND_PRIMITIVE_ARRAY_MIN) {
      if (primitiveClass[k]! < 0) primitiveClass[k] = b.primitiveArrayClass(k);
      classOf[i] = primitiveClass[k]!;
    }
  }
  for (const cls of classes.classes) if (!cls.name) classes.nameOf(cls.index);

  const index = buildIdLookup(ids, kind, n);
  if (index.duplicates.length > 0) {
    const first = index.duplicates[0]!;
    b.diagnostic(0, D.emit('duplicate-ids', { count: index.duplicates.length, first: hexId(ids[first]!) }));
  }

  // ----- references -----
  let dangling = 0;
  const examples: string[] = [];
  const resolve = (from: number, id: number): number => {
    const to = index.get(id, from);
    if (to < 0) {
      dangling++;
      if (examples.length < 3) examples.push(`${hexId(id)} from ${describe(from)}`);
    }
    return to;
  };
  const describe = (node: number): string => {
    const c = classOf[node]!;
    return `${c >= 0 ? classes.classes[c]!.name : 'an object'} ${hexId(ids[node]!)}`;
  };

  // Late references (instances decoded at the end) sorted by source, to merge into the CSR.
  const lateFrom = b.lateFrom.finish();
  const lateTo = b.lateTo.finish();
  const lateStart = new Uint32Array(n + 1);
  for (let i = 0; i < lateFrom.length; i++) lateStart[lateFrom[i]! + 1]!++;
  for (let i = 0; i < n; i++) lateStart[i + 1]! += lateStart[i]!;
  const lateOrder = new Int32Array(lateFrom.length);
  const fillAt = lateStart.slice(0, n);
  for (let i = 0; i < lateFrom.length; i++) lateOrder[fillAt[lateFrom[i]!]!++] = i;

  const inOrder = b.edgeIds.length;
  const blocks = b.edgeIds.takeBlocks();
  const blockSize = BlockF64.blockSize;
  const edges = new Int32Array(inOrder + lateFrom.length);
  // Which field each reference is, when the builder kept it (BuilderOptions.edgeSlots).
  const rawSlots = b.edgeSlots?.finish() ?? null;
  const lateSlots = b.lateSlots?.finish() ?? null;
  const slots = rawSlots ? new Int32Array(edges.length) : null;
  const edgeStart = new Uint32Array(n + 1);
  let w = 0;
  let read = 0;
  let block = blocks[0] ?? new Float64Array(0);
  let blockIndex = 0;
  let inBlock = 0;
  for (let node = 0; node < n; node++) {
    edgeStart[node] = w;
    const end = node + 1 < n ? rawStart[node + 1]! : inOrder;
    for (; read < end; read++) {
      if (inBlock === blockSize) {
        blocks[blockIndex] = new Float64Array(0); // release what has been read
        block = blocks[++blockIndex]!;
        inBlock = 0;
      }
      const to = resolve(node, block[inBlock++]!);
      if (to >= 0) {
        if (slots) slots[w] = rawSlots![read]!;
        edges[w++] = to;
      }
    }
    for (let j = lateStart[node]!; j < lateStart[node + 1]!; j++) {
      const to = resolve(node, lateTo[lateOrder[j]!]!);
      if (to >= 0) {
        if (slots) slots[w] = lateSlots![lateOrder[j]!]!;
        edges[w++] = to;
      }
    }
  }
  edgeStart[n] = w;
  blocks.length = 0;

  const weakFromRaw = b.weakFrom.finish();
  const weakToRaw = b.weakTo.finish();
  const weakFrom: number[] = [];
  const weakTo: number[] = [];
  for (let i = 0; i < weakFromRaw.length; i++) {
    const to = resolve(weakFromRaw[i]!, weakToRaw[i]!);
    if (to >= 0) {
      weakFrom.push(weakFromRaw[i]!);
      weakTo.push(to);
    }
  }
  if (dangling > 0) {
    b.diagnostic(0, D.emit('dangling-references', { count: dangling, examples: examples.join('; ') }));
  }

  // ----- roots -----
  const rootCount = b.rootId.length;
  const rootIds = b.rootId.finish();
  const rootNodes = new Int32Array(rootCount);
  let missingRoots = 0;
  for (let i = 0; i < rootCount; i++) {
    rootNodes[i] = index.get(rootIds[i]!, -1);
    if (rootNodes[i]! < 0) missingRoots++;
  }
  const rootKinds = b.rootKind.finish();
  if (missingRoots > 0) {
    const first = rootNodes.findIndex((x) => x < 0);
    b.diagnostic(0, D.emit('missing-roots', { count: missingRoots, kind: ROOT_KIND_ORDER[rootKinds[first]!]!, id: hexId(rootIds[first]!) }));
  }

  // ----- strings and thread names -----
  const stringCount = b.stringNode.length;
  const stringNodes = b.stringNode.finish();
  const stringValueIds = b.stringValue.finish();
  const stringValue = new Int32Array(stringCount);
  for (let i = 0; i < stringCount; i++) stringValue[i] = stringValueIds[i] === 0 ? -1 : index.get(stringValueIds[i]!, stringNodes[i]!);
  const threadNames = new Map<number, number>();
  for (const [thread, nameId] of b.threadNames) {
    const name = index.get(nameId, thread);
    if (name >= 0) threadNames.set(thread, name);
  }

  const classBySerial = new Map<number, number>();
  for (const cls of classes.classes) if (cls.serial >= 0) classBySerial.set(cls.serial, cls.index);

  b.finishReports();
  return {
    header,
    strings: b.strings,
    classes: classes.classes,
    javaLangClass,
    javaLangObject,
    nodeCount: n,
    ids,
    kind,
    classOf,
    aux,
    edgeStart,
    edges: w < edges.length * 0.9 ? edges.slice(0, w) : edges.subarray(0, w),
    ...(slots ? { edgeSlot: slots.subarray(0, w), refFieldNames: classes.classes.map((c) => (c.dumped ? (classes.layout(c.index, true)?.refNames ?? null) : null)) } : {}),
    weak: WeakRefs.sorted(weakFrom, weakTo),
    roots: {
      count: rootCount,
      kind: rootKinds,
      node: rootNodes,
      id: rootIds,
      threadSerial: b.rootThread.finish(),
      frame: b.rootFrame.finish(),
    },
    stringObjects: {
      count: stringCount,
      node: stringNodes,
      value: stringValue,
      coder: Int8Array.from(b.stringCoder.finish()),
      offset: b.stringOffset.finish(),
      length: b.stringCount.finish(),
    },
    threadNames,
    arrays: b.contents.result(),
    frames: b.frames,
    traces: b.traces,
    classBySerial,
    startThreads: b.startThreads,
    androidHeaps: b.androidHeaps,
    complete,
    markedUnreachable: b.markedUnreachable,
  };
}
