// Dominators and retained sizes on heaps designed by hand (4-byte identifiers: a 32-bit VM, 8-byte
// header, 4-byte references, objects rounded to 8 bytes), the expected numbers worked out here;
// semi-NCA against a brute-force dominator computation on random graphs; a million-node list.

import { describe, expect, it } from 'vitest';
import { analyseHeap } from '../../core/analysis/heap/analyse';
import { computeDominators } from '../../core/analysis/heap/dominators';
import type { HeapGraph } from '../../core/analysis/heap/graph';
import { classLinkOf, computeReachability } from '../../core/analysis/heap/reachability';
import { Bytes } from './helpers/hprof-writer';
import { load, T, ToyHeap, type ToyObject } from './helpers/toy-heap';

const STICKY = 0x05;
const JNI_GLOBAL = 0x01;

async function analyse(heap: ToyHeap) {
  const { graph, diagnostics } = await load(heap.bytes());
  const analysis = analyseHeap(graph, { keepArrays: true });
  const node = (o: ToyObject | { id: number }) => Array.from(graph.ids).indexOf(o.id);
  const arrays = analysis.arrays!;
  return {
    graph,
    diagnostics,
    analysis,
    retained: (o: ToyObject | { id: number }, model: 'jvm' | 'visualvm' = 'jvm') => arrays.retained[model]![node(o)],
    shallow: (o: ToyObject | { id: number }, model: 'jvm' | 'visualvm' = 'jvm') => arrays.shallow[model]![node(o)],
    idom: (o: ToyObject | { id: number }) => {
      const d = arrays.dominators.idom[node(o)]!;
      return d < 0 ? null : graph.ids[d];
    },
  };
}

/** A class with one reference and one int: 8 + 4 + 4 = 16 bytes in both models. */
function nodeClass(heap: ToyHeap) {
  return heap.defineClass('Node', [['next', 'object'], ['value', 'int']]);
}

describe('dominators and retained sizes, by hand', () => {
  it('a diamond: what two paths reach belongs to neither', async () => {
    const heap = new ToyHeap();
    const N = nodeClass(heap);
    const Pair = heap.defineClass('Pair', [['a', 'object'], ['b', 'object']]); // 8 + 8 = 16
    const c = heap.instance(N, { value: 3 });
    const a = heap.instance(N, { next: c });
    const b = heap.instance(N, { next: c });
    const root = heap.instance(Pair, { a, b });
    heap.root(JNI_GLOBAL, root, { id: 0 });
    const r = await analyse(heap);
    expect(r.idom(c)).toBe(root.id);
    expect([r.retained(a), r.retained(b), r.retained(c), r.retained(root)]).toEqual([16, 16, 16, 64]);
    expect(r.idom(root)).toBeNull();
  });

  it('a cycle below one entry: the entry retains it all', async () => {
    const heap = new ToyHeap();
    const N = nodeClass(heap);
    const a = heap.instance(N);
    const b = heap.instance(N);
    const c = heap.instance(N, { next: a });
    a.values.set('next', b);
    b.values.set('next', c);
    const holder = heap.instance(N, { next: a });
    heap.root(JNI_GLOBAL, holder, { id: 0 });
    const r = await analyse(heap);
    expect([r.idom(a), r.idom(b), r.idom(c)]).toEqual([holder.id, a.id, b.id]);
    expect([r.retained(holder), r.retained(a), r.retained(b), r.retained(c)]).toEqual([64, 48, 32, 16]);
  });

  it('weak references keep nothing alive, and keep what they point at from being retained by one holder', async () => {
    const heap = new ToyHeap();
    const N = nodeClass(heap);
    const Reference = heap.defineClass('java.lang.ref.Reference', [['referent', 'object'], ['queue', 'object']]);
    const Weak = heap.defineClass('java.lang.ref.WeakReference', [], 'java.lang.ref.Reference');
    for (const name of ['java.lang.ref.SoftReference', 'java.lang.ref.FinalReference', 'java.lang.ref.PhantomReference']) heap.defineClass(name, [], 'java.lang.ref.Reference');
    void Reference;
    const onlyWeak = heap.instance(N, { value: 1 });
    const shared = heap.instance(N, { value: 2 });
    const w1 = heap.instance(Weak, { referent: onlyWeak }); // 8 + 4 + 4 = 16
    const w2 = heap.instance(Weak, { referent: shared });
    const strong = heap.instance(N, { next: shared });
    const root = heap.objectArray('java.lang.Object', [w1, w2, strong]); // 8 + 4 + 3 × 4 = 24
    heap.root(JNI_GLOBAL, root, { id: 0 });
    const r = await analyse(heap);
    const reached = r.analysis.arrays!.reach.reached;
    const idx = (o: ToyObject) => Array.from(r.graph.ids).indexOf(o.id);
    // Only weakly reachable: not reached, retained by nobody, counted as unreachable.
    expect(reached[idx(onlyWeak)]).toBe(0);
    expect(r.retained(w1)).toBe(16);
    expect(r.analysis.reports.jvm!.summary.unreachableObjects).toBe(1);
    // Reached strongly through `strong`, weakly through w2: dominated by the array, not by `strong`.
    expect(reached[idx(shared)]).toBe(1);
    expect(r.idom(shared)).toBe(root.id);
    expect(r.retained(strong)).toBe(16);
    expect(r.retained(root)).toBe(24 + 16 + 16 + 16 + 16);
  });

  it('a garbage object that points into the live heap: what it points at is nobody\'s to retain', async () => {
    const heap = new ToyHeap();
    const N = nodeClass(heap);
    const x = heap.instance(N, { value: 1 });
    const a = heap.instance(N, { next: x });
    heap.instance(N, { next: x }); // garbage
    heap.root(JNI_GLOBAL, a, { id: 0 });
    const r = await analyse(heap);
    expect(r.idom(x)).toBeNull();
    expect([r.retained(a), r.retained(x)]).toEqual([16, 16]);
    expect(r.analysis.reports.jvm!.summary.unreachableObjects).toBe(1);
    expect(r.analysis.reports.jvm!.summary.unreachableShallowBytes).toBe(16);
  });

  it('a class\'s statics: the class object retains them; the jvm model sizes its mirror with them', async () => {
    const heap = new ToyHeap();
    const N = nodeClass(heap);
    // long[100]: jvm 16 (header, length, 8-byte elements aligned) + 800; visualvm 8 + 4 + 800 → 816.
    const big = heap.primitiveArray('long', new Array(100).fill(7));
    const Cache = heap.defineClass('Cache', [], 'java.lang.Object', [['BIG', 'object', big], ['count', 'int', 3]]);
    const r0 = heap.instance(N);
    void r0;
    heap.root(STICKY, Cache);
    const r = await analyse(heap);
    expect(r.shallow(big)).toBe(816);
    expect(r.shallow(big, 'visualvm')).toBe(816);
    // java.lang.Class: 8-byte header + the fields HotSpot injects (klass, array_klass, oop_size,
    // static_oop_field_count, protection_domain, signers, source_file: 7 × 4) = 36 → 40; the
    // mirror adds BIG (4) and count (4): 48.
    expect(r.shallow(Cache)).toBe(48);
    expect(r.retained(Cache)).toBe(48 + 816);
    // VisualVM counts a class object as one java.lang.Class instance (no injected fields: 8), and
    // adds it to the retained size only for a "tree object" — as here: BIG is referenced by it alone.
    expect(r.shallow(Cache, 'visualvm')).toBe(8);
    expect(r.retained(Cache, 'visualvm')).toBe(8 + 816);
  });

  it('a linked list of a million nodes: no recursion, exact sums', { timeout: 60_000 }, async () => {
    const count = 1_000_000;
    // Written directly (a ToyHeap of a million objects is slow to build): Object, Node {next, value}.
    const b = new Bytes(4);
    const header = new TextEncoder().encode('JAVA PROFILE 1.0.2');
    b.raw(header).u1(0).u4(4).u8(0);
    const str = (id: number, s: string) => b.u1(1).u4(0).u4(4 + s.length).u4(id).raw(new TextEncoder().encode(s));
    str(1, 'java/lang/Object');
    str(2, 'Node');
    str(3, 'next');
    str(4, 'value');
    b.u1(2).u4(0).u4(16).u4(1).u4(0x100).u4(0).u4(1);
    b.u1(2).u4(0).u4(16).u4(2).u4(0x200).u4(0).u4(2);
    const head = b.toArray();
    const perNode = 1 + 4 + 4 + 4 + 4 + 8;
    const classes = new Bytes(4);
    classes.u1(0x20).u4(0x100).u4(0).u4(0).u4(0).u4(0).u4(0).u4(0).u4(0).u4(0).u2(0).u2(0).u2(0);
    classes.u1(0x20).u4(0x200).u4(0).u4(0x100).u4(0).u4(0).u4(0).u4(0).u4(0).u4(8).u2(0).u2(0).u2(2).u4(3).u1(T.object).u4(4).u1(T.int);
    const classBytes = classes.toArray();
    const roots = 5 + 10; // a JNI global root on the head (with its ref id), the two classes sticky
    const body = Buffer.alloc(classBytes.length + count * perNode + roots + 4);
    body.set(classBytes, 0);
    let at = classBytes.length;
    const first = 0x1000000;
    for (let i = 0; i < count; i++) {
      const id = first + i * 16;
      body[at++] = 0x21;
      body.writeUInt32BE(id, at);
      body.writeUInt32BE(0, at + 4);
      body.writeUInt32BE(0x200, at + 8);
      body.writeUInt32BE(8, at + 12);
      body.writeUInt32BE(i + 1 < count ? id + 16 : 0, at + 16);
      body.writeUInt32BE(i, at + 20);
      at += perNode - 1;
    }
    body[at++] = 0x01;
    body.writeUInt32BE(first, at);
    body.writeUInt32BE(0, at + 4);
    at += 8;
    for (const cls of [0x100, 0x200]) {
      body[at++] = 0x05;
      body.writeUInt32BE(cls, at);
      at += 4;
    }
    const record = Buffer.alloc(9);
    record[0] = 0x1c;
    record.writeUInt32BE(body.length, 5);
    const bytes = Buffer.concat([head, record, body, Buffer.from([0x2c, 0, 0, 0, 0, 0, 0, 0, 0])]);
    const { graph, diagnostics } = await load(bytes, 1 << 20);
    expect(diagnostics).toEqual([]);
    const analysis = analyseHeap(graph, { keepArrays: true, top: 3 });
    const nodeOf = (i: number) => 2 + i; // two class objects come first
    for (const model of ['jvm', 'visualvm'] as const) {
      const retained = analysis.arrays!.retained[model]!;
      expect(retained[nodeOf(0)]).toBe(count * 16);
      expect(retained[nodeOf(count - 1)]).toBe(16);
      expect(retained[nodeOf(500_000)]).toBe(500_000 * 16);
    }
    expect(analysis.arrays!.dominators.idom[nodeOf(999_999)]).toBe(nodeOf(999_998));
    const top = analysis.reports.jvm!.dominators[0]!;
    expect(top).toMatchObject({ objectId: `0x${first.toString(16)}`, retainedBytes: count * 16, gcRoot: true });
    // The path of the list's last node: the root, then elided, then its last predecessors.
    const deep = analysis.reports.jvm!.dominators.find((d) => d.objectId !== top.objectId)!;
    expect(deep.pathFromRoot[0]).toEqual({ objectId: `0x${first.toString(16)}`, class: 'Node' });
    const suspect = analysis.reports.jvm!.suspects[0]!;
    expect(suspect.accumulation.path).toHaveLength(10_000); // followed the list as far as it goes
  });
});

/** Dominators by the definition: d dominates v if v is unreachable from the super-root without d. */
function bruteForceIdom(graph: HeapGraph): Int32Array {
  const reach = computeReachability(graph);
  const n = graph.nodeCount;
  const succ = (v: number): number[] => {
    const out: number[] = [];
    for (let e = graph.edgeStart[v]!; e < graph.edgeStart[v + 1]!; e++) out.push(graph.edges[e]!);
    for (let i = 0; i < graph.weak.count; i++) if (graph.weak.from[i] === v) out.push(graph.weak.to[i]!);
    const link = classLinkOf(graph, reach, v);
    if (link >= 0) out.push(link);
    return out;
  };
  const starts = [...Array(n).keys()].filter((v) => reach.isRoot[v] || !reach.reached[v]);
  const reachableWithout = (cut: number): Uint8Array => {
    const seen = new Uint8Array(n);
    const stack = starts.filter((s) => s !== cut);
    for (const s of stack) seen[s] = 1;
    while (stack.length) for (const t of succ(stack.pop()!)) if (t !== cut && !seen[t]) (seen[t] = 1), stack.push(t);
    return seen;
  };
  const dominated = [...Array(n).keys()].map((d) => {
    const seen = reachableWithout(d);
    return [...Array(n).keys()].filter((v) => v !== d && !seen[v]);
  });
  // idom(v): the dominator of v that every other dominator of v dominates (the deepest).
  const idom = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    const doms = [...Array(n).keys()].filter((d) => dominated[d]!.includes(v));
    idom[v] = doms.find((d) => doms.every((e) => e === d || dominated[e]!.includes(d))) ?? -1;
  }
  return idom;
}

describe('semi-NCA against the definition', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i))('random heap %i', async (seed) => {
    let state = seed * 7919 + 17;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const heap = new ToyHeap();
    const N = heap.defineClass('N', [['a', 'object'], ['b', 'object'], ['c', 'object']]);
    const objects = Array.from({ length: 5 + Math.floor(random() * 40) }, () => heap.instance(N));
    for (const o of objects) for (const f of ['a', 'b', 'c']) if (random() < 0.45) o.values.set(f, objects[Math.floor(random() * objects.length)]!);
    for (const o of objects) if (random() < 0.12) heap.root(JNI_GLOBAL, o, { id: 0 });
    const { graph } = await load(heap.bytes());
    const fast = computeDominators(graph, computeReachability(graph)).idom;
    expect(Array.from(fast)).toEqual(Array.from(bruteForceIdom(graph)));
  });
});
