// Naming objects for people: class and id, VisualVM's per-class instance numbers, and the
// shortest path from a GC root.

import { KIND_CLASS, hexId, type HeapGraph } from './graph';
import type { Reachability } from './reachability';

export interface ObjectRef {
  objectId: string;
  class: string;
}

export type PathStep = ObjectRef | { elided: number };

/** Steps kept from each end of a long path (a million-node linked list is an ordinary heap). */
const PATH_HEAD = 8;
const PATH_TAIL = 24;

export function className(graph: HeapGraph, node: number): string {
  if (graph.kind[node] === KIND_CLASS) return 'java.lang.Class';
  const c = graph.classOf[node]!;
  return c >= 0 ? graph.classes[c]!.name : 'unknown class';
}

/** For a class object, the class it is (java.lang.Class objects stand for classes). */
export function describe(graph: HeapGraph, node: number): ObjectRef & { classOf?: string } {
  const ref: ObjectRef & { classOf?: string } = { objectId: hexId(graph.ids[node]!), class: className(graph, node) };
  if (graph.kind[node] === KIND_CLASS) ref.classOf = graph.classes[graph.aux[node]!]!.name;
  return ref;
}

/** The objects from a GC root down to `node` (both included); empty when no root reaches it. */
export function pathFromRoot(graph: HeapGraph, reach: Reachability, node: number): PathStep[] {
  if (!reach.reached[node]) return [];
  const chain: number[] = [];
  for (let v = node; v >= 0; v = reach.parent[v]!) chain.push(v);
  chain.reverse();
  const steps = (nodes: number[]) => nodes.map((v) => describe(graph, v));
  if (chain.length <= PATH_HEAD + PATH_TAIL + 1) return steps(chain);
  return [...steps(chain.slice(0, PATH_HEAD)), { elided: chain.length - PATH_HEAD - PATH_TAIL }, ...steps(chain.slice(-PATH_TAIL))];
}

/**
 * VisualVM's instance numbers ("java.util.HashMap#18"): the rank of an object among the objects of
 * its class in file order; for class objects, the rank of the class among the class dumps.
 */
export function instanceNumbers(graph: HeapGraph): Int32Array {
  const numbers = new Int32Array(graph.nodeCount);
  const perClass = new Int32Array(graph.classes.length);
  let classDumps = 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    if (graph.kind[v] === KIND_CLASS) numbers[v] = ++classDumps;
    else if (graph.classOf[v]! >= 0) numbers[v] = ++perClass[graph.classOf[v]!]!;
  }
  return numbers;
}
