// The jvm size model against the JVM itself, on the corpus's small-jcmd-live dump: its own
// GC.class_histogram (taken right after the dump) and its thread dump.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../helpers/paths';
import { analysed, jvmHistogram } from './oracles';

const DUMP = 'small-jcmd-live.hprof.gz';

describe('small-jcmd-live against the JVM\'s GC.class_histogram', () => {
  it('every class: instances and bytes equal the JVM\'s (exceptions: what the GC between the two snapshots collected)', async () => {
    const { analysis } = await analysed(DUMP);
    const report = analysis.reports.jvm!;
    const mine = new Map(report.histogram.map((h) => [h.class, h]));
    const rows = jvmHistogram(fs.readFileSync(corpus('hprof', 'oracle', 'small-class-histogram-live.txt'), 'utf8'));
    expect(rows).toHaveLength(360);
    const exact = rows.filter((r) => r.name !== 'java.lang.Class' && r.name !== 'jdk.internal.ref.CleanerImpl$PhantomCleanableRef');
    for (const r of exact) expect([r.name, mine.get(r.name)?.instances, mine.get(r.name)?.shallowBytes]).toEqual([r.name, r.instances, r.bytes]);
    // Cleaners pending when the dump was taken were gone when the histogram ran: the count
    // differs between the two snapshots, the size of one does not.
    const cleaner = rows.find((r) => r.name === 'jdk.internal.ref.CleanerImpl$PhantomCleanableRef')!;
    const myCleaner = mine.get(cleaner.name)!;
    expect(myCleaner.shallowBytes / myCleaner.instances).toBe(cleaner.bytes / cleaner.instances);
    // Every class in the JVM's histogram is in the dump's; the dump has one more, whose instances
    // (call sites' cleaner contexts, like the cleaners above) the next GC collected.
    const jvmNames = new Set(rows.map((r) => r.name));
    expect(report.histogram.filter((h) => !jvmNames.has(h.class)).map((h) => [h.class, h.instances])).toEqual([['java.lang.invoke.MethodHandleNatives$CallSiteContext', 15]]);
    for (const name of jvmNames) expect(mine.has(name)).toBe(true);
  });

  it('java.lang.Class: the dump\'s class records and primitive-type mirrors; the JVM also counts mirrors HPROF leaves out', async () => {
    const { graph, analysis } = await analysed(DUMP);
    const rows = jvmHistogram(fs.readFileSync(corpus('hprof', 'oracle', 'small-class-histogram-live.txt'), 'utf8'));
    const jvm = rows.find((r) => r.name === 'java.lang.Class')!;
    const mine = analysis.reports.jvm!.histogram.find((h) => h.class === 'java.lang.Class')!;
    const classDumps = graph.classes.filter((c) => c.dumped).length;
    expect(classDumps).toBe(905);
    // 905 CLASS DUMP records + 9 instance dumps of java.lang.Class: int.class … void.class.
    expect(mine.instances).toBe(classDumps + 9);
    // The JVM's count includes the mirrors of CDS-archived classes that are mapped but not loaded:
    // the heap dumper skips them (the dump's 578 references to objects it does not contain).
    expect(jvm.instances - mine.instances).toBe(578);
  });

  it('sizes come from the HotSpot layout the addresses show: compressed references and class pointers', async () => {
    const { analysis } = await analysed(DUMP);
    const s = analysis.reports.jvm!.summary;
    expect(s.vm).toBe('hotspot');
    expect(s.layout).toMatch(/^compressed references and class pointers \(12-byte header, 4-byte references\): \d+ of \d+ neighbouring objects/);
    expect(s.objects).toBe(analysis.reports.jvm!.histogram.reduce((n, h) => n + h.instances, 0));
  });
});

describe('small-jcmd-live threads against the JVM\'s thread dump', () => {
  /** jstack's Java threads: name → frames, as capscope writes them. */
  function jstack(): Map<string, string[]> {
    const threads = new Map<string, string[]>();
    let current: string[] | null = null;
    for (const line of fs.readFileSync(corpus('hprof', 'oracle', 'small-threads.txt'), 'utf8').split('\n')) {
      const head = /^"([^"]+)" #\d+/.exec(line);
      if (head) threads.set(head[1]!, (current = []));
      else if (/^"/.test(line)) current = null;
      const frame = /^\tat (.*)$/.exec(line);
      if (frame && current) current.push(frame[1]!.replace(/\(java\.base@[^/]+\//, '(').replace(/\/0x/, '+0x'));
    }
    return threads;
  }

  it('the same threads, by name, with the same stack frames', async () => {
    const { analysis } = await analysed(DUMP);
    const threads = analysis.reports.jvm!.threads;
    const expected = jstack();
    // The JVM hides its own service threads from heap dumps (JVMTI hidden threads).
    const hidden = ['Service Thread', 'Monitor Deflation Thread', 'C2 CompilerThread0', 'C1 CompilerThread0', 'Sweeper thread'];
    expect(new Set(threads.map((t) => t.name))).toEqual(new Set([...expected.keys()].filter((n) => !hidden.includes(n))));
    for (const t of threads) expect([t.name, t.stack.map((f) => f.frame)]).toEqual([t.name, expected.get(t.name!)]);
  });

  it('frames hold their locals: main keeps the head of the RECENT_EVENTS list (VisualVM: a GC root retaining 1,759,200 bytes)', async () => {
    const { analysis } = await analysed(DUMP);
    const main = analysis.reports.visualvm!.threads.find((t) => t.name === 'main')!;
    const frame = main.stack.find((f) => f.method === 'main')!;
    expect(frame.line).toBe(73);
    expect(frame.locals).toContainEqual({ objectId: '0xe01660a8', class: 'com.example.leak.EventNode', retainedBytes: 1759200 });
  });
});
