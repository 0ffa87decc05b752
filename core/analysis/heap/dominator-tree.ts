// The dominator tree as children lists (CSR), and the walks over it that need an ancestor context.

import { KIND_CLASS, type HeapGraph } from './graph';
import type { Dominators } from './dominators';

export interface DominatorTree {
  /** Children of node v: children[start[v] .. start[v+1]); the super-root's are at index nodeCount. */
  start: Uint32Array;
  children: Int32Array;
}

export function dominatorTree(graph: HeapGraph, dom: Dominators): DominatorTree {
  const n = graph.nodeCount;
  const start = new Uint32Array(n + 2);
  for (let v = 0; v < n; v++) {
    const p = dom.idom[v]!;
    start[(p < 0 ? n : p) + 1]!++;
  }
  for (let i = 0; i <= n; i++) start[i + 1]! += start[i]!;
  const children = new Int32Array(n);
  const fill = start.slice(0, n + 1);
  for (const v of dom.preorder) {
    const p = dom.idom[v]!;
    children[fill[p < 0 ? n : p]!++] = v;
  }
  return { start, children };
}

/**
 * For every object, whether an object of the same class dominates it (a class object counts as a
 * java.lang.Class): the objects whose retained sizes add up to their class's without counting
 * anything twice are those with no such dominator.
 */
export function sameClassAbove(graph: HeapGraph, tree: DominatorTree): Uint8Array {
  const n = graph.nodeCount;
  const out = new Uint8Array(n);
  const onPath = new Int32Array(graph.classes.length);
  const key = (v: number) => (graph.kind[v] === KIND_CLASS ? graph.javaLangClass : graph.classOf[v]!);
  const stackNode = new Int32Array(n + 1);
  const stackCursor = new Uint32Array(n + 1);
  let sp = 0;
  stackNode[0] = n;
  stackCursor[0] = tree.start[n]!;
  sp = 1;
  while (sp > 0) {
    const v = stackNode[sp - 1]!;
    const cursor = stackCursor[sp - 1]!;
    if (cursor < tree.start[v + 1]!) {
      stackCursor[sp - 1] = cursor + 1;
      const c = tree.children[cursor]!;
      const k = key(c);
      if (k >= 0) {
        if (onPath[k]! > 0) out[c] = 1;
        onPath[k]!++;
      }
      stackNode[sp] = c;
      stackCursor[sp] = tree.start[c]!;
      sp++;
    } else {
      sp--;
      if (v !== n) {
        const k = key(v);
        if (k >= 0) onPath[k]!--;
      }
    }
  }
  return out;
}
