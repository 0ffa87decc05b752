// An object's outgoing and incoming references (Eclipse MAT's "List objects with outgoing /
// incoming references"), each named (edge-labels.ts). Outgoing: its class (`<class>`), its fields,
// elements or statics, and the referent of a Weak/Soft/Final/Phantom reference (which keeps nothing
// alive). Incoming: every object with a field, element or static that refers to it, and weak
// referents; the index of who refers to whom is built once, on the first question (8 bytes a
// reference). A class's instances are not listed among the class object's incoming references
// (there may be millions): the class's instances are their own list.

import { KIND_INSTANCE, KIND_OBJECT_ARRAY, type HeapGraph } from './graph';
import { referenceName } from './edge-labels';

export interface Reference {
  node: number;
  /** The field, element or static, in words. */
  name: string;
}

export function outgoingReferences(graph: HeapGraph, v: number): Reference[] {
  const out: Reference[] = [];
  const k = graph.kind[v]!;
  if (k === KIND_INSTANCE || k === KIND_OBJECT_ARRAY) {
    const c = graph.classOf[v]!;
    const classNode = c >= 0 ? graph.classes[c]!.node : -1;
    if (classNode >= 0) out.push({ node: classNode, name: '<class>' });
  }
  for (let e = graph.edgeStart[v]!, end = graph.edgeStart[v + 1]!; e < end; e++) out.push({ node: graph.edges[e]!, name: referenceName(graph, v, e) });
  const first = graph.weak.first(v);
  if (first >= 0) for (let i = first, end = graph.weak.end(first); i < end; i++) out.push({ node: graph.weak.to[i]!, name: 'referent (weak)' });
  return out;
}

/** Who refers to whom, reversed: for each object the references that point at it. */
export class IncomingIndex {
  private readonly start: Uint32Array;
  private readonly edge: Int32Array;

  constructor(private readonly graph: HeapGraph) {
    const n = graph.nodeCount;
    const { edges, edgeStart } = graph;
    const start = new Uint32Array(n + 1);
    for (let e = 0; e < edges.length; e++) start[edges[e]! + 1]!++;
    for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, n);
    const edge = new Int32Array(edges.length);
    // Sources in object order, so each object's referrers come in object order too.
    for (let v = 0; v < n; v++) for (let e = edgeStart[v]!, end = edgeStart[v + 1]!; e < end; e++) edge[fill[edges[e]!]!++] = e;
    this.start = start;
    this.edge = edge;
  }

  /**
   * The object whose reference `e` is: the last v with edgeStart[v] <= e (objects without
   * references share their successor's start, so the last one is the one whose range holds e).
   */
  private sourceOf(e: number): number {
    const s = this.graph.edgeStart;
    let lo = 0;
    let hi = this.graph.nodeCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]! <= e) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  references(v: number): Reference[] {
    const out: Reference[] = [];
    for (let i = this.start[v]!, end = this.start[v + 1]!; i < end; i++) {
      const e = this.edge[i]!;
      const from = this.sourceOf(e);
      out.push({ node: from, name: referenceName(this.graph, from, e) });
    }
    const weak = this.graph.weak;
    for (let i = 0; i < weak.count; i++) if (weak.to[i] === v) out.push({ node: weak.from[i]!, name: 'referent (weak)' });
    return out;
  }
}
