// From a HeapGraph to the report the index keeps and the CLI prints, for both size models. The
// graph-wide work (reachability, dominators) is done once; sizes and everything that adds sizes up
// is done per model.
//
// Unreachable objects (what `jmap -dump` without `live` also writes) are counted in the
// histogram's instances and shallow bytes, in no retained size, and in the summary's
// unreachableObjects/unreachableShallowBytes; class objects are never counted as unreachable (a
// loaded class is not garbage, even when no reference the dump shows leads to it).

import { hexId, KIND_CLASS, type HeapGraph } from './graph';
import { computeDominators, type Dominators } from './dominators';
import { dominatorTree, sameClassAbove } from './dominator-tree';
import { findDuplicateStrings, groupDuplicateStrings, type DuplicateString } from './duplicate-strings';
import { describe, pathFromRoot, type PathStep } from './paths';
import { computeReachability, type Reachability } from './reachability';
import { biggestObjects, jvmRetained, retainedByClass, visualVmRetained } from './retained';
import { inferShape, SIZE_MODELS, shallowSizes, type SizeModelName } from './sizes';
import { findSuspects, type Suspect } from './suspects';
import { ArrayTexts } from './text';
import { findThreads, type ThreadInfo } from './threads';

export const UNREACHABLE_POLICY =
  'objects no GC root reaches (garbage a dump without "live" keeps) are counted in the histogram (instances, shallowBytes) and here, and in no retained size; class objects are never counted as unreachable';

export interface HeapSummary {
  format: string;
  idSize: number;
  /** When the dump was taken (the header's timestamp), ISO 8601; null when the header's value is no date. */
  timestamp: string | null;
  vm: 'hotspot' | 'art';
  /** The object layout capscope inferred, and why. */
  layout: string;
  sizeModel: SizeModelName;
  sizeModelDescription: string;
  /** Objects in the histogram: instances and arrays (and, in the jvm model, class objects). */
  objects: number;
  /** Classes dumped. */
  classes: number;
  shallowBytes: number;
  /** GC root records, and the distinct objects they name. */
  gcRoots: number;
  gcRootObjects: number;
  /** The heap the percentages refer to: shallow bytes of reachable objects (and class objects). */
  heapBytes: number;
  unreachableObjects: number;
  unreachableShallowBytes: number;
  unreachablePolicy: string;
  /** False when the dump was cut short or a fault stopped the read: what came before is analysed. */
  complete: boolean;
}

export interface HistogramRow {
  class: string;
  classId: string;
  instances: number;
  shallowBytes: number;
  retainedBytes: number;
}

export interface DominatorRow {
  objectId: string;
  class: string;
  /** For a class object, the class it stands for. */
  classOf?: string;
  shallowBytes: number;
  retainedBytes: number;
  gcRoot: boolean;
  pathFromRoot: PathStep[];
}

export interface HeapReport {
  summary: HeapSummary;
  histogram: HistogramRow[];
  dominators: DominatorRow[];
  suspects: Suspect[];
  duplicateStrings: DuplicateString[];
  threads: ThreadInfo[];
}

export interface AnalyseOptions {
  /** Rows kept for the dominator and duplicate-string lists. */
  top?: number;
  models?: readonly SizeModelName[];
  /** Called between phases (the caller may report progress or yield). */
  onPhase?: (phase: string) => void;
  /** Keep the per-object arrays (shallow and retained sizes per model, reachability, dominators). */
  keepArrays?: boolean;
}

export interface HeapArrays {
  reach: Reachability;
  dominators: Dominators;
  shallow: Partial<Record<SizeModelName, Float64Array>>;
  retained: Partial<Record<SizeModelName, Float64Array>>;
}

export interface HeapAnalysis {
  reports: Partial<Record<SizeModelName, HeapReport>>;
  phasesMs: Record<string, number>;
  arrays?: HeapArrays;
}

export function analyseHeap(graph: HeapGraph, options: AnalyseOptions = {}): HeapAnalysis {
  const top = options.top ?? 500;
  const phasesMs: Record<string, number> = {};
  let last = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phasesMs[name] = Math.round(now - last);
    last = now;
    options.onPhase?.(name);
  };
  const vm = inferShape(graph);
  const reach = computeReachability(graph);
  phase('reachability');
  const dom = computeDominators(graph, reach);
  phase('dominators');
  const tree = dominatorTree(graph, dom);
  const same = sameClassAbove(graph, tree);
  const texts = new ArrayTexts(graph);
  phase('dominator tree');
  const stringGroups = groupDuplicateStrings(graph, reach, texts);
  phase('duplicate strings');

  const reports: Partial<Record<SizeModelName, HeapReport>> = {};
  const arrays: HeapArrays | undefined = options.keepArrays ? { reach, dominators: dom, shallow: {}, retained: {} } : undefined;
  for (const model of options.models ?? SIZE_MODELS) {
    const sizes = shallowSizes(graph, vm, model);
    const shallow = sizes.bytes;
    const retained = model === 'jvm' ? jvmRetained(graph, reach, dom, shallow) : visualVmRetained(graph, reach, dom, shallow);
    const withClassObjects = model === 'jvm';
    if (arrays) {
      arrays.shallow[model] = shallow;
      arrays.retained[model] = retained;
    }

    // Histogram
    const instances = new Float64Array(graph.classes.length);
    const bytes = new Float64Array(graph.classes.length);
    let heapBytes = 0;
    let unreachableObjects = 0;
    let unreachableBytes = 0;
    for (let v = 0; v < graph.nodeCount; v++) {
      const isClass = graph.kind[v] === KIND_CLASS;
      if (isClass && !withClassObjects) continue;
      const c = isClass ? graph.javaLangClass : graph.classOf[v]!;
      if (c >= 0) {
        instances[c]!++;
        bytes[c]! += shallow[v]!;
      }
      if (reach.reached[v] || isClass) heapBytes += shallow[v]!;
      else {
        unreachableObjects++;
        unreachableBytes += shallow[v]!;
      }
    }
    const byClass = retainedByClass(graph, retained, same, instances, model === 'visualvm');
    const histogram: HistogramRow[] = [];
    let objects = 0;
    let shallowTotal = 0;
    for (const cls of graph.classes) {
      if (instances[cls.index] === 0) continue;
      objects += instances[cls.index]!;
      shallowTotal += bytes[cls.index]!;
      histogram.push({ class: cls.name, classId: hexId(cls.id), instances: instances[cls.index]!, shallowBytes: bytes[cls.index]!, retainedBytes: byClass[cls.index]! });
    }
    histogram.sort((a, b) => b.shallowBytes - a.shallowBytes || b.instances - a.instances || (a.class < b.class ? -1 : a.class > b.class ? 1 : 0));

    const dominators = biggestObjects(graph, retained, top).map((v) => {
      const who = describe(graph, v);
      return { ...who, shallowBytes: shallow[v]!, retainedBytes: retained[v]!, gcRoot: reach.isRoot[v] === 1, pathFromRoot: pathFromRoot(graph, reach, v) };
    });
    const rootObjects = new Set<number>();
    for (let i = 0; i < graph.roots.count; i++) if (graph.roots.node[i]! >= 0) rootObjects.add(graph.roots.node[i]!);

    reports[model] = {
      summary: {
        format: graph.header.version,
        idSize: graph.header.idSize,
        timestamp: graph.header.timestampMs === null ? null : new Date(graph.header.timestampMs).toISOString(),
        vm: vm.vm,
        layout: vm.evidence,
        sizeModel: model,
        sizeModelDescription: sizes.description,
        objects,
        classes: graph.classes.filter((c) => c.dumped).length,
        shallowBytes: shallowTotal,
        gcRoots: graph.roots.count,
        gcRootObjects: rootObjects.size,
        heapBytes,
        unreachableObjects,
        unreachableShallowBytes: unreachableBytes,
        unreachablePolicy: UNREACHABLE_POLICY,
        complete: graph.complete,
      },
      histogram,
      dominators,
      suspects: findSuspects(graph, tree, retained, heapBytes),
      duplicateStrings: findDuplicateStrings(graph, stringGroups, shallow, texts, top),
      threads: findThreads(graph, retained, texts, reach),
    };
    phase(`${model} sizes`);
  }
  return arrays ? { reports, phasesMs, arrays } : { reports, phasesMs };
}
