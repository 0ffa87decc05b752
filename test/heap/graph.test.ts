// Building the object graph: what bad input does to it (diagnostics, partial results, bounded
// memory), identifier lookup, HotSpot layouts worked out by hand, strings, suspects and
// duplicate strings on small heaps.

import { describe, expect, it } from 'vitest';
import { analyseHeap } from '../../core/analysis/heap/analyse';
import { KIND_CLASS } from '../../core/analysis/heap/graph';
import { buildIdLookup, HashIdLookup } from '../../core/analysis/heap/id-index';
import { arrayBytes, instanceBytes, layoutClass, mirrorBytes, type FieldLayout, type HotspotShape } from '../../core/analysis/heap/hotspot-layout';
import { loadHeap } from '../../core/formats/hprof/load';
import { HprofWriter } from './helpers/hprof-writer';
import { load, readerOf, T, ToyHeap } from './helpers/toy-heap';

const JNI_GLOBAL = 0x01;

describe('bad input', () => {
  it('references to objects that are not in the dump: counted, reported once, left out', async () => {
    const heap = new ToyHeap();
    const N = heap.defineClass('N', [['next', 'object']]);
    const a = heap.instance(N, { next: 0x7777770 });
    const b = heap.instance(N, { next: a });
    heap.root(JNI_GLOBAL, b, { id: 0 });
    heap.root(JNI_GLOBAL, { id: 0x5555550 }, { id: 0 });
    const { graph, diagnostics } = await load(heap.bytes());
    expect(diagnostics.map((d) => d.message)).toEqual([
      `1 references point to objects that are not in the dump (such as 0x7777770 from N 0x${a.id.toString(16)}): they are left out of the object graph`,
      '1 GC roots name objects that are not in the dump (first: jni-global root 0x5555550): they are ignored',
    ]);
    expect(graph.edges.length).toBe(1);
  });

  it('a class whose super class is missing: its own fields are still read', async () => {
    const w = new HprofWriter(4);
    w.string(1, 'Orphan').string(2, 'next').loadClass(1, 0x100, 1);
    w.heapDump((h) => {
      h.classDump({ classId: 0x100, superId: 0xdead0, fields: [{ nameId: 2, type: T.object }] });
      // own field (the reference), then 4 bytes of the missing super class's fields
      h.instance(0x1000, 0x100, [{ type: T.object, value: 0x1010 }, { type: T.int, value: 9 }]);
      h.instance(0x1010, 0x100, [{ type: T.object, value: 0 }, { type: T.int, value: 9 }]);
      h.root(JNI_GLOBAL, 0x1000, { id: 0 });
    });
    w.heapDumpEnd();
    const { graph, diagnostics } = await load(w.bytes());
    expect(diagnostics.map((d) => d.message)).toContain('instances of Orphan: a class up its hierarchy is missing from the dump, so only the fields of the classes that are present are read');
    expect(Array.from(graph.edges)).toEqual([graph.nodeCount - 1]);
    const report = analyseHeap(graph).reports.jvm!;
    expect(report.histogram.find((h) => h.class === 'Orphan')).toMatchObject({ instances: 2 });
  });

  it('an instance of a class that is never dumped: counted, not read', async () => {
    const w = new HprofWriter(4);
    w.heapDump((h) => h.instance(0x1000, 0x300, [{ type: T.int, value: 1 }]).root(JNI_GLOBAL, 0x1000, { id: 0 }));
    w.heapDumpEnd();
    const { graph, diagnostics } = await load(w.bytes());
    expect(diagnostics.map((d) => d.message)).toEqual(['instance 0x1000 is of class 0x300, which has no CLASS DUMP: its fields cannot be read, its references are not followed']);
    expect(analyseHeap(graph).reports.jvm!.histogram).toMatchObject([{ class: 'class@0x300', instances: 1 }]);
  });

  it('instances before their class (as Android writes some) give the same results as after it', async () => {
    const build = () => {
      const heap = new ToyHeap();
      const N = heap.defineClass('N', [['next', 'object'], ['v', 'long']]);
      let prev = null;
      for (let i = 0; i < 50; i++) prev = heap.instance(N, { next: prev, v: i });
      heap.root(JNI_GLOBAL, prev!, { id: 0 });
      return heap;
    };
    const first = analyseHeap((await load(build().bytes())).graph).reports.jvm!;
    const late = await load(build().bytes({ classesLast: true, segments: 3 }));
    expect(late.diagnostics).toEqual([]);
    const last = analyseHeap(late.graph).reports.jvm!;
    expect(last.histogram).toEqual(first.histogram);
    expect(last.dominators).toEqual(first.dominators);
  });

  it('the memory kept for instances waiting for their class is bounded: past it, their references are dropped', async () => {
    const heap = new ToyHeap();
    const N = heap.defineClass('N', [['next', 'object']]);
    let prev = null;
    for (let i = 0; i < 100; i++) prev = heap.instance(N, { next: prev });
    heap.root(JNI_GLOBAL, prev!, { id: 0 });
    const diagnostics: string[] = [];
    const { graph } = await loadHeap(readerOf(heap.bytes({ classesLast: true })), (_o, d) => diagnostics.push(d.message), { pendingBudget: 40 * 4 });
    expect(diagnostics).toContain('60 instances came before their class beyond the 0 MiB budget: their references are not followed');
    expect(graph!.edges.length).toBe(40 - 1);
    expect(analyseHeap(graph!).reports.jvm!.histogram.find((h) => h.class === 'N')!.instances).toBe(100);
  });

  it('a dump cut short: the objects before the cut are analysed, the summary says it is incomplete', async () => {
    const heap = new ToyHeap();
    const N = heap.defineClass('N', [['next', 'object']]);
    let prev = null;
    for (let i = 0; i < 100; i++) prev = heap.instance(N, { next: prev });
    heap.root(JNI_GLOBAL, prev!, { id: 0 });
    const bytes = heap.bytes();
    const diagnostics: string[] = [];
    const { graph, stop } = await loadHeap(readerOf(bytes.subarray(0, bytes.length - 600)), (_o, d) => diagnostics.push(d.message));
    expect(stop!.diagnostic.message).toContain('cut short');
    expect(diagnostics.filter((m) => m.includes('cut short'))).toEqual([]);
    const report = analyseHeap(graph!).reports.jvm!;
    expect(report.summary.complete).toBe(false);
    expect(report.histogram.find((h) => h.class === 'N')!.instances).toBeGreaterThan(50);
  });

  it('an instance whose field values do not fit its class, and an id used twice', async () => {
    const w = new HprofWriter(4);
    w.string(1, 'N').string(2, 'a').loadClass(1, 0x100, 1);
    w.heapDump((h) => {
      h.classDump({ classId: 0x100, fields: [{ nameId: 2, type: T.int }] });
      h.instance(0x1000, 0x100, [{ type: T.int, value: 1 }, { type: T.int, value: 2 }]);
      h.instance(0x1000, 0x100, [{ type: T.int, value: 1 }]);
    });
    w.heapDumpEnd();
    const { diagnostics } = await load(w.bytes());
    // Header 31, two STRING records (14 each), LOAD CLASS (25), the segment's header (9), the
    // class dump (48): the first instance starts at 141.
    expect(diagnostics.map((d) => d.message)).toEqual([
      'instance 0x1000 of N at offset 141: expected 4 bytes of field values (its class\'s fields), found 8; only the fields that fit are read',
      '1 objects reuse an identifier already taken by an earlier object (first: 0x1000); references go to the first one',
    ]);
  });
});

describe('identifier lookup', () => {
  it('the sorted search agrees with the hash table, class objects interleaved or not', () => {
    let state = 99;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const interleaved of [false, true]) {
      const n = 20_000;
      const ids = new Float64Array(n);
      const kind = new Uint8Array(n);
      let address = 2 ** 35;
      for (let i = 0; i < n; i++) {
        const cls = interleaved ? random() < 0.05 : i < 300;
        kind[i] = cls ? KIND_CLASS : 0;
        ids[i] = cls ? 2 ** 40 + Math.floor(random() * 2 ** 30) * 8 : (address += 8 * (1 + Math.floor(random() * 100)));
      }
      const sorted = buildIdLookup(ids, kind, n);
      expect(sorted).not.toBeInstanceOf(HashIdLookup);
      const hash = new HashIdLookup(ids, n);
      for (let k = 0; k < 50_000; k++) {
        const probe = random() < 0.7 ? ids[Math.floor(random() * n)]! : 2 ** 35 + Math.floor(random() * 2 ** 22) * 8;
        const near = random() < 0.5 ? Math.floor(random() * n) : -1;
        expect(sorted.get(probe, near)).toBe(hash.get(probe));
      }
    }
  });

  it('falls back to the hash table when the dump is not in address order', () => {
    const ids = Float64Array.from([0x30, 0x10, 0x20]);
    const lookup = buildIdLookup(ids, new Uint8Array(3), 3);
    expect(lookup).toBeInstanceOf(HashIdLookup);
    expect([lookup.get(0x10, -1), lookup.get(0x30, 2), lookup.get(0x40, 0)]).toEqual([1, 0, -1]);
  });
});

describe('HotSpot layouts, by hand', () => {
  const compressed: HotspotShape = { headerBytes: 12, oopBytes: 4, wordBytes: 8 };
  const lay = (name: string, sup: FieldLayout | null, fields: [string, number][]) =>
    layoutClass(
      name,
      sup,
      fields.map(([n, type]) => ({ name: n, type })),
      compressed,
    );
  const object = lay('java.lang.Object', null, []);

  it('fields after the header, largest first, in the smallest hole that fits', () => {
    expect(instanceBytes(object)).toBe(16);
    const withByte = lay('A', object, [['b', T.byte]]); // b at 12
    expect(instanceBytes(withByte)).toBe(16);
    // An int does not fit the 3 bytes left after b: appended at 16.
    expect(instanceBytes(lay('B', withByte, [['i', T.int]]))).toBe(24);
    // A long goes to 16 and leaves [12, 16): the int fills it, the short is appended at 24.
    const withLong = lay('C', object, [['l', T.long]]);
    expect(withLong.blocks).toEqual([0, 12, 16, 8]);
    const sub = lay('D', withLong, [['s', T.short], ['i', T.int]]);
    expect(sub.blocks).toEqual([0, 12, 12, 4, 16, 8, 24, 2]);
    expect(instanceBytes(sub)).toBe(32);
    // References come after primitives.
    expect(lay('E', object, [['r', T.object], ['l', T.long]]).blocks).toEqual([0, 12, 12, 4, 16, 8]);
  });

  it('@Contended: java.lang.Thread\'s random-number fields are padded, and so are its subclasses', () => {
    const thread = lay('java.lang.Thread', object, [
      ['name', T.object],
      ['priority', T.int],
      ['threadLocalRandomSeed', T.long],
      ['threadLocalRandomProbe', T.int],
      ['threadLocalRandomSecondarySeed', T.int],
    ]);
    // priority 12, name 16 → 20; padding 20–148; the group from 152 (8-aligned) to 168; padding to 296.
    expect(thread.fieldEnd).toBe(168);
    expect(instanceBytes(thread)).toBe(296);
    // A subclass appends after another padding block, never into the holes.
    expect(instanceBytes(lay('Worker', thread, [['done', T.boolean]]))).toBe(168 + 128 + 8);
  });

  it('class objects hold their static fields, references first; arrays align their elements', () => {
    expect(mirrorBytes(96, [T.object, T.long, T.byte, T.object], compressed)).toBe(96 + 8 + 8 + 8);
    expect(mirrorBytes(96, [T.int], compressed)).toBe(104);
    expect(arrayBytes(10, 1, compressed)).toBe(32);
    expect(arrayBytes(0, 8, compressed)).toBe(16);
    expect(arrayBytes(3, 8, { headerBytes: 16, oopBytes: 8, wordBytes: 8 })).toBe(48);
    expect(arrayBytes(3, 4, { headerBytes: 8, oopBytes: 4, wordBytes: 4 })).toBe(24);
    expect(arrayBytes(1, 8, { headerBytes: 8, oopBytes: 4, wordBytes: 4 })).toBe(24);
  });
});

describe('strings, suspects and duplicates on small heaps', () => {
  it('duplicate strings: copies, distinct arrays, wasted bytes', async () => {
    const heap = new ToyHeap();
    const own = [heap.string('abc'), heap.string('abc'), heap.string('abc')];
    const shared = heap.primitiveArray('byte', [97, 98, 99]);
    const String_ = heap.classNamed('java.lang.String');
    const sharing = [heap.instance(String_, { value: shared, coder: 0 }), heap.instance(String_, { value: shared, coder: 0 })];
    const other = heap.string('xyz');
    heap.root(JNI_GLOBAL, heap.objectArray('java.lang.String', [...own, ...sharing, other]), { id: 0 });
    const { graph } = await load(heap.bytes());
    const report = analyseHeap(graph).reports.jvm!;
    // String: 8 + hash 4 + coder 1 + value (4-aligned) at 16 → 20 → 24; byte[3]: 8 + 4 + 3 → 16.
    expect(report.duplicateStrings).toEqual([{ value: 'abc', count: 5, arrays: 4, length: 3, wastedBytes: 4 * 24 + 3 * 16, objectId: `0x${own[0]!.id.toString(16)}` }]);
  });

  it('reads UTF-16 strings and JDK 6 char[] strings with an offset and a count', async () => {
    const heap = new ToyHeap();
    const String_ = heap.classNamed('java.lang.String');
    const utf16 = heap.primitiveArray('byte', [0x41, 0, 0x03, 0x26]); // "A☃", UTF-16LE
    const s1 = heap.instance(String_, { value: utf16, coder: 1 });
    const s2 = heap.instance(String_, { value: utf16, coder: 1 });
    const Old = heap.defineClass('OldThread', [['name', 'object']]);
    void Old;
    heap.root(JNI_GLOBAL, heap.objectArray('java.lang.String', [s1, s2]), { id: 0 });
    const { graph } = await load(heap.bytes());
    expect(analyseHeap(graph).reports.jvm!.duplicateStrings[0]).toMatchObject({ value: 'A☃', length: 2, count: 2, arrays: 1 });

    const jdk6 = new ToyHeap();
    jdk6.defineClass('java.lang.String', [['value', 'object'], ['offset', 'int'], ['count', 'int'], ['hash', 'int']]);
    const chars = jdk6.primitiveArray('char', Array.from('hello world', (c) => c.charCodeAt(0)));
    const S = jdk6.classNamed('java.lang.String');
    const w1 = jdk6.instance(S, { value: chars, offset: 6, count: 5 });
    const w2 = jdk6.instance(S, { value: chars, offset: 6, count: 5 });
    const h = jdk6.instance(S, { value: chars, offset: 0, count: 5 });
    jdk6.root(JNI_GLOBAL, jdk6.objectArray('java.lang.String', [w1, w2, h]), { id: 0 });
    const old = await load(jdk6.bytes());
    expect(analyseHeap(old.graph).reports.jvm!.duplicateStrings).toMatchObject([{ value: 'world', count: 2, arrays: 1, length: 5 }]);
  });

  it('suspects: one object above a tenth of the heap, with its accumulation point; many objects of one class', async () => {
    const heap = new ToyHeap();
    const Holder = heap.defineClass('Holder', [['items', 'object']]);
    const buffers = Array.from({ length: 20 }, () => heap.primitiveArray('byte', new Array(1000).fill(1)));
    const items = heap.objectArray('java.lang.Object', buffers);
    const holder = heap.instance(Holder, { items });
    heap.root(JNI_GLOBAL, holder, { id: 0 });
    const Leak = heap.defineClass('Leak', [['data', 'object']]);
    for (let i = 0; i < 10; i++) heap.root(JNI_GLOBAL, heap.instance(Leak, { data: heap.primitiveArray('byte', new Array(300).fill(2)) }), { id: 0 });
    const { graph } = await load(heap.bytes());
    const report = analyseHeap(graph).reports.jvm!;
    const [first, second] = report.suspects;
    expect(first).toMatchObject({ kind: 'object', class: 'Holder', objectId: `0x${holder.id.toString(16)}` });
    // Holder → the array of buffers (nearly all of it) → the buffers split it: the array accumulates.
    expect(first!.accumulation).toMatchObject({ class: 'java.lang.Object[]', objectId: `0x${items.id.toString(16)}` });
    expect(first!.accumulation.path.map((p) => p.class)).toEqual(['Holder', 'java.lang.Object[]']);
    expect(second).toMatchObject({ kind: 'class', class: 'Leak', instances: 10, title: expect.stringMatching(/^10 instances of Leak together retain [\d.]+ % of the heap$/) });
    expect(first!.percent).toBeGreaterThan(second!.percent);
    expect(report.suspects.every((s) => s.percent > 10)).toBe(true);
  });

  it('threads: name, stack with lines, what their frames hold', async () => {
    const w = new HprofWriter(4);
    const strs = ['java/lang/Object', 'java/lang/Thread', 'java/lang/String', 'name', 'value', 'coder', 'run', '()V', 'Worker.java', 'Worker', 'wait'];
    strs.forEach((s, i) => w.string(i + 1, s));
    w.loadClass(1, 0x100, 1).loadClass(2, 0x200, 2).loadClass(3, 0x300, 3).loadClass(4, 0x400, 10);
    w.stackFrame(0x50, 7, 8, 9, 4, 42).stackFrame(0x58, 11, 8, 9, 1, -3);
    w.stackTrace(5, 1, [0x58, 0x50]);
    w.heapDump((h) => {
      h.classDump({ classId: 0x100 });
      h.classDump({ classId: 0x200, superId: 0x100, fields: [{ nameId: 4, type: T.object }] });
      h.classDump({ classId: 0x300, superId: 0x100, fields: [{ nameId: 5, type: T.object }, { nameId: 6, type: T.byte }] });
      h.classDump({ classId: 0x400, superId: 0x100 });
      h.primitiveArray(0x1000, T.byte, Array.from('worker-1', (c) => c.charCodeAt(0)));
      h.instance(0x1010, 0x300, [{ type: T.object, value: 0x1000 }, { type: T.byte, value: 0 }]);
      h.instance(0x1020, 0x200, [{ type: T.object, value: 0x1010 }]);
      h.instance(0x1030, 0x400, []);
      h.root(0x08, 0x1020, { u4: 1 }, { u4: 5 });
      h.root(0x03, 0x1030, { u4: 1 }, { u4: 1 });
      for (const cls of [0x100, 0x200, 0x300, 0x400]) h.root(0x05, cls);
    });
    w.heapDumpEnd();
    const { graph } = await load(w.bytes());
    expect(analyseHeap(graph).reports.jvm!.threads).toEqual([
      {
        name: 'worker-1',
        objectId: '0x1020',
        threadSerial: 1,
        // Thread 8 + name 4 → 16; String 8 + coder 1 + value at 12 → 16; byte[8] 8 + 4 + 8 → 24.
        retainedBytes: 16 + 16 + 24,
        localsRetainedBytes: 8,
        outOfMemoryError: null,
        stack: [
          { frame: 'java.lang.Object.wait(Native Method)', class: 'java.lang.Object', method: 'wait', sourceFile: 'Worker.java', line: null, locals: [] },
          { frame: 'Worker.run(Worker.java:42)', class: 'Worker', method: 'run', sourceFile: 'Worker.java', line: 42, locals: [{ objectId: '0x1030', class: 'Worker', retainedBytes: 8 }] },
        ],
      },
    ]);
  });
});
