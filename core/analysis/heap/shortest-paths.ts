// The shortest paths from GC roots as a tree (each reached object under the object one step
// closer to a root: reach.parent), and Eclipse MAT's "Merge Shortest Paths to GC Roots" for a
// class: that tree cut down to the paths that lead to the class's instances, each object on them
// counting the instances below it. Counting is one pass over the walk order, backwards (a child
// comes after its parent), so a class with a million instances under a million-deep chain costs
// what one object each costs.

import { KIND_CLASS, type HeapGraph } from './graph';
import type { Reachability } from './reachability';

export interface PathTree {
  /** Children of v in the tree: children[start[v] .. start[v+1]), in walk order. */
  start: Uint32Array;
  children: Int32Array;
  /** The roots (reach.isRoot), in walk order. */
  roots: Int32Array;
}

export function shortestPathTree(graph: HeapGraph, reach: Reachability): PathTree {
  const n = graph.nodeCount;
  const start = new Uint32Array(n + 1);
  const roots: number[] = [];
  for (const v of reach.order) {
    const p = reach.parent[v]!;
    if (p >= 0) start[p + 1]!++;
    else roots.push(v);
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const children = new Int32Array(start[n]!);
  for (const v of reach.order) {
    const p = reach.parent[v]!;
    if (p >= 0) children[fill[p]!++] = v;
  }
  return { start, children, roots: Int32Array.from(roots) };
}

/** The class an object counts under: class objects are java.lang.Class instances. */
export function classKey(graph: HeapGraph, v: number): number {
  return graph.kind[v] === KIND_CLASS ? graph.javaLangClass : graph.classOf[v]!;
}

export interface MergedPaths {
  classIndex: number;
  /** Per object: the class's instances whose shortest path from a root goes through it (itself included). */
  instances: Int32Array;
  /** Per object: those instances' shallow bytes. */
  instancesShallow: Float64Array;
  /** Instances of the class, and those a GC root reaches (only those have a path). */
  total: number;
  reached: number;
}

export function mergeShortestPaths(graph: HeapGraph, reach: Reachability, classIndex: number, shallow: Float64Array): MergedPaths {
  const n = graph.nodeCount;
  const instances = new Int32Array(n);
  const instancesShallow = new Float64Array(n);
  let total = 0;
  for (let v = 0; v < n; v++) if (classKey(graph, v) === classIndex) total++;
  let reached = 0;
  const order = reach.order;
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    if (classKey(graph, v) === classIndex) {
      instances[v]!++;
      instancesShallow[v]! += shallow[v]!;
      reached++;
    }
    const p = reach.parent[v]!;
    if (p >= 0 && instances[v]! > 0) {
      instances[p]! += instances[v]!;
      instancesShallow[p]! += instancesShallow[v]!;
    }
  }
  return { classIndex, instances, instancesShallow, total, reached };
}

/** The objects under `parent` (the roots when -1) that lead to instances, most instances first. */
export function mergedChildren(tree: PathTree, merged: MergedPaths, parent: number, retained: Float64Array, ids: Float64Array): Int32Array {
  const list: number[] = [];
  const from = parent < 0 ? tree.roots : tree.children.subarray(tree.start[parent]!, tree.start[parent + 1]!);
  for (const v of from) if (merged.instances[v]! > 0) list.push(v);
  list.sort((a, b) => merged.instances[b]! - merged.instances[a]! || retained[b]! - retained[a]! || ids[a]! - ids[b]!);
  return Int32Array.from(list);
}
