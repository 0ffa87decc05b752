// The heap of test/heap/java/leakapp (com.example.leak.LeakApp), dumped with `jcmd GC.heap_dump`
// into test/fixtures/heap/leak-app.hprof.gz, with `jmap -histo:live` and `jstack` of the same
// process beside it: what the program built is known (SessionCache.CACHE holds 300 Sessions, the
// thread worker-0 holds a Request at the line marked "worker-0 waits here", oom-catcher holds the
// OutOfMemoryError it caught in a local, oom-keeper one in a ThreadLocal).

import fs from 'node:fs';
import path from 'node:path';
import { analyseHeap, type HeapAnalysis } from '../../../core/analysis/heap/analyse';
import type { HeapGraph } from '../../../core/analysis/heap/graph';
import { loadHeap } from '../../../core/formats/hprof/load';
import type { BuilderOptions } from '../../../core/formats/hprof/builder';
import { EVIDENCE_SNIFFERS } from '../../../core/registry/formats';
import { walkEvidence } from '../../../parsers/source/walk';
import { REPO_ROOT } from '../../helpers/paths';

export const LEAK_APP_DUMP = path.join(REPO_ROOT, 'test', 'fixtures', 'heap', 'leak-app.hprof.gz');
export const LEAK_APP_HISTO = path.join(REPO_ROOT, 'test', 'fixtures', 'heap', 'leak-app.jmap-histo.txt');
export const LEAK_APP_SOURCE = path.join(REPO_ROOT, 'test', 'heap', 'java', 'leakapp', 'com', 'example', 'leak', 'LeakApp.java');
export const SESSIONS = 300;

/** The line of LeakApp.java that holds `marker` (its comment), as javac numbers lines. */
export function sourceLine(marker: string): number {
  const lines = fs.readFileSync(LEAK_APP_SOURCE, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`LeakApp.java has no line with ${marker}`);
  return i + 1;
}

/** Reads a dump into its graph (with the options given) and analyses it. */
export async function loadDump(file: string, options: BuilderOptions = {}): Promise<{ graph: HeapGraph; analysis: HeapAnalysis }> {
  for await (const item of walkEvidence(file, { formats: EVIDENCE_SNIFFERS })) {
    if (item.kind !== 'evidence') continue;
    const { graph } = await loadHeap(item.reader, () => {}, options);
    return { graph: graph!, analysis: analyseHeap(graph!, { top: 50, keepArrays: true }) };
  }
  throw new Error(`${file}: no heap dump`);
}
