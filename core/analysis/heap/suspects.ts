// Leak suspects in Eclipse MAT's sense: what the top of the dominator tree holds that is more than
// a tenth of the heap — one object, or many objects of one class — and, for each, the
// accumulation point: going down from the suspect through its biggest dominated child while that
// child keeps most of the size, the last object before the size splits into many small parts.

import { KIND_CLASS, type HeapGraph } from './graph';
import type { DominatorTree } from './dominator-tree';
import type { SuspectHolder, SuspectInfo } from '../../domain/heap/contract';
import { describe } from './paths';

/** A suspect retains more than this share of the heap (MAT's default). */
export const SUSPECT_SHARE = 0.1;
/** Going down, a child that keeps at least this share of its parent is followed (MAT's big-drop ratio). */
const FOLLOW_SHARE = 0.7;

/** A suspect as the heap view and `capscope heap --json` show it. */
export type Suspect = SuspectInfo;
/** One step down from the suspect to its accumulation point. */
export type AccumulationStep = SuspectInfo['accumulation']['path'][number];

export function findSuspects(graph: HeapGraph, tree: DominatorTree, retained: Float64Array, heapBytes: number): Suspect[] {
  const n = graph.nodeCount;
  const threshold = heapBytes * SUSPECT_SHARE;
  const suspects: Suspect[] = [];
  const top: number[] = [];
  for (let i = tree.start[n]!; i < tree.start[n + 1]!; i++) top.push(tree.children[i]!);
  const percent = (bytes: number) => (heapBytes > 0 ? Math.round((bytes / heapBytes) * 1000) / 10 : 0);
  for (const v of top) {
    if (retained[v]! <= threshold) continue;
    const who = describe(graph, v);
    const name = who.classOf ? `class ${who.classOf}` : `${who.class} ${who.objectId}`;
    const acc = accumulation(graph, tree, retained, v);
    const holder = holderOf(graph, acc.path);
    suspects.push({
      kind: 'object',
      title: holder ? holderTitle(holder, percent(holder.retainedBytes)) : `${name} retains ${percent(retained[v]!)} % of the heap`,
      holder,
      objectId: who.objectId,
      class: who.class,
      instances: 1,
      retainedBytes: retained[v]!,
      percent: percent(retained[v]!),
      accumulation: acc,
    });
  }
  // Many top-level objects of one class that together hold a tenth of the heap. Class objects are
  // not grouped: every loaded class is at the top, and "classes" is not a leak.
  const byClass = new Map<number, { bytes: number; count: number; biggest: number }>();
  for (const v of top) {
    if (retained[v]! <= 0 || graph.kind[v] === KIND_CLASS) continue;
    const c = graph.classOf[v]!;
    if (c < 0) continue;
    const entry = byClass.get(c) ?? { bytes: 0, count: 0, biggest: v };
    entry.bytes += retained[v]!;
    entry.count++;
    if (retained[v]! > retained[entry.biggest]!) entry.biggest = v;
    byClass.set(c, entry);
  }
  for (const [c, entry] of byClass) {
    if (entry.count < 2 || entry.bytes <= threshold) continue;
    const cls = graph.classes[c]!;
    const acc = accumulation(graph, tree, retained, entry.biggest);
    suspects.push({
      kind: 'class',
      title: `${entry.count} instances of ${cls.name} together retain ${percent(entry.bytes)} % of the heap`,
      holder: holderOf(graph, acc.path),
      objectId: describe(graph, entry.biggest).objectId,
      class: cls.name,
      instances: entry.count,
      retainedBytes: entry.bytes,
      percent: percent(entry.bytes),
      accumulation: acc,
    });
  }
  return suspects.sort((a, b) => b.retainedBytes - a.retainedBytes);
}

function accumulation(graph: HeapGraph, tree: DominatorTree, retained: Float64Array, from: number): Suspect['accumulation'] {
  const path: AccumulationStep[] = [];
  let v = from;
  for (let steps = 0; steps < 10_000; steps++) {
    let best = -1;
    for (let i = tree.start[v]!; i < tree.start[v + 1]!; i++) {
      const c = tree.children[i]!;
      if (best < 0 || retained[c]! > retained[best]!) best = c;
    }
    const step: AccumulationStep = { ...describe(graph, v), retainedBytes: retained[v]! };
    if (best >= 0 && retained[best]! >= FOLLOW_SHARE * retained[v]!) {
      if (graph.kind[v] === KIND_CLASS) {
        const field = staticFieldTo(graph, v, best);
        if (field) step.staticField = field;
      }
      path.push(step);
      v = best;
      continue;
    }
    path.push(step);
    break;
  }
  const point = describe(graph, v);
  return { objectId: point.objectId, class: point.classOf ? `class ${point.classOf}` : point.class, retainedBytes: retained[v]!, path };
}

/**
 * The deepest class object on the way down whose static field leads on: what MAT names a leak by
 * (`com.example.leak.SessionCache.CACHE`), rather than the class loader at the top of the tree.
 */
function holderOf(graph: HeapGraph, path: AccumulationStep[]): SuspectHolder | null {
  for (let i = path.length - 2; i >= 0; i--) {
    const step = path[i]!;
    if (step.classOf === undefined || step.staticField === undefined) continue;
    const next = path[i + 1]!;
    return { class: step.classOf, field: step.staticField, objectId: next.objectId, objectClass: next.classOf ? 'java.lang.Class' : next.class, retainedBytes: next.retainedBytes };
  }
  return null;
}

function holderTitle(holder: SuspectHolder, percent: number): string {
  return `${holder.class}.${holder.field} (${holder.objectClass}) retains ${percent} % of the heap`;
}

/** The name of a static field of class object `classNode` that refers to `target`. */
function staticFieldTo(graph: HeapGraph, classNode: number, target: number): string | undefined {
  const cls = graph.classes[graph.aux[classNode]!]!;
  const id = graph.ids[target]!;
  const field = cls.statics.find((s) => s.type === 2 && s.value === id);
  return field ? (graph.strings.get(field.nameId) ?? undefined) : undefined;
}
