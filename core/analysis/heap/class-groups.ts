// Eclipse MAT's "Group by class" on the dominator tree: the objects at one level grouped by their
// class, with counts and sizes. A group is named by the classes from the top down (its class path):
// [] is the tree's top level, [C] the top-level objects of class C, [C, D] the objects of class D
// that those immediately dominate, and so on. The objects of one group all sit at the same depth
// of the tree, so none dominates another and their retained sizes add up without counting twice.

import type { DominatorTree } from './dominator-tree';
import type { HeapGraph } from './graph';
import type { Reachability } from './reachability';
import { classKey } from './shortest-paths';

export interface ClassGroup {
  classIndex: number;
  objects: number;
  shallowBytes: number;
  retainedBytes: number;
  /** Objects of the group that dominate anything (the group can be opened). */
  withChildren: number;
}

/** The objects of the group a class path names (the tree's top level for []). */
export function groupMembers(graph: HeapGraph, tree: DominatorTree, reach: Reachability, classPath: readonly number[]): number[] {
  let level = childrenOf(graph, tree, reach, [graph.nodeCount]);
  for (const c of classPath) level = childrenOf(graph, tree, reach, level.filter((v) => classKey(graph, v) === c));
  return level;
}

function childrenOf(graph: HeapGraph, tree: DominatorTree, reach: Reachability, parents: number[]): number[] {
  const out: number[] = [];
  for (const p of parents) {
    for (let i = tree.start[p]!; i < tree.start[p + 1]!; i++) {
      const c = tree.children[i]!;
      // Objects no root reaches hang from the super-root too; they are garbage, not part of the tree.
      if (reach.reached[c]) out.push(c);
    }
  }
  return out;
}

/** The objects grouped by class, biggest retained size first. */
export function groupByClass(graph: HeapGraph, tree: DominatorTree, reach: Reachability, nodes: readonly number[], shallow: Float64Array, retained: Float64Array): ClassGroup[] {
  const groups = new Map<number, ClassGroup>();
  for (const v of nodes) {
    const c = classKey(graph, v);
    let g = groups.get(c);
    if (!g) {
      g = { classIndex: c, objects: 0, shallowBytes: 0, retainedBytes: 0, withChildren: 0 };
      groups.set(c, g);
    }
    g.objects++;
    g.shallowBytes += shallow[v]!;
    g.retainedBytes += retained[v]!;
    for (let i = tree.start[v]!; i < tree.start[v + 1]!; i++) {
      if (reach.reached[tree.children[i]!]) {
        g.withChildren++;
        break;
      }
    }
  }
  return [...groups.values()].sort((a, b) => b.retainedBytes - a.retainedBytes || b.objects - a.objects || a.classIndex - b.classIndex);
}
