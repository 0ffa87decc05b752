// What a reference is, in the words of the source: the field of an instance (`next`), the element
// of an array (`[12]`), the static field of a class (`static CACHE`), a class's loader
// (`<classloader>`), the class an object is an instance of (`<class>`). Needs the graph read with
// BuilderOptions.edgeSlots; without it, references are named by their target alone ('?').

import { KIND_CLASS, KIND_INSTANCE, KIND_OBJECT_ARRAY, type HeapGraph } from './graph';
import type { Reachability } from './reachability';

/** The name of reference `edge` (an index into graph.edges) of object `from`. */
export function referenceName(graph: HeapGraph, from: number, edge: number): string {
  const slot = graph.edgeSlot?.[edge];
  if (slot === undefined) return '?';
  const kind = graph.kind[from]!;
  if (kind === KIND_OBJECT_ARRAY) return `[${slot}]`;
  if (kind === KIND_CLASS) {
    if (slot < 0) return '<classloader>';
    const field = graph.classes[graph.aux[from]!]!.statics[slot];
    return field ? `static ${graph.strings.get(field.nameId) ?? '?'}` : '?';
  }
  if (kind === KIND_INSTANCE) {
    const c = graph.classOf[from]!;
    return (c >= 0 ? graph.refFieldNames?.[c]?.[slot] : undefined) ?? '?';
  }
  return '?';
}

/**
 * How `from` refers to `to` along a shortest path from a GC root (reach.parent): the first of its
 * references to it, or `<class>` when the walk linked the class object through its first instance
 * (reachability.ts), which is no field.
 */
export function referenceBetween(graph: HeapGraph, reach: Reachability, from: number, to: number): string {
  for (let e = graph.edgeStart[from]!, end = graph.edgeStart[from + 1]!; e < end; e++) if (graph.edges[e] === to) return referenceName(graph, from, e);
  if (graph.kind[to] === KIND_CLASS) {
    const c = graph.aux[to]!;
    if (reach.linkedBy[c] === from) return '<class>';
  }
  return '?';
}
