// What an Eclipse MAT user expects of a heap whose answers are known (test/heap/helpers/leak-app.ts):
// the leak named by the static field holding it, paths from GC roots with the root's kind and the
// field at every step, merged paths, references, the dominator tree by class, a class's instances
// and the thread holding an OutOfMemoryError.

import { beforeAll, describe, expect, it } from 'vitest';
import type { HeapGraph } from '../../core/analysis/heap/graph';
import type { HeapAnalysis } from '../../core/analysis/heap/analyse';
import { loadDump, LEAK_APP_DUMP, SESSIONS } from './helpers/leak-app';

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
