// The thread that threw an OutOfMemoryError, marked: in a dump the JVM writes on the error
// (-XX:+HeapDumpOnOutOfMemoryError), HotSpot gives the thread that ran out of memory a stack in
// OutOfMemoryError's constructor; in test/heap/java/leakapp the thread oom-catcher holds the error
// it caught in a local, and oom-keeper in a ThreadLocal (its Thread object's map).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/paths';
import { loadDump, LEAK_APP_DUMP } from './helpers/leak-app';

const JAVA_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'java');
let oomDump: string;

beforeAll(() => {
  const dir = scratchDir('heap-oom');
  execFileSync('javac', ['-d', dir, path.join(JAVA_DIR, 'Oom.java')]);
  try {
    execFileSync('java', ['-Xshare:off', '-Xmx16m', '-XX:+HeapDumpOnOutOfMemoryError', `-XX:HeapDumpPath=${dir}`, '-cp', dir, 'Oom'], { stdio: 'ignore' });
  } catch {
    // exits with an OutOfMemoryError, as intended
  }
  oomDump = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.hprof'))!);
}, 60_000);

describe('the thread of an OutOfMemoryError', () => {
  it('is marked "thrown" in a dump taken on the error: main, in OutOfMemoryError.<init>, and no other', async () => {
    const { analysis } = await loadDump(oomDump);
    const threads = analysis.reports.jvm!.threads;
    const marked = threads.filter((t) => t.outOfMemoryError !== null);
    expect(marked.map((t) => [t.name, t.outOfMemoryError])).toEqual([['main', { how: 'thrown', objectId: null }]]);
    expect(marked[0]!.stack[0]!.frame).toMatch(/^java\.lang\.OutOfMemoryError\.<init>\(/);
    expect(marked[0]!.stack.some((f) => f.frame.startsWith('Oom.main(Oom.java:'))).toBe(true);
  });

  it('is marked "held" with the error caught and kept in a local (oom-catcher) or reached through the thread (oom-keeper\'s ThreadLocal), and no other', async () => {
    const { graph, analysis } = await loadDump(LEAK_APP_DUMP);
    const marked = analysis.reports.jvm!.threads.filter((t) => t.outOfMemoryError !== null);
    expect(marked.map((t) => [t.name, t.outOfMemoryError?.how])).toEqual([
      ['oom-catcher', 'held'],
      ['oom-keeper', 'held'],
    ]);
    const held = marked[0]!.stack.flatMap((f) => f.locals).find((l) => l.objectId === marked[0]!.outOfMemoryError!.objectId);
    expect(held?.class).toBe('java.lang.OutOfMemoryError');
    // The keeper's is in no frame: its thread's ThreadLocal map holds it.
    const kept = marked[1]!.outOfMemoryError!.objectId!;
    expect(marked[1]!.stack.flatMap((f) => f.locals).some((l) => l.objectId === kept)).toBe(false);
    const node = Array.from(graph.ids).indexOf(parseInt(kept.slice(2), 16));
    expect(graph.classes[graph.classOf[node]!]!.name).toBe('java.lang.OutOfMemoryError');
    // The VM's own preallocated errors are no thread's.
    expect(analysis.reports.jvm!.histogram.find((h) => h.class === 'java.lang.OutOfMemoryError')!.instances).toBeGreaterThan(2);
  });
});
