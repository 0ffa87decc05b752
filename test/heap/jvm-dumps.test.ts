// Dumps taken from a running JVM (OpenJDK on this machine): a program with leaks designed so that
// their sizes are computed by hand (test/heap/java/Leaky.java), dumped with `jmap -dump` (all
// objects, garbage included), `jcmd GC.heap_dump` (live, plain and -gz) and
// -XX:+HeapDumpOnOutOfMemoryError; the JVM's GC.class_histogram is the oracle for instance counts
// and bytes. Class data sharing is off, so that every class mirror the JVM counts is in the dump.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseHeap, type HeapAnalysis } from '../../core/analysis/heap/analyse';
import type { HeapGraph } from '../../core/analysis/heap/graph';
import { loadHeap } from '../../core/formats/hprof/load';
import { walkEvidence } from '../../parsers/source/walk';
import { EVIDENCE_SNIFFERS } from '../../core/registry/formats';
import { scratchDir } from '../helpers/paths';
import { jvmHistogram } from './oracles';

const JAVA_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'java');
let dir: string;
let java: ChildProcess | null = null;
const dumps: Record<'all' | 'live' | 'gz' | 'oom', string> = { all: '', live: '', gz: '', oom: '' };
let histogramBefore = '';
let histogramAfter = '';

async function analyse(file: string): Promise<{ graph: HeapGraph; analysis: HeapAnalysis; diagnostics: string[] }> {
  const diagnostics: string[] = [];
  for await (const item of walkEvidence(file, { formats: EVIDENCE_SNIFFERS })) {
    if (item.kind !== 'evidence') continue;
    const { graph } = await loadHeap(item.reader, (_o, d) => diagnostics.push(`${d.severity}: ${d.message}`));
    return { graph: graph!, analysis: analyseHeap(graph!, { top: 50, keepArrays: true }), diagnostics };
  }
  throw new Error(`${file}: no heap dump`);
}

beforeAll(async () => {
  dir = scratchDir('heap-jvm');
  execFileSync('javac', ['-d', dir, path.join(JAVA_DIR, 'Leaky.java'), path.join(JAVA_DIR, 'Oom.java')]);
  const child = spawn('java', ['-Xshare:off', '-Xmx256m', '-Xmn128m', '-cp', dir, 'Leaky'], { stdio: ['ignore', 'pipe', 'inherit'] });
  java = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`Leaky exited with ${code}`)));
  });
  const pid = String(child.pid);
  dumps.all = path.join(dir, 'all.hprof');
  dumps.live = path.join(dir, 'live.hprof');
  dumps.gz = path.join(dir, 'live.hprof.gz');
  // First the dump of everything (no GC before it), then the live ones between two histograms.
  execFileSync('jmap', [`-dump:format=b,file=${dumps.all}`, pid]);
  histogramBefore = execFileSync('jcmd', [pid, 'GC.class_histogram'], { encoding: 'utf8' });
  execFileSync('jcmd', [pid, 'GC.heap_dump', dumps.live]);
  histogramAfter = execFileSync('jcmd', [pid, 'GC.class_histogram'], { encoding: 'utf8' });
  execFileSync('jcmd', [pid, 'GC.heap_dump', '-gz=1', dumps.gz]);
  child.kill();
  java = null;
  // A JVM that runs out of memory dumps its heap on the way down.
  const oomDir = path.join(dir, 'oom');
  fs.mkdirSync(oomDir);
  try {
    execFileSync('java', ['-Xshare:off', '-Xmx24m', '-XX:+HeapDumpOnOutOfMemoryError', `-XX:HeapDumpPath=${oomDir}`, '-cp', dir, 'Oom'], { stdio: 'ignore' });
  } catch {
    // exits with an OutOfMemoryError, as intended
  }
  dumps.oom = path.join(oomDir, fs.readdirSync(oomDir).find((f) => f.endsWith('.hprof'))!);
}, 90_000);

afterAll(() => {
  java?.kill();
});

describe('jcmd GC.heap_dump (live) against GC.class_histogram', () => {
  it('every class, java.lang.Class included: instances and bytes equal the JVM\'s', async () => {
    const { analysis, diagnostics } = await analyse(dumps.live);
    expect(diagnostics).toEqual([]);
    // The dump's own full GC runs reference processing: the histogram taken before it still
    // counts cleaners that the dump (and the histogram after it) no longer has.
    const after = jvmHistogram(histogramAfter);
    const mine = analysis.reports.jvm!.histogram.map((h) => ({ name: h.class, instances: h.instances, bytes: h.shallowBytes }));
    const byName = (rows: { name: string; instances: number; bytes: number }[]) => [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    expect(byName(mine)).toEqual(byName(after));
    const total = /Total\s+(\d+)\s+(\d+)/.exec(histogramAfter)!;
    expect([analysis.reports.jvm!.summary.objects, analysis.reports.jvm!.summary.shallowBytes]).toEqual([Number(total[1]), Number(total[2])]);
    // java.lang.Class is exact too: every mirror the JVM counts is a CLASS DUMP or a primitive
    // type's instance dump, and its size is java.lang.Class's plus the class's static fields.
    expect(after.find((r) => r.name === 'java.lang.Class')!.instances).toBeGreaterThan(400);
    expect(jvmHistogram(histogramBefore).length).toBeGreaterThan(200);
  });

  it('retained sizes computed by hand: the holder, the chain, the duplicated strings, a thread\'s buffer', async () => {
    const { graph, analysis } = await analyse(dumps.live);
    const retained = analysis.arrays!.retained.jvm!;
    const shallow = analysis.arrays!.shallow.jvm!;
    const leaky = graph.classes.find((c) => c.name === 'Leaky')!;
    const staticNode = (name: string) => {
      const id = leaky.statics.find((s) => graph.strings.get(s.nameId) === name)!.value;
      return Array.from(graph.ids).indexOf(id);
    };
    const holder = staticNode('HOLDER');
    const chain = staticNode('chain');
    const duplicates = staticNode('duplicates');
    // Holder 16 + ArrayList 24 + Object[1000] 16+4000 + 1000 × byte[1000] (16+1000).
    expect([shallow[holder], retained[holder]]).toEqual([16, 16 + 24 + 4016 + 1000 * 1016]);
    // 100,000 nodes of 12 + 8 + 4 = 24 bytes.
    expect([shallow[chain], retained[chain]]).toEqual([24, 100_000 * 24]);
    // String[500] (16 + 2000) + 500 × (String 24 + byte[9] 16+9 → 32).
    expect([shallow[duplicates], retained[duplicates]]).toEqual([2016, 2016 + 500 * 56]);
    const copies = analysis.reports.jvm!.duplicateStrings.find((d) => d.value === 'duplicate')!;
    expect(copies).toMatchObject({ count: 500, arrays: 500, length: 9, wastedBytes: 499 * 56 });
    const worker = analysis.reports.jvm!.threads.find((t) => t.name === 'leak-worker')!;
    const hold = worker.stack.find((f) => f.method === 'hold')!;
    expect(hold.frame).toMatch(/^Leaky\.hold\(Leaky\.java:\d+\)$/);
    expect(hold.locals).toContainEqual(expect.objectContaining({ class: 'byte[]', retainedBytes: 100_016 }));
  });

  it('the leak suspect: class Leaky, whose statics hold the leaks', async () => {
    const { analysis } = await analyse(dumps.live);
    const top = analysis.reports.jvm!.suspects[0]!;
    // The main class is reached both from the class loader and from the launcher's static
    // mainClass: nothing below the super-root dominates it, it is a top-level suspect itself.
    expect(top).toMatchObject({ kind: 'object', class: 'java.lang.Class', title: expect.stringMatching(/^class Leaky retains [\d.]+ % of the heap$/) });
    expect(top.percent).toBeGreaterThan(10);
    // Below it the size splits: the chain (2,400,000) is under 70 % of what the class holds.
    expect(top.accumulation.class).toBe('class Leaky');
    expect(top.retainedBytes).toBeGreaterThan(1_020_056 + 2_400_000 + 30_016);
  });

  it('-gz output (multi-member gzip) gives the same results as the plain dump', async () => {
    const plain = await analyse(dumps.live);
    const gz = await analyse(dumps.gz);
    expect(gz.diagnostics).toEqual([]);
    expect(gz.analysis.reports.jvm!.histogram.map((h) => [h.class, h.instances, h.shallowBytes])).toEqual(plain.analysis.reports.jvm!.histogram.map((h) => [h.class, h.instances, h.shallowBytes]));
    expect(gz.analysis.reports.jvm!.dominators.slice(0, 10).map((d) => [d.class, d.retainedBytes])).toEqual(plain.analysis.reports.jvm!.dominators.slice(0, 10).map((d) => [d.class, d.retainedBytes]));
  });
});

describe('jmap -dump without live: garbage included', () => {
  it('counts the garbage in the histogram and as unreachable, and in no retained size', async () => {
    const all = await analyse(dumps.all);
    const live = await analyse(dumps.live);
    const s = all.analysis.reports.jvm!.summary;
    // 5,000 int[25] made and dropped just before: 16 + 100 → 120 bytes each.
    expect(s.unreachableObjects).toBeGreaterThanOrEqual(5000);
    expect(s.unreachableShallowBytes).toBeGreaterThanOrEqual(5000 * 120);
    expect(s.unreachablePolicy).toContain('counted in the histogram');
    const ints = (a: HeapAnalysis) => a.reports.jvm!.histogram.find((h) => h.class === 'int[]')!;
    expect(ints(all.analysis).instances - ints(live.analysis).instances).toBeGreaterThanOrEqual(5000);
    expect(s.heapBytes + s.unreachableShallowBytes).toBe(s.shallowBytes);
    // Garbage retains nothing and is retained by nothing: the holder's numbers do not move.
    const holder = ({ graph, analysis }: { graph: HeapGraph; analysis: HeapAnalysis }) => {
      const leaky = graph.classes.find((c) => c.name === 'Leaky')!;
      const id = leaky.statics.find((x) => graph.strings.get(x.nameId) === 'HOLDER')!.value;
      return analysis.arrays!.retained.jvm![Array.from(graph.ids).indexOf(id)];
    };
    expect(holder(all)).toBe(1_020_056);
    expect(holder(live)).toBe(1_020_056);
    const retained = all.analysis.arrays!.retained.jvm!;
    const reached = all.analysis.arrays!.reach.reached;
    for (let v = 0; v < all.graph.nodeCount; v++) if (!reached[v] && all.graph.kind[v] !== 2) expect(retained[v]).toBe(0);
  });
});

describe('-XX:+HeapDumpOnOutOfMemoryError', () => {
  it('finds the hoard that filled the heap, accumulating in the list\'s array', async () => {
    const { graph, analysis, diagnostics } = await analyse(dumps.oom);
    expect(diagnostics).toEqual([]);
    const top = analysis.reports.jvm!.suspects[0]!;
    expect(top.percent).toBeGreaterThan(80);
    // The list is Oom.HOARD (the failing frame also holds it, which makes it a GC root itself).
    const oom = graph.classes.find((c) => c.name === 'Oom')!;
    const hoard = oom.statics.find((x) => graph.strings.get(x.nameId) === 'HOARD')!.value;
    expect(top.objectId).toBe(`0x${hoard.toString(16)}`);
    expect(top.accumulation.class).toBe('java.lang.Object[]');
    expect(analysis.reports.jvm!.histogram[0]!.class).toBe('long[]');
  });
});
