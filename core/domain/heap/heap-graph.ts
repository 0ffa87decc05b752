// The dominator tree and paths from GC roots of any object, which the index does not store (it
// keeps the 500 biggest objects, not the graph: docs/schema.md). The first question about a heap
// dump reads the dump again into the compact graph of core/analysis/heap (with the field of every
// reference, for naming paths and references) and keeps it in memory for the questions that
// follow; one dump at a time, since a big one takes most of a GiB. What the questions add is
// bounded too: per-object arrays for the last class asked about (merged paths, instances), the
// incoming-reference index once, and every answer a page.

import { formatHas } from '../case-access/sources-with';
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type {
  DominatorClassGroup,
  DominatorNode,
  GcRootInfo,
  HeapInstanceRow,
  HeapModel,
  HeapObjectInfo,
  HeapPathStep,
  HeapReferenceRow,
  MergedPathNode,
} from './contract';
import { groupByClass, groupMembers } from '../../analysis/heap/class-groups';
import { referenceBetween } from '../../analysis/heap/edge-labels';
import { GcRoots } from '../../analysis/heap/gc-roots';
import { IncomingIndex, outgoingReferences } from '../../analysis/heap/references';
import { classKey, mergedChildren, mergeShortestPaths, shortestPathTree, type MergedPaths, type PathTree } from '../../analysis/heap/shortest-paths';
import { ArrayTexts } from '../../analysis/heap/text';
import { threadDirectory } from '../../analysis/heap/threads';
import { hexId, KIND_CLASS } from '../../analysis/heap/graph';
import { dominatorTree, type DominatorTree } from '../../analysis/heap/dominator-tree';
import { computeDominators } from '../../analysis/heap/dominators';
import type { HeapGraph } from '../../analysis/heap/graph';
import { buildIdLookup, type IdLookup } from '../../analysis/heap/id-index';
import { loadHeap } from '../../formats/hprof/load';
import { describe, pathFromRoot } from '../../analysis/heap/paths';
import { computeReachability, type Reachability } from '../../analysis/heap/reachability';
import { jvmRetained, visualVmRetained } from '../../analysis/heap/retained';
import { inferShape, shallowSizes, type VmShape } from '../../analysis/heap/sizes';
import { readSources } from '../case-access/source-readers';

/** Dumps bigger than this (uncompressed) are not read again for the tree: the UI server would hold gigabytes. */
export const TREE_MAX_DUMP_BYTES = 2 * 1024 ** 3;

export class HeapTree {
  private readonly lookup: IdLookup;
  private readonly sizes = new Map<HeapModel, { shallow: Float64Array; retained: Float64Array }>();
  /** Children sorted by retained size, per model and parent, as they are asked for. */
  private readonly sorted = new Map<string, Int32Array>();
  private roots: GcRoots | null = null;
  private pathTree: PathTree | null = null;
  private incoming: IncomingIndex | null = null;
  private classIds: Map<string, number> | null = null;
  /** The last class's merged paths and sorted instances (per-object arrays: one class at a time). */
  private merged: { key: string; paths: MergedPaths } | null = null;
  private instancesOf: { key: string; nodes: Int32Array } | null = null;

  constructor(
    private readonly graph: HeapGraph,
    private readonly vm: VmShape,
    private readonly reach: Reachability,
    private readonly dom: ReturnType<typeof computeDominators>,
    private readonly tree: DominatorTree,
  ) {
    this.lookup = buildIdLookup(graph.ids, graph.kind, graph.nodeCount);
  }

  node(objectId: string): number {
    const id = /^0x[0-9a-f]+$/i.test(objectId) ? parseInt(objectId.slice(2), 16) : NaN;
    const v = Number.isFinite(id) ? this.lookup.get(id, -1) : -1;
    if (v < 0) throw new ApiError('not-found', `no object ${objectId} in this heap dump`);
    return v;
  }

  private sizesOf(model: HeapModel) {
    let s = this.sizes.get(model);
    if (!s) {
      const shallow = shallowSizes(this.graph, this.vm, model).bytes;
      const retained = model === 'jvm' ? jvmRetained(this.graph, this.reach, this.dom, shallow) : visualVmRetained(this.graph, this.reach, this.dom, shallow);
      s = { shallow, retained };
      this.sizes.set(model, s);
    }
    return s;
  }

  /** Children of `parent` (the tree's super-root when null), biggest retained size first. */
  children(parent: string | null, model: HeapModel, page: { limit: number; offset: number }): { total: number; rows: DominatorNode[] } {
    const n = this.graph.nodeCount;
    const p = parent === null ? n : this.node(parent);
    const { shallow, retained } = this.sizesOf(model);
    const key = `${model}:${p}`;
    let kids = this.sorted.get(key);
    if (!kids) {
      const list: number[] = [];
      for (let i = this.tree.start[p]!; i < this.tree.start[p + 1]!; i++) {
        const c = this.tree.children[i]!;
        // Objects no root reaches hang from the super-root too; they are garbage, not part of the tree.
        if (this.reach.reached[c]) list.push(c);
      }
      list.sort((a, b) => retained[b]! - retained[a]! || this.graph.ids[a]! - this.graph.ids[b]!);
      kids = Int32Array.from(list);
      this.sorted.set(key, kids);
    }
    const rows: DominatorNode[] = [];
    for (const c of kids.subarray(page.offset, page.offset + page.limit)) {
      let childCount = 0;
      for (let i = this.tree.start[c]!; i < this.tree.start[c + 1]!; i++) if (this.reach.reached[this.tree.children[i]!]) childCount++;
      rows.push({ ...describe(this.graph, c), shallowBytes: shallow[c]!, retainedBytes: retained[c]!, childCount, gcRoot: this.reach.isRoot[c] === 1 });
    }
    return { total: kids.length, rows };
  }

  private gcRoots(): GcRoots {
    this.roots ??= new GcRoots(this.graph, threadDirectory(this.graph, new ArrayTexts(this.graph)));
    return this.roots;
  }

  private rootInfo(v: number): GcRootInfo | null {
    const root = this.gcRoots().of(v);
    return root && { ...root, kinds: [...root.kinds] };
  }

  /** The class a class object's id names (histogram rows carry it). */
  classIndex(classId: string): number {
    if (!this.classIds) {
      this.classIds = new Map();
      for (const c of this.graph.classes) this.classIds.set(hexId(c.id), c.index);
    }
    const c = this.classIds.get(classId.toLowerCase());
    if (c === undefined) throw new ApiError('not-found', `no class ${classId} in this heap dump`);
    return c;
  }

  private className(c: number): string {
    return c >= 0 ? this.graph.classes[c]!.name : 'unknown class';
  }

  pathToRoot(objectId: string): { path: HeapPathStep[]; root: GcRootInfo | null } {
    const v = this.node(objectId);
    const path = pathFromRoot(this.graph, this.reach, v);
    if (path.length === 0) return { path, root: null };
    // Name each step's reference from the one before it (skipping the elided middle of a long path).
    const named: HeapPathStep[] = [];
    let prev = -1;
    for (const step of path) {
      if ('elided' in step) {
        named.push(step);
        prev = -1;
        continue;
      }
      const node = this.node(step.objectId);
      const from = prev >= 0 ? prev : this.reach.parent[node]!;
      named.push(from >= 0 ? { ...step, field: referenceBetween(this.graph, this.reach, from, node) } : step);
      prev = node;
    }
    let root = v;
    while (this.reach.parent[root]! >= 0) root = this.reach.parent[root]!;
    return { path: named, root: this.rootInfo(root) };
  }

  mergedPaths(classId: string, parent: string | null, model: HeapModel, page: { limit: number; offset: number }) {
    const c = this.classIndex(classId);
    const { shallow, retained } = this.sizesOf(model);
    const key = `${model}:${c}`;
    if (this.merged?.key !== key) this.merged = { key, paths: mergeShortestPaths(this.graph, this.reach, c, shallow) };
    const paths = this.merged.paths;
    this.pathTree ??= shortestPathTree(this.graph, this.reach);
    const tree = this.pathTree;
    const p = parent === null ? -1 : this.node(parent);
    const kids = mergedChildren(tree, paths, p, retained, this.graph.ids);
    const rows: MergedPathNode[] = [];
    for (const v of kids.subarray(page.offset, page.offset + page.limit)) {
      let childCount = 0;
      for (let i = tree.start[v]!; i < tree.start[v + 1]!; i++) if (paths.instances[tree.children[i]!]! > 0) childCount++;
      rows.push({
        ...describe(this.graph, v),
        field: p >= 0 ? referenceBetween(this.graph, this.reach, p, v) : null,
        root: p < 0 ? this.rootInfo(v) : null,
        instances: paths.instances[v]!,
        instancesShallowBytes: paths.instancesShallow[v]!,
        shallowBytes: shallow[v]!,
        retainedBytes: retained[v]!,
        childCount,
      });
    }
    return { class: this.className(c), instances: paths.total, reachedInstances: paths.reached, total: kids.length, rows };
  }

  references(objectId: string, direction: 'outgoing' | 'incoming', model: HeapModel, page: { limit: number; offset: number }): { object: HeapObjectInfo; total: number; rows: HeapReferenceRow[] } {
    const v = this.node(objectId);
    const { shallow, retained } = this.sizesOf(model);
    let refs;
    if (direction === 'outgoing') refs = outgoingReferences(this.graph, v, page.offset, page.limit);
    else {
      this.incoming ??= new IncomingIndex(this.graph);
      refs = this.incoming.references(v, page.offset, page.limit);
    }
    const rows = refs.rows.map((r) => ({ ...describe(this.graph, r.node), field: r.name, shallowBytes: shallow[r.node]!, retainedBytes: retained[r.node]! }));
    return { object: { ...describe(this.graph, v), shallowBytes: shallow[v]!, retainedBytes: retained[v]!, root: this.rootInfo(v) }, total: refs.total, rows };
  }

  instances(classId: string, model: HeapModel, page: { limit: number; offset: number }): { class: string; total: number; rows: HeapInstanceRow[] } {
    const c = this.classIndex(classId);
    const { shallow, retained } = this.sizesOf(model);
    const key = `${model}:${c}`;
    if (this.instancesOf?.key !== key) {
      const list: number[] = [];
      for (let v = 0; v < this.graph.nodeCount; v++) {
        // The histogram's rows: in the visualvm model class objects are no java.lang.Class instances.
        if (model === 'visualvm' && this.graph.kind[v] === KIND_CLASS) continue;
        if (classKey(this.graph, v) === c) list.push(v);
      }
      list.sort((a, b) => retained[b]! - retained[a]! || shallow[b]! - shallow[a]! || this.graph.ids[a]! - this.graph.ids[b]!);
      this.instancesOf = { key, nodes: Int32Array.from(list) };
    }
    const nodes = this.instancesOf.nodes;
    const rows = [...nodes.subarray(page.offset, page.offset + page.limit)].map((v) => ({ ...describe(this.graph, v), shallowBytes: shallow[v]!, retainedBytes: retained[v]! }));
    return { class: this.className(c), total: nodes.length, rows };
  }

  dominatorsByClass(classPath: string[], model: HeapModel, page: { limit: number; offset: number }): { total: number; rows: DominatorClassGroup[] } {
    const path = classPath.map((id) => this.classIndex(id));
    const { shallow, retained } = this.sizesOf(model);
    const members = groupMembers(this.graph, this.tree, this.reach, path);
    const groups = groupByClass(this.graph, this.tree, this.reach, members, shallow, retained);
    const rows = groups.slice(page.offset, page.offset + page.limit).map((g) => ({
      class: this.className(g.classIndex),
      classId: g.classIndex >= 0 ? hexId(this.graph.classes[g.classIndex]!.id) : '',
      objects: g.objects,
      shallowBytes: g.shallowBytes,
      retainedBytes: g.retainedBytes,
      withChildren: g.withChildren,
    }));
    return { total: groups.length, rows };
  }
}

let cached: { key: string; tree: Promise<HeapTree> } | null = null;

/** The tree of a case's heap dump, read from the evidence file on first use. */
export function heapTree(db: Database.Database, sourceId: number): Promise<HeapTree> {
  const source = db.prepare("SELECT file, entry, size, format FROM sources WHERE id = ?").get(sourceId) as { file: string; entry: string; size: number | null; format: string } | undefined;
  if (!source || !formatHas(source.format, 'heap')) throw new ApiError('not-found', `source ${sourceId} is not a heap dump`);
  if (source.size !== null && source.size > TREE_MAX_DUMP_BYTES) {
    throw new ApiError('bad-request', `the dominator tree of dumps over ${TREE_MAX_DUMP_BYTES / 1024 ** 3} GiB is not read into the UI; the biggest objects are listed instead (capscope heap)`);
  }
  const key = `${db.name}#${sourceId}#${source.file}#${source.entry}`;
  if (cached?.key !== key) {
    const tree = readTree(db, sourceId, source.file, source.entry);
    cached = { key, tree };
    // A failed read is not kept: the next question tries again.
    tree.catch(() => {
      if (cached?.tree === tree) cached = null;
    });
  }
  return cached.tree;
}

async function readTree(db: Database.Database, sourceId: number, file: string, entry: string): Promise<HeapTree> {
  let tree: HeapTree | null = null;
  try {
    await readSources(db, [sourceId], async (_, reader) => {
      // Diagnostics were recorded at ingest; reading again finds the same ones.
      const loaded = await loadHeap(reader, () => {}, { edgeSlots: true });
      if (!loaded.graph) throw new ApiError('bad-input', `${entry}: the heap dump's header could not be read`);
      tree = heapTreeOf(loaded.graph);
    });
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const partial = (err as { partial?: { graph: HeapGraph | null } }).partial;
    // A dump cut short was analysed as far as it goes at ingest; the tree is of the same part.
    if (partial?.graph) return heapTreeOf(partial.graph);
    throw new ApiError('bad-input', `${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return tree!;
}

/** The questions over a graph read with BuilderOptions.edgeSlots (without, references are named '?'). */
export function heapTreeOf(graph: HeapGraph): HeapTree {
  const reach = computeReachability(graph);
  const dom = computeDominators(graph, reach);
  return new HeapTree(graph, inferShape(graph), reach, dom, dominatorTree(graph, dom));
}
