// The dominator tree and paths from GC roots of any object, which the index does not store (it
// keeps the 500 biggest objects, not the graph: docs/schema.md). The first question about a heap
// dump reads the dump again into the compact graph of core/analysis/heap and keeps it in memory
// for the questions that follow; one dump at a time, since a big one takes most of a GiB.

import { EVIDENCE_SNIFFERS } from '../../registry/formats';
import { formatHas } from '../case-access/sources-with';
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { DominatorNode, HeapModel, HeapPathStep } from './contract';
import { dominatorTree, type DominatorTree } from '../../analysis/heap/dominator-tree';
import { computeDominators } from '../../analysis/heap/dominators';
import type { HeapGraph } from '../../analysis/heap/graph';
import { buildIdLookup, type IdLookup } from '../../analysis/heap/id-index';
import { loadHeap } from '../../formats/hprof/load';
import { describe, pathFromRoot } from '../../analysis/heap/paths';
import { computeReachability, type Reachability } from '../../analysis/heap/reachability';
import { jvmRetained, visualVmRetained } from '../../analysis/heap/retained';
import { inferShape, shallowSizes, type VmShape } from '../../analysis/heap/sizes';
import { walkEvidence } from '../../../parsers/source/walk';

/** Dumps bigger than this (uncompressed) are not read again for the tree: the UI server would hold gigabytes. */
export const TREE_MAX_DUMP_BYTES = 2 * 1024 ** 3;

class HeapTree {
  private readonly lookup: IdLookup;
  private readonly sizes = new Map<HeapModel, { shallow: Float64Array; retained: Float64Array }>();
  /** Children sorted by retained size, per model and parent, as they are asked for. */
  private readonly sorted = new Map<string, Int32Array>();

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

  pathToRoot(objectId: string): HeapPathStep[] {
    return pathFromRoot(this.graph, this.reach, this.node(objectId));
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
    const tree = readTree(source.file, source.entry);
    cached = { key, tree };
    // A failed read is not kept: the next question tries again.
    tree.catch(() => {
      if (cached?.tree === tree) cached = null;
    });
  }
  return cached.tree;
}

async function readTree(file: string, entry: string): Promise<HeapTree> {
  const walk = walkEvidence(file, { formats: EVIDENCE_SNIFFERS });
  try {
    for await (const item of walk) {
      if (item.kind !== 'evidence' || !formatHas(item.format, 'heap') || item.name !== entry) continue;
      // Diagnostics were recorded at ingest; reading again finds the same ones.
      const loaded = await loadHeap(item.reader, () => {});
      if (!loaded.graph) throw new ApiError('bad-input', `${entry}: the heap dump's header could not be read`);
      return buildTree(loaded.graph);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const partial = (err as { partial?: { graph: HeapGraph | null } }).partial;
    // A dump cut short was analysed as far as it goes at ingest; the tree is of the same part.
    if (partial?.graph) return buildTree(partial.graph);
    throw new ApiError('bad-input', `${file}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await walk.return(undefined);
  }
  throw new ApiError('not-found', `${file} no longer holds the heap dump ${entry}`);
}

function buildTree(graph: HeapGraph): HeapTree {
  const reach = computeReachability(graph);
  const dom = computeDominators(graph, reach);
  return new HeapTree(graph, inferShape(graph), reach, dom, dominatorTree(graph, dom));
}
