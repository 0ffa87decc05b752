// What an Eclipse MAT user expects of a heap whose answers are known (test/heap/helpers/leak-app.ts):
// the leak named by the static field holding it, paths from GC roots with the root's kind and the
// field at every step, merged paths, references, the dominator tree by class, a class's instances
// and the thread holding an OutOfMemoryError.

import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KIND_CLASS, type HeapGraph } from '../../core/analysis/heap/graph';
import type { HeapAnalysis } from '../../core/analysis/heap/analyse';
import type { HeapPathStep } from '../../core/domain/heap/contract';
import { heapTreeOf, type HeapTree } from '../../core/domain/heap/heap-graph';
import { loadDump, LEAK_APP_DUMP, LEAK_APP_HISTO, SESSIONS, sourceLine } from './helpers/leak-app';

let graph: HeapGraph;
let analysis: HeapAnalysis;

beforeAll(async () => {
  ({ graph, analysis } = await loadDump(LEAK_APP_DUMP));
});

describe('the leak suspect', () => {
  it('is named by the static field holding it, not by the class loader above it', () => {
    const [suspect] = analysis.reports.jvm!.suspects;
    expect(suspect!.holder).toMatchObject({ class: 'com.example.leak.SessionCache', field: 'CACHE', objectClass: 'java.util.HashMap' });
    expect(suspect!.title).toMatch(/^com\.example\.leak\.SessionCache\.CACHE \(java\.util\.HashMap\) retains [\d.]+ % of the heap$/);
    // What the map retains: its own 48 bytes, its table, 300 entries, their keys and the Sessions.
    expect(suspect!.holder!.retainedBytes).toBeGreaterThan(SESSIONS * (24 + 4096));
    expect(graph.nodeCount).toBeGreaterThan(0);
  });
});

describe('what the heap view asks of the graph', () => {
  let tree: HeapTree;
  let holder: string;
  const histo = new Map<string, number>();

  beforeAll(async () => {
    const { graph: withFields } = await loadDump(LEAK_APP_DUMP, { edgeSlots: true });
    tree = heapTreeOf(withFields);
    holder = analysis.reports.jvm!.suspects[0]!.holder!.objectId;
    // jmap -histo:live of the same process: "num: instances bytes class (module)".
    for (const line of fs.readFileSync(LEAK_APP_HISTO, 'utf8').split('\n')) {
      const m = /^\s*\d+:\s+(\d+)\s+\d+\s+(\S+)/.exec(line);
      if (m) histo.set(m[2]!, Number(m[1]));
    }
  });

  const classId = (name: string) => analysis.reports.jvm!.histogram.find((h) => h.class === name)!.classId;
  const fields = (path: HeapPathStep[]) => path.map((s) => ('elided' in s ? '…' : (s.field ?? '')));

  it('a Session: from the root, a field at every step, down SessionCache.CACHE, the map\'s table and an entry', () => {
    const session = tree.instances(classId('com.example.leak.Session'), 'jvm', { limit: 1, offset: 0 }).rows[0]!;
    const { path, root } = tree.pathToRoot(session.objectId);
    expect(root).not.toBeNull();
    expect(root!.label.length).toBeGreaterThan(0);
    const names = fields(path);
    expect(names[0]).toBe('');
    expect(names.slice(1).every((f) => f !== '' && f !== '?')).toBe(true);
    const at = path.findIndex((s) => !('elided' in s) && s.classOf === 'com.example.leak.SessionCache');
    expect(at).toBeGreaterThan(0);
    expect(names.slice(at + 1, at + 3)).toEqual(['static CACHE', 'table']);
    expect(names[at + 3]).toMatch(/^\[\d+\]$/);
    expect(names.slice(at + 4, -1).every((f) => f === 'next')).toBe(true);
    expect(names.at(-1)).toBe('value');
    expect(path.at(-1)).toMatchObject({ objectId: session.objectId, class: 'com.example.leak.Session' });
  });

  it('the Request worker-0 holds: a Java frame root of thread worker-0 at the line LeakApp.java marks', () => {
    const request = tree.instances(classId('com.example.leak.Request'), 'jvm', { limit: 5, offset: 0 });
    expect(request.total).toBe(histo.get('com.example.leak.Request'));
    const { path, root } = tree.pathToRoot(request.rows[0]!.objectId);
    const line = sourceLine('worker-0 waits here');
    expect(root).toMatchObject({ kind: 'java-frame', thread: 'worker-0', frame: `com.example.leak.LeakApp.work(LeakApp.java:${line})` });
    expect(root!.label).toBe(`Java frame of thread worker-0 at com.example.leak.LeakApp.work(LeakApp.java:${line})`);
    expect(path).toHaveLength(1);
    // Its body, one step on, by the field's name.
    const body = tree.references(request.rows[0]!.objectId, 'outgoing', 'jvm', { limit: 10, offset: 0 }).rows.find((r) => r.field === 'body')!;
    expect(body.class).toBe('byte[]');
    expect(fields(tree.pathToRoot(body.objectId).path)).toEqual(['', 'body']);
  });

  it('a Thread main holds in a local: described by main\'s frame (the first root record in walk order), its thread-object root listed after', () => {
    const worker = analysis.reports.jvm!.threads.find((t) => t.name === 'worker-0')!;
    const { path, root } = tree.pathToRoot(worker.objectId);
    expect(path).toHaveLength(1);
    expect(root!.kind).toBe('java-frame');
    expect(root!.label).toMatch(/^Java frame of thread main at com\.example\.leak\.LeakApp\.main\(LeakApp\.java:\d+\)$/);
    expect(root!.kinds).toEqual(['java-frame', 'thread-object']);
    // A thread no frame holds is a thread root: Signal Dispatcher runs no Java code.
    const signal = analysis.reports.jvm!.threads.find((t) => t.name === 'Signal Dispatcher')!;
    expect(tree.pathToRoot(signal.objectId).root).toMatchObject({ kind: 'thread-object', label: 'thread Signal Dispatcher', thread: 'Signal Dispatcher', frame: null });
  });

  it('a system class is a sticky-class root; the application class loader a JNI global, whose classes list leads to SessionCache', () => {
    const { path, root } = tree.pathToRoot(classId('java.util.HashMap'));
    expect(path).toHaveLength(1);
    expect(root).toEqual({ kind: 'sticky-class', label: 'system class (sticky class)', thread: null, frame: null, kinds: ['sticky-class'] });
    const cache = analysis.reports.jvm!.suspects[0]!.accumulation.path.find((s) => s.classOf === 'com.example.leak.SessionCache')!;
    const toCache = tree.pathToRoot(cache.objectId);
    expect(toCache.root).toMatchObject({ kind: 'jni-global', label: 'JNI global' });
    expect(toCache.path[0]).toMatchObject({ class: 'jdk.internal.loader.ClassLoaders$AppClassLoader' });
    expect(fields(toCache.path).slice(1, 3)).toEqual(['classes', 'elementData']);
    expect(fields(toCache.path)[3]).toMatch(/^\[\d+\]$/);
  });

  it('merged shortest paths to the Sessions: all 300, down one chain to the map, then spread over its entries', () => {
    const session = classId('com.example.leak.Session');
    const top = tree.mergedPaths(session, null, 'jvm', { limit: 50, offset: 0 });
    expect(top.class).toBe('com.example.leak.Session');
    expect(top.instances).toBe(SESSIONS);
    expect(top.instances).toBe(histo.get('com.example.leak.Session'));
    expect(top.reachedInstances).toBe(SESSIONS);
    expect(top.rows.reduce((n, r) => n + r.instances, 0)).toBe(SESSIONS);
    expect(top.rows[0]!.root).not.toBeNull();
    // Down the biggest branch until the paths part: that is the map's table.
    let node = top.rows[0]!;
    const seen: string[] = [];
    for (;;) {
      const kids = tree.mergedPaths(session, node.objectId, 'jvm', { limit: 500, offset: 0 });
      if (kids.total !== 1) {
        expect(node.class).toBe('java.util.HashMap$Node[]');
        expect(kids.rows.reduce((n, r) => n + r.instances, 0)).toBe(SESSIONS);
        expect(kids.rows.every((r) => /^\[\d+\]$/.test(r.field!))).toBe(true);
        break;
      }
      node = kids.rows[0]!;
      seen.push(node.field!);
      expect(node.instances).toBe(SESSIONS);
    }
    expect(seen.slice(-2)).toEqual(['static CACHE', 'table']);
    expect(node.instancesShallowBytes).toBe(SESSIONS * 24);
  });

  it('incoming and outgoing references of the map SessionCache.CACHE holds, paged', () => {
    const incoming = tree.references(holder, 'incoming', 'jvm', { limit: 10, offset: 0 });
    expect(incoming.object.class).toBe('java.util.HashMap');
    expect(incoming.rows.map((r) => [r.classOf, r.field])).toEqual([['com.example.leak.SessionCache', 'static CACHE']]);
    const out = tree.references(holder, 'outgoing', 'jvm', { limit: 100, offset: 0 });
    expect(out.rows[0]).toMatchObject({ field: '<class>', class: 'java.lang.Class', classOf: 'java.util.HashMap' });
    expect(out.rows.find((r) => r.field === 'table')?.class).toBe('java.util.HashMap$Node[]');
    const second = tree.references(holder, 'outgoing', 'jvm', { limit: 1, offset: 1 });
    expect(second.total).toBe(out.total);
    expect(second.rows).toEqual([out.rows[1]]);
    // The table's elements, by index.
    const table = out.rows.find((r) => r.field === 'table')!;
    const elements = tree.references(table.objectId, 'outgoing', 'jvm', { limit: 500, offset: 0 });
    expect(elements.rows.filter((r) => r.field.startsWith('[')).every((r) => r.class === 'java.util.HashMap$Node')).toBe(true);
  });

  it('references a page at a time are the whole list cut: class, fields and a weak referent, outgoing and incoming', async () => {
    const { graph: g } = await loadDump(LEAK_APP_DUMP, { edgeSlots: true });
    expect(g.weak.count).toBeGreaterThan(0);
    const weakRef = `0x${g.ids[g.weak.from[0]!]!.toString(16)}`;
    const referent = `0x${g.ids[g.weak.to[0]!]!.toString(16)}`;
    for (const [objectId, direction] of [[weakRef, 'outgoing'], [referent, 'incoming'], [holder, 'outgoing']] as const) {
      const all = tree.references(objectId, direction, 'jvm', { limit: 500, offset: 0 });
      const oneByOne = [];
      for (let offset = 0; offset < all.total; offset++) oneByOne.push(...tree.references(objectId, direction, 'jvm', { limit: 1, offset }).rows);
      expect(oneByOne).toEqual(all.rows);
      expect(tree.references(objectId, direction, 'jvm', { limit: 5, offset: all.total }).rows).toEqual([]);
    }
    expect(tree.references(weakRef, 'outgoing', 'jvm', { limit: 500, offset: 0 }).rows.at(-1)).toMatchObject({ objectId: referent, field: 'referent (weak)' });
    expect(tree.references(referent, 'incoming', 'jvm', { limit: 500, offset: 0 }).rows).toContainEqual(expect.objectContaining({ objectId: weakRef, field: 'referent (weak)' }));
  });

  it('instances of a class: the count jmap -histo gives, biggest retained first, paged', () => {
    const all = tree.instances(classId('com.example.leak.Session'), 'jvm', { limit: 500, offset: 0 });
    expect(all.total).toBe(SESSIONS);
    expect(all.rows.every((r) => r.shallowBytes === 24 && r.retainedBytes >= 24 + 4096 + 16)).toBe(true);
    for (let i = 1; i < all.rows.length; i++) expect(all.rows[i]!.retainedBytes).toBeLessThanOrEqual(all.rows[i - 1]!.retainedBytes);
    expect(tree.instances(classId('com.example.leak.Session'), 'jvm', { limit: 10, offset: 290 }).rows).toEqual(all.rows.slice(290));
  });

  it('the dominator tree grouped by class: the top adds up to the heap; down the leak, the map\'s 300 entries level by level', () => {
    const top = tree.dominatorsByClass([], 'jvm', { limit: 500, offset: 0 });
    // The heap's bytes also count the class objects no reference leads to, which are in no tree.
    const { reach, shallow } = analysis.arrays!;
    let unreachedClasses = 0;
    for (let v = 0; v < graph.nodeCount; v++) if (graph.kind[v] === KIND_CLASS && !reach.reached[v]) unreachedClasses += shallow.jvm![v]!;
    expect(top.rows.reduce((n, g) => n + g.retainedBytes, 0)).toBe(analysis.reports.jvm!.summary.heapBytes - unreachedClasses);
    expect(top.total).toBeGreaterThan(top.rows.filter((g) => g.objects > 1).length);
    const path = analysis.reports.jvm!.suspects[0]!.accumulation.path;
    const classPath = path.map((s) => classId(s.class));
    const level = tree.dominatorsByClass(classPath, 'jvm', { limit: 500, offset: 0 });
    // The table's entries (one per bucket used; the others chain from them by `next`).
    const table = path.at(-1)!;
    expect(table.class).toBe('java.util.HashMap$Node[]');
    const buckets = tree.references(table.objectId, 'outgoing', 'jvm', { limit: 500, offset: 0 }).rows.filter((r) => r.field.startsWith('['));
    expect(buckets.length).toBeLessThan(SESSIONS);
    const nodes = level.rows.find((g) => g.class === 'java.util.HashMap$Node')!;
    expect(nodes).toMatchObject({ objects: buckets.length, withChildren: buckets.length });
    expect(nodes.retainedBytes).toBe(buckets.reduce((n, b) => n + b.retainedBytes, 0));
    // Every entry is in one group or another, level by level down the chains.
    let entries = nodes.objects;
    let below = [...classPath, nodes.classId];
    for (;;) {
      const next = tree.dominatorsByClass(below, 'jvm', { limit: 500, offset: 0 }).rows.find((g) => g.class === 'java.util.HashMap$Node');
      if (!next) break;
      entries += next.objects;
      below = [...below, next.classId];
    }
    expect(entries).toBe(SESSIONS);
  });
});
