// Which objects a GC root reaches, and by which shortest path: a breadth-first walk from the
// roots, in the order VisualVM's heap library walks (roots by kind, then in file order; fields in
// dump order; Weak/Soft/Final/Phantom referents not followed), so that paths and the few
// order-dependent links below come out the same.
//
// An object also reaches its class: VisualVM links a class object to the first instance of it the
// walk meets (when nothing reached the class before), and that link counts as a reference.

import { ROOT_KIND_ORDER } from '../../formats/hprof/parser/constants';
import { KIND_CLASS, KIND_INSTANCE, KIND_PRIMITIVE_ARRAY_MIN, type HeapGraph } from './graph';

export interface Reachability {
  /** 1 for objects a GC root reaches (roots included). */
  reached: Uint8Array;
  reachedCount: number;
  isRoot: Uint8Array;
  /** The object one step closer to a GC root on a shortest path; -1 for roots and unreached objects. */
  parent: Int32Array;
  /** Reached objects in walk order (roots first). */
  order: Int32Array;
  /** VisualVM's leaves: walked objects that refer to no object of the dump. */
  leaf: Uint8Array;
  /** Per class: the object whose walk linked the class object (see above), -1 for none. */
  linkedBy: Int32Array;
  /** Distinct referrers of each object (fields, elements, statics, loaders, referents, class links), counted up to 2. */
  referrers: Uint8Array;
}

/** The class object `node` links to when the walk linked it, else -1 (instances their class, class objects java.lang.Class). */
export function classLinkOf(graph: HeapGraph, reach: Reachability, node: number): number {
  const k = graph.kind[node]!;
  if (k !== KIND_INSTANCE && k !== KIND_CLASS) return -1;
  const c = k === KIND_CLASS ? graph.javaLangClass : graph.classOf[node]!;
  return c >= 0 && reach.linkedBy[c] === node ? graph.classes[c]!.node : -1;
}

export function computeReachability(graph: HeapGraph): Reachability {
  const n = graph.nodeCount;
  const { kind, classOf, edgeStart, edges, classes } = graph;
  const reached = new Uint8Array(n);
  const isRoot = new Uint8Array(n);
  const parent = new Int32Array(n).fill(-1);
  const order = new Int32Array(n);
  const leaf = new Uint8Array(n);
  const linkedBy = new Int32Array(classes.length).fill(-1);
  let tail = 0;

  // Roots by kind (VisualVM's order), then file order.
  const roots = graph.roots;
  const byKind: number[][] = ROOT_KIND_ORDER.map(() => []);
  for (let i = 0; i < roots.count; i++) byKind[roots.kind[i]!]!.push(i);
  for (const list of byKind) {
    for (const i of list) {
      const node = roots.node[i]!;
      if (node < 0 || isRoot[node]) continue;
      isRoot[node] = 1;
      reached[node] = 1;
      order[tail++] = node;
    }
  }

  const classWalked = new Uint8Array(classes.length);
  for (let head = 0; head < tail; head++) {
    const v = order[head]!;
    const k = kind[v]!;
    if (k >= KIND_PRIMITIVE_ARRAY_MIN) {
      leaf[v] = 1;
      continue;
    }
    if (k === KIND_INSTANCE && (classOf[v]! < 0 || !classes[classOf[v]!]!.dumped)) continue; // VisualVM cannot read it
    let hasValues = edgeStart[v + 1]! > edgeStart[v]!;
    for (let e = edgeStart[v]!, end = edgeStart[v + 1]!; e < end; e++) {
      const t = edges[e]!;
      if (reached[t]) continue;
      reached[t] = 1;
      parent[t] = v;
      order[tail++] = t;
    }
    if (k === KIND_INSTANCE || k === KIND_CLASS) {
      const c = k === KIND_CLASS ? graph.javaLangClass : classOf[v]!;
      if (c >= 0 && !classWalked[c]) {
        classWalked[c] = 1;
        const classNode = classes[c]!.node;
        if (classNode >= 0 && !reached[classNode]) {
          reached[classNode] = 1;
          parent[classNode] = v;
          linkedBy[c] = v;
          order[tail++] = classNode;
          hasValues = true;
        }
      }
    }
    if (!hasValues) leaf[v] = 1;
  }

  // Distinct referrers, up to two (a source that refers to an object twice counts once).
  const referrers = new Uint8Array(n);
  const soleReferrer = new Int32Array(n).fill(-1);
  const refer = (from: number, to: number) => {
    const count = referrers[to]!;
    if (count === 0) {
      referrers[to] = 1;
      soleReferrer[to] = from;
    } else if (count === 1 && soleReferrer[to] !== from) referrers[to] = 2;
  };
  for (let v = 0; v < n; v++) for (let e = edgeStart[v]!, end = edgeStart[v + 1]!; e < end; e++) refer(v, edges[e]!);
  const weak = graph.weak;
  for (let i = 0; i < weak.count; i++) refer(weak.from[i]!, weak.to[i]!);
  for (let c = 0; c < classes.length; c++) if (linkedBy[c]! >= 0) refer(linkedBy[c]!, classes[c]!.node);

  return { reached, reachedCount: tail, isRoot, parent, order: order.subarray(0, tail), leaf, linkedBy, referrers };
}
