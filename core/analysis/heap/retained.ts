// Retained sizes: what the garbage collector would free if an object went away — the shallow
// sizes of everything it dominates. Objects no GC root reaches (garbage that `jmap -dump`
// without `live` also writes) retain nothing and are retained by nothing.
//
// Two accountings (docs/heap.md):
//   jvm       exact dominator-subtree sums of the jvm model's shallow sizes;
//   visualvm  VisualVM's heap library's sums, which differ in one respect: a class object's own
//             size counts only when the class is a "tree object" (everything it references is
//             referenced by it alone, recursively), and such a class's subtree is not passed up
//             to its dominators (the library only ever propagates sizes from instances).

import { KIND_CLASS, KIND_INSTANCE, KIND_PRIMITIVE_ARRAY_MIN, type HeapGraph } from './graph';
import type { Dominators } from './dominators';
import type { Reachability } from './reachability';

export function jvmRetained(graph: HeapGraph, reach: Reachability, dom: Dominators, shallow: Float64Array): Float64Array {
  const retained = new Float64Array(graph.nodeCount);
  const { preorder, idom } = dom;
  for (let i = preorder.length - 1; i >= 0; i--) {
    const v = preorder[i]!;
    if (reach.reached[v]) retained[v]! += shallow[v]!;
    const p = idom[v]!;
    if (p >= 0) retained[p]! += retained[v]!;
  }
  return retained;
}

/**
 * VisualVM's "tree objects": leaves of its walk, and objects all of whose references (referents
 * included) go to tree objects that nothing else references; their retained size is their own
 * size plus their children's. Found the way the library finds them, level by level from the
 * leaves' parents, because which objects qualify depends on that order (a GC root among the
 * children counts, but never puts its parent on the next level).
 */
function treeObjects(graph: HeapGraph, reach: Reachability, shallow: Float64Array, retained: Float64Array): Uint8Array {
  const n = graph.nodeCount;
  const { edgeStart, edges, kind, classOf, classes } = graph;
  const { referrers, leaf, parent } = reach;
  const weak = graph.weak;
  const tree = new Uint8Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const seen = new Int32Array(n).fill(-1);
  let evaluation = 0;
  let level = new Int32Array(1024);
  let levelLength = 0;
  let next = new Int32Array(1024);
  let nextLength = 0;
  const push = (p: number, round: number) => {
    if (stamp[p] === round) return;
    stamp[p] = round;
    if (nextLength === next.length) {
      const grown = new Int32Array(next.length * 2);
      grown.set(next);
      next = grown;
    }
    next[nextLength++] = p;
  };
  // Round 0: the parents of single-referrer leaves, in walk order.
  for (const v of reach.order) {
    if (!leaf[v]) continue;
    tree[v] = 1;
    retained[v] = shallow[v]!;
    if (referrers[v] === 1 && parent[v]! >= 0) push(parent[v]!, 0);
  }
  for (let round = 1; nextLength > 0; round++) {
    const swap = level; // a long linked list takes one round per node: no allocation per round
    level = next;
    next = swap;
    levelLength = nextLength;
    nextLength = 0;
    let changed = false;
    for (let i = 0; i < levelLength; i++) {
      const p = level[i]!;
      const k = kind[p]!;
      if (k >= KIND_PRIMITIVE_ARRAY_MIN || (k === KIND_INSTANCE && (classOf[p]! < 0 || !classes[classOf[p]!]!.dumped))) continue;
      let sum = shallow[p]!;
      let ok = true;
      const token = evaluation++; // children met twice count once
      for (let e = edgeStart[p]!, end = edgeStart[p + 1]!; ok && e < end; e++) {
        const c = edges[e]!;
        if (seen[c] === token) continue;
        seen[c] = token;
        ok = referrers[c] === 1 && tree[c] === 1;
        sum += retained[c]!;
      }
      const wFirst = weak.count > 0 ? weak.first(p) : -1;
      for (let e = wFirst, end = wFirst < 0 ? -1 : weak.end(wFirst); ok && e < end; e++) {
        const c = weak.to[e]!;
        if (seen[c] === token) continue;
        seen[c] = token;
        ok = referrers[c] === 1 && tree[c] === 1;
        sum += retained[c]!;
      }
      if (!ok) continue;
      tree[p] = 1;
      retained[p] = sum;
      changed = true;
      if (referrers[p] === 1 && parent[p]! >= 0) push(parent[p]!, round);
    }
    if (!changed) break;
  }
  return tree;
}

export function visualVmRetained(graph: HeapGraph, reach: Reachability, dom: Dominators, shallow: Float64Array): Float64Array {
  const retained = new Float64Array(graph.nodeCount);
  const tree = treeObjects(graph, reach, shallow, retained);
  const { preorder, idom } = dom;
  const { kind } = graph;
  for (let i = preorder.length - 1; i >= 0; i--) {
    const v = preorder[i]!;
    const isClass = kind[v] === KIND_CLASS;
    if (!tree[v] && !isClass && reach.reached[v]) retained[v]! += shallow[v]!;
    const p = idom[v]!;
    if (p >= 0 && !tree[p] && !(tree[v] && isClass)) retained[p]! += retained[v]!;
  }
  return retained;
}

/** VisualVM skips the dominator check for these: they cannot hold an instance of themselves. */
const CANNOT_CONTAIN_ITSELF = new Set(['java.lang.String', 'java.lang.StringBuffer', 'java.lang.StringBuilder', 'java.io.File']);

/**
 * Retained size per class: the sum over its instances that no instance of the same class
 * dominates (so nothing is counted twice). For the visualvm model, VisualVM's shortcuts apply.
 */
export function retainedByClass(graph: HeapGraph, retained: Float64Array, sameClassAbove: Uint8Array, instances: Float64Array, visualVm: boolean): Float64Array {
  const perClass = new Float64Array(graph.classes.length);
  const canContainItself = new Uint8Array(graph.classes.length);
  if (visualVm) {
    for (const cls of graph.classes) {
      if (instances[cls.index]! < 2 || CANNOT_CONTAIN_ITSELF.has(cls.name)) continue;
      for (let c = cls.index, hops = 0; c >= 0 && hops < 10_000; c = graph.classes[c]!.superIndex, hops++) {
        if (graph.classes[c]!.fields.some((f) => f.type === 2)) {
          canContainItself[cls.index] = 1;
          break;
        }
      }
    }
  }
  for (let v = 0; v < graph.nodeCount; v++) {
    const k = graph.kind[v]!;
    const c = k === KIND_CLASS ? graph.javaLangClass : graph.classOf[v]!;
    if (c < 0) continue;
    if (visualVm) {
      if (k === KIND_CLASS) continue; // not an instance to VisualVM
      const check = k === KIND_INSTANCE ? canContainItself[c] === 1 : k < KIND_PRIMITIVE_ARRAY_MIN;
      if (check && sameClassAbove[v]) continue;
    } else if (sameClassAbove[v]) continue;
    perClass[c]! += retained[v]!;
  }
  return perClass;
}

/** The `count` objects with the largest retained sizes (ties: smaller id first), biggest first. */
export function biggestObjects(graph: HeapGraph, retained: Float64Array, count: number): number[] {
  // A min-heap of the best so far, on (retained, -id).
  const heap: number[] = [];
  const less = (a: number, b: number) => retained[a]! < retained[b]! || (retained[a] === retained[b] && graph.ids[a]! > graph.ids[b]!);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let v = 0; v < graph.nodeCount; v++) {
    if (retained[v]! <= 0) continue;
    if (heap.length < count) {
      heap.push(v);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!less(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    } else if (count > 0 && less(heap[0]!, v)) {
      heap[0] = v;
      down(0);
    }
  }
  return heap.sort((a, b) => (less(a, b) ? 1 : less(b, a) ? -1 : 0));
}
