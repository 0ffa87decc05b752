// The dominator tree, by the semi-NCA algorithm (Georgiadis, Tarjan, Werneck: "Finding dominators
// in practice"), iterative throughout: a million-object linked list is an ordinary heap and must
// not overflow a stack. Memory: seven int arrays per object plus the predecessor lists.
//
// The graph is the one VisualVM's heap library computes dominators on, so that retained sizes can
// be checked against it:
//   - a super-root points at every GC root, and at every object no root reaches (a referrer that
//     is garbage, or only weakly reachable, keeps its referents from being dominated by anyone);
//   - every reference counts, referents of weak references included: an object that something
//     else also points at, even weakly, is not retained by either referrer alone;
//   - a class object is also referenced by the instance that linked it (reachability.ts).

import type { HeapGraph } from './graph';
import { classLinkOf, type Reachability } from './reachability';

export interface Dominators {
  /** Immediate dominator of each object, -1 for the super-root. */
  idom: Int32Array;
  /** Every object in depth-first preorder from the super-root: a dominator comes before all it dominates. */
  preorder: Int32Array;
}

export function computeDominators(graph: HeapGraph, reach: Reachability): Dominators {
  const n = graph.nodeCount;
  const N = n + 1;
  const S = n;
  const { edgeStart, edges, weak } = graph;
  const { isRoot, reached } = reach;
  // The super-root is a predecessor of roots and of everything no root reaches.
  const fromSuper = (v: number) => isRoot[v] === 1 || reached[v] === 0;

  // Seven int arrays per object; the DFS borrows `work` and `ancestor` as its stack.
  const num = new Int32Array(N).fill(-1);
  const vertex = new Int32Array(N);
  const parent = new Int32Array(N);
  const semi = new Int32Array(N);
  const label = new Int32Array(N);
  const ancestor = new Int32Array(N);
  const work = new Int32Array(N);

  // ----- depth-first numbering from the super-root (successors: references, referents, class link) -----
  let count = 1;
  num[S] = 0;
  vertex[0] = S;
  const stackNode = work;
  const stackCursor = ancestor;
  const stackTotal = semi; // successors of the stacked node, counted once when it is pushed
  const stackWeak = label; // where its referents start in graph.weak, -1 for none
  const push = (sp: number, t: number) => {
    stackNode[sp] = t;
    stackCursor[sp] = 0;
    const wFirst = weak.count > 0 ? weak.first(t) : -1;
    stackWeak[sp] = wFirst;
    stackTotal[sp] = edgeStart[t + 1]! - edgeStart[t]! + (wFirst < 0 ? 0 : weak.end(wFirst) - wFirst) + (classLinkOf(graph, reach, t) >= 0 ? 1 : 0);
  };
  for (let u = 0; u < n; u++) {
    if (!fromSuper(u) || num[u]! >= 0) continue;
    num[u] = count;
    vertex[count] = u;
    parent[count] = 0;
    count++;
    push(0, u);
    let sp = 1;
    while (sp > 0) {
      const v = stackNode[sp - 1]!;
      let c = stackCursor[sp - 1]!;
      const total = stackTotal[sp - 1]!;
      const sBeg = edgeStart[v]!;
      const strong = edgeStart[v + 1]! - sBeg;
      let pushed = false;
      while (c < total) {
        let t: number;
        if (c < strong) t = edges[sBeg + c]!;
        else {
          const wFirst = stackWeak[sp - 1]!;
          const weakCount = wFirst < 0 ? 0 : weak.end(wFirst) - wFirst;
          t = c < strong + weakCount ? weak.to[wFirst + c - strong]! : classLinkOf(graph, reach, v);
        }
        c++;
        if (num[t]! < 0) {
          stackCursor[sp - 1] = c;
          num[t] = count;
          vertex[count] = t;
          parent[count] = num[v]!;
          count++;
          push(sp, t);
          sp++;
          pushed = true;
          break;
        }
      }
      if (!pushed) sp--;
    }
  }

  // ----- predecessors, by DFS number -----
  const predStart = new Uint32Array(N + 1);
  const forEachEdge = (visit: (from: number, to: number) => void) => {
    for (let v = 0; v < n; v++) {
      for (let e = edgeStart[v]!, end = edgeStart[v + 1]!; e < end; e++) visit(v, edges[e]!);
      const link = classLinkOf(graph, reach, v);
      if (link >= 0) visit(v, link);
    }
    for (let i = 0; i < weak.count; i++) visit(weak.from[i]!, weak.to[i]!);
  };
  forEachEdge((_, to) => predStart[num[to]! + 1]!++);
  for (let i = 0; i < N; i++) predStart[i + 1]! += predStart[i]!;
  const preds = new Int32Array(predStart[N]!);
  {
    const fill = predStart.slice(0, N);
    forEachEdge((from, to) => {
      preds[fill[num[to]!]!++] = num[from]!;
    });
  }

  // ----- semidominators, with path compression over the processed part of the DFS tree -----
  for (let i = 0; i < N; i++) {
    semi[i] = i;
    label[i] = i;
  }
  ancestor.fill(-1);
  const stack = work;
  for (let i = N - 1; i >= 1; i--) {
    let s = fromSuper(vertex[i]!) ? 0 : semi[i]!;
    for (let e = predStart[i]!, end = predStart[i + 1]!; e < end && s > 0; e++) {
      const u = preds[e]!;
      if (u < i) {
        if (u < s) s = u;
      } else if (u > i) {
        // eval(u): compress the ancestor path, then the label with the smallest semidominator.
        let x = u;
        let sp = 0;
        while (ancestor[ancestor[x]!]! !== -1) {
          stack[sp++] = x;
          x = ancestor[x]!;
        }
        while (sp > 0) {
          const y = stack[--sp]!;
          const a = ancestor[y]!;
          if (semi[label[a]!]! < semi[label[y]!]!) label[y] = label[a]!;
          ancestor[y] = ancestor[a]!;
        }
        const l = semi[label[u]!]!;
        if (l < s) s = l;
      }
    }
    semi[i] = s;
    ancestor[i] = parent[i]!;
  }

  // ----- immediate dominators: the nearest common ancestor of the DFS parent and the semidominator -----
  const idomNum = parent; // reused in place
  for (let i = 1; i < N; i++) {
    let j = idomNum[i]!;
    while (j > semi[i]!) j = idomNum[j]!;
    idomNum[i] = j;
  }
  const idom = new Int32Array(n);
  for (let i = 1; i < N; i++) {
    const d = idomNum[i]!;
    idom[vertex[i]!] = d === 0 ? -1 : vertex[d]!;
  }
  return { idom, preorder: vertex.slice(1) };
}
