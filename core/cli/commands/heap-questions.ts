// capscope heap's questions about one object or class (docs/cli.md): the path from a GC root
// (--path), an object's references (--refs, --incoming), a class's instances (--instances), the
// merged shortest paths from GC roots to them (--merge-paths) and the dominator tree grouped by
// class (--by-class). Each is asked of the heap domain's API, as the heap view asks it, and printed
// as text or as one JSON document.

import type { Core } from '../../app/create-core';
import type { HeapModel, HeapPathStep, MergedPathNode } from '../../domain/heap/contract';
import { formatCount } from '../../../common/format';
import { ApiError } from '../../api';
import { UsageError, type Flags } from './common';

export type HeapQuestion =
  | { kind: 'path'; objectId: string }
  | { kind: 'refs'; objectId: string; direction: 'outgoing' | 'incoming' }
  | { kind: 'instances'; className: string }
  | { kind: 'merge-paths'; className: string }
  | { kind: 'by-class' };

/** Lines of the merged paths' tree printed at most: the tree of a class with many instances is big. */
export const MERGED_PATHS_MAX_NODES = 1000;

/** The one question the flags ask, or null for the report; two at once is a usage error. */
export function heapQuestion(flags: Flags): HeapQuestion | null {
  const asked: HeapQuestion[] = [];
  const id = (flag: string): string => {
    const v = String(flags[flag]);
    if (!/^0x[0-9a-fA-F]{1,16}$/.test(v)) throw new UsageError(`--${flag} takes an object id (0x…, as the report prints it), got '${v}'`);
    return v.toLowerCase();
  };
  if (typeof flags.path === 'string') asked.push({ kind: 'path', objectId: id('path') });
  if (typeof flags.refs === 'string') asked.push({ kind: 'refs', objectId: id('refs'), direction: flags.incoming === true ? 'incoming' : 'outgoing' });
  if (typeof flags.instances === 'string') asked.push({ kind: 'instances', className: flags.instances });
  if (typeof flags['merge-paths'] === 'string') asked.push({ kind: 'merge-paths', className: flags['merge-paths'] });
  if (flags['by-class'] === true) asked.push({ kind: 'by-class' });
  if (flags.incoming === true && !asked.some((q) => q.kind === 'refs')) throw new UsageError('--incoming goes with --refs OBJECT');
  if (asked.length > 1) throw new UsageError('--path, --refs, --instances, --merge-paths and --by-class ask one question each: give one');
  return asked[0] ?? null;
}

interface Asked {
  core: Core;
  caseId: string;
  sourceId: number;
  model: HeapModel;
  /** Rows per list (--top). */
  top: number;
  offset: number;
}

/** Asks the question; returns what --json prints beside file and entry, and the text. */
export async function answerHeapQuestion(q: HeapQuestion, a: Asked): Promise<{ json: Record<string, unknown>; text: string }> {
  const base = { caseId: a.caseId, sourceId: a.sourceId, model: a.model };
  const h = a.core.handlers;
  const n = formatCount;
  switch (q.kind) {
    case 'path': {
      const res = await h['heap.pathToRoot']({ ...base, objectId: q.objectId });
      const lines = res.root ? [`GC root: ${res.root.label}${res.root.kinds.length > 1 ? ` (also ${res.root.kinds.slice(1).join(', ')})` : ''}`] : [`no GC root reaches ${q.objectId}`];
      for (const step of res.path) lines.push(`  ${stepText(step)}`);
      return { json: { pathToRoot: res }, text: lines.join('\n') };
    }
    case 'refs': {
      const res = await h['heap.references']({ ...base, objectId: q.objectId, direction: q.direction, limit: a.top, offset: a.offset });
      const o = res.object;
      const lines = [`${name(o)}: retains ${n(o.retainedBytes)} bytes, shallow ${n(o.shallowBytes)}${o.root ? `; GC root: ${o.root.label}` : ''}`];
      lines.push(`${q.direction === 'outgoing' ? 'Outgoing' : 'Incoming'} references (${rowsOf(a.offset, res.rows.length, res.total)})`);
      lines.push(`  ${'field'.padEnd(24)}  ${'shallow B'.padStart(10)}  ${'retained B'.padStart(12)}  object`);
      for (const r of res.rows) lines.push(`  ${r.field.padEnd(24)}  ${n(r.shallowBytes).padStart(10)}  ${n(r.retainedBytes).padStart(12)}  ${name(r)}`);
      return { json: { references: { direction: q.direction, offset: a.offset, ...res } }, text: lines.join('\n') };
    }
    case 'instances': {
      const classId = await classIdOf(a, q.className);
      const res = await h['heap.instances']({ ...base, classId, limit: a.top, offset: a.offset });
      const lines = [`Instances of ${res.class} (${rowsOf(a.offset, res.rows.length, res.total)}, biggest retained first)`, `  ${'shallow B'.padStart(10)}  ${'retained B'.padStart(12)}  object`];
      for (const r of res.rows) lines.push(`  ${n(r.shallowBytes).padStart(10)}  ${n(r.retainedBytes).padStart(12)}  ${name(r)}`);
      return { json: { instances: { classId, offset: a.offset, ...res } }, text: lines.join('\n') };
    }
    case 'merge-paths': {
      const classId = await classIdOf(a, q.className);
      const first = await h['heap.mergedPaths']({ ...base, classId, parent: null, limit: a.top, offset: 0 });
      let printed = 0;
      let cut = false;
      type Tree = MergedPathNode & { children: Tree[]; more: number };
      const grow = async (rows: MergedPathNode[], total: number): Promise<{ nodes: Tree[]; more: number }> => {
        const nodes: Tree[] = [];
        for (const r of rows) {
          if (printed >= MERGED_PATHS_MAX_NODES) {
            cut = true;
            break;
          }
          printed++;
          let children: Tree[] = [];
          let more = 0;
          if (r.childCount > 0) {
            const kids = await h['heap.mergedPaths']({ ...base, classId, parent: r.objectId, limit: a.top, offset: 0 });
            ({ nodes: children, more } = await grow(kids.rows, kids.total));
          }
          nodes.push({ ...r, children, more });
        }
        return { nodes, more: total - nodes.length };
      };
      const { nodes, more } = await grow(first.rows, first.total);
      const lines = [
        `Merged shortest paths from GC roots to ${first.class}: ${n(first.reachedInstances)} of ${n(first.instances)} instances reached`,
        `  (${a.top} children per object at most${cut ? `; cut at ${MERGED_PATHS_MAX_NODES} objects` : ''}; instances, their shallow bytes, the object's retained bytes)`,
      ];
      const print = (list: Tree[], depth: number, rest: number) => {
        const pad = '  '.repeat(depth + 1);
        for (const t of list) {
          const via = t.field ? `${t.field} → ` : '';
          const root = t.root ? `  [GC root: ${t.root.label}]` : '';
          lines.push(`${pad}${via}${name(t)}  ${n(t.instances)} ${t.instances === 1 ? 'instance' : 'instances'}, ${n(t.instancesShallowBytes)} B; retains ${n(t.retainedBytes)} B${root}`);
          print(t.children, depth + 1, t.more);
        }
        if (rest > 0) lines.push(`${pad}… ${n(rest)} more`);
      };
      print(nodes, 0, more);
      const json = { class: first.class, classId, instances: first.instances, reachedInstances: first.reachedInstances, childrenPerNode: a.top, maxNodes: MERGED_PATHS_MAX_NODES, cut, roots: nodes, moreRoots: more };
      return { json: { mergedPaths: json }, text: lines.join('\n') };
    }
    case 'by-class': {
      const res = await h['heap.dominatorsByClass']({ ...base, classPath: [], limit: a.top, offset: a.offset });
      const lines = [`Dominator tree grouped by class, top level (${rowsOf(a.offset, res.rows.length, res.total)} classes)`, `  ${'objects'.padStart(10)}  ${'shallow B'.padStart(12)}  ${'retained B'.padStart(12)}  class`];
      for (const g of res.rows) lines.push(`  ${n(g.objects).padStart(10)}  ${n(g.shallowBytes).padStart(12)}  ${n(g.retainedBytes).padStart(12)}  ${g.class}`);
      return { json: { dominatorsByClass: { offset: a.offset, ...res } }, text: lines.join('\n') };
    }
  }
}

function name(o: { class: string; classOf?: string; objectId: string }): string {
  return `${o.classOf ? `class ${o.classOf}` : o.class} ${o.objectId}`;
}

function stepText(step: HeapPathStep): string {
  if ('elided' in step) return `… ${formatCount(step.elided)} more …`;
  return `${step.field ? `${step.field} → ` : ''}${name(step)}`;
}

function rowsOf(offset: number, count: number, total: number): string {
  return count === total ? `${formatCount(total)}` : `${formatCount(offset + 1)}–${formatCount(offset + count)} of ${formatCount(total)}`;
}

/** A class by its name (exactly) or its class object's id; a name several loaders gave is ambiguous. */
async function classIdOf(a: Asked, className: string): Promise<string> {
  if (/^0x[0-9a-fA-F]{1,16}$/.test(className)) return className.toLowerCase();
  const res = await a.core.handlers['heap.histogram']({ caseId: a.caseId, sourceId: a.sourceId, model: a.model, classContains: className, limit: 500, offset: 0 });
  const exact = res.rows.filter((r) => r.class === className);
  if (exact.length === 1) return exact[0]!.classId;
  if (exact.length > 1) throw new ApiError('bad-request', `'${className}' names ${exact.length} classes (${exact.map((r) => r.classId).join(', ')}): give the class's id`);
  throw new ApiError('not-found', `no class named '${className}' has instances in this heap dump`);
}
