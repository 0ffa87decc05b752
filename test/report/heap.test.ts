// The report of a heap dump (sample-captures/small-jcmd-live.hprof.gz, a jcmd GC.heap_dump of a
// program that leaks through a static HashMap): the leak suspect and where it accumulates, the
// histogram top — held against the JVM's own GC.class_histogram taken right after the dump — and
// the dominator top.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, REPO_ROOT } from '../helpers/paths';
import { reportRunner, tableAfter } from './helpers/report-cli';

const DUMP = path.join(REPO_ROOT, 'sample-captures', 'small-jcmd-live.hprof.gz');

/** `[B` → `byte[]`, `[Ljava.lang.Object;` → `java.lang.Object[]`, as capscope names classes. */
function javaName(jvm: string): string {
  const primitives: Record<string, string> = { B: 'byte', C: 'char', I: 'int', J: 'long', S: 'short', Z: 'boolean', F: 'float', D: 'double' };
  let dims = 0;
  while (jvm[dims] === '[') dims++;
  if (dims === 0) return jvm;
  const element = jvm.slice(dims);
  const base = element.startsWith('L') ? element.slice(1, -1) : primitives[element]!;
  return base + '[]'.repeat(dims);
}

function jvmHistogram(): Map<string, { instances: number; bytes: number }> {
  const rows = new Map<string, { instances: number; bytes: number }>();
  for (const line of fs.readFileSync(corpus('hprof', 'oracle', 'small-class-histogram-live.txt'), 'utf8').split('\n')) {
    const m = /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line);
    if (m) rows.set(javaName(m[3]!), { instances: Number(m[1]), bytes: Number(m[2]) });
  }
  return rows;
}

describe('report of a heap dump', () => {
  const runner = reportRunner('heap');

  it('shows the leak suspect, the histogram top as the JVM counts it, and the dominator top', async () => {
    const r = await runner.run([DUMP, '--format', 'md', '--out', '-']);
    expect(r.status, r.stderr).toBe(0);
    const md = r.stdout;
    const suspects = md.slice(md.indexOf('#### Leak suspects'), md.indexOf('#### Class histogram'));
    // Named as MAT names it: by the static field holding it, not by the class loader above it.
    expect(suspects).toContain('**com.example.leak.SessionCache.CACHE (java.util.HashMap) retains 69.6 % of the heap** — 20.7 MB (20,704,448 bytes)');
    expect(suspects).toContain('accumulates in `java.util.HashMap$Node[] 0xe17050d0`');
    expect(suspects).toContain('class com.example.leak.SessionCache.CACHE → java.util.HashMap → java.util.HashMap$Node[]');
    expect(md).toContain('Heap dumps: 2 leak suspects (see Heap dumps).');

    const [head, ...histogram] = tableAfter(md, 'Class histogram (top 10 by shallow size)');
    expect(head).toEqual(['class', 'instances', 'shallow bytes', 'retained bytes']);
    expect(histogram[0]).toEqual(['byte[]', '57,665', '26,023,816', '26,019,344']);
    const jvm = jvmHistogram();
    // java.lang.Class is counted from the dump's class records, which differ from the live VM's (docs/heap.md).
    for (const [cls, instances, bytes] of histogram.filter(([cls]) => cls !== 'java.lang.Class')) {
      expect({ cls, instances: Number(instances!.replace(/,/g, '')), bytes: Number(bytes!.replace(/,/g, '')) }).toEqual({ cls, ...jvm.get(cls!) });
    }

    const [, ...dominators] = tableAfter(md, 'Dominators (top 10 by retained size)');
    expect(dominators[0]).toEqual(['jdk.internal.loader.ClassLoaders$AppClassLoader 0xffe56098 (GC root)', '20,718,184', '104', '']);
    // The map the leak sits in retains 20,704,448 bytes (the corpus README's figure).
    expect(dominators.find((d) => d[0] === 'java.util.HashMap 0xf6a05290')?.[1]).toBe('20,704,448');
  });
});
