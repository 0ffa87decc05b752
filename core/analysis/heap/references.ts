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

/** A page of references and how many there are in all (an array of millions is named a page at a time). */
export interface ReferencePage {
  total: number;
  rows: Reference[];
}

/** Rows offset .. offset+limit of a list made of consecutive parts, each read only where the page falls. */
function pageOf(parts: { count: number; at(i: number): Reference }[], offset: number, limit: number): ReferencePage {
  const rows: Reference[] = [];
  let total = 0;
  for (const part of parts) {
    for (let i = Math.max(0, offset - total); i < part.count && rows.length < limit; i++) rows.push(part.at(i));
    total += part.count;
  }
  return { total, rows };
}

export function outgoingReferences(graph: HeapGraph, v: number, offset: number, limit: number): ReferencePage {
  const k = graph.kind[v]!;
  const c = k === KIND_INSTANCE || k === KIND_OBJECT_ARRAY ? graph.classOf[v]! : -1;
  const classNode = c >= 0 ? graph.classes[c]!.node : -1;
  const start = graph.edgeStart[v]!;
  const weakFirst = graph.weak.first(v);
  return pageOf(
    [
      { count: classNode >= 0 ? 1 : 0, at: () => ({ node: classNode, name: '<class>' }) },
      { count: graph.edgeStart[v + 1]! - start, at: (i) => ({ node: graph.edges[start + i]!, name: referenceName(graph, v, start + i) }) },
      { count: weakFirst < 0 ? 0 : graph.weak.end(weakFirst) - weakFirst, at: (i) => ({ node: graph.weak.to[weakFirst + i]!, name: 'referent (weak)' }) },
    ],
    offset,
    limit,
  );
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

  references(v: number, offset: number, limit: number): ReferencePage {
    const first = this.start[v]!;
    const weak = this.graph.weak;
    const weakFrom: number[] = [];
    for (let i = 0; i < weak.count; i++) if (weak.to[i] === v) weakFrom.push(weak.from[i]!);
    return pageOf(
      [
        {
          count: this.start[v + 1]! - first,
          at: (i) => {
            const e = this.edge[first + i]!;
            const from = this.sourceOf(e);
            return { node: from, name: referenceName(this.graph, from, e) };
          },
        },
        { count: weakFrom.length, at: (i) => ({ node: weakFrom[i]!, name: 'referent (weak)' }) },
      ],
      offset,
      limit,
    );
  }
}
