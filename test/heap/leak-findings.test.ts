// A heap dump's leak suspect among the case's findings (`capscope findings`, the findings panel),
// named by the static field that holds it and pointing at that object for the heap view.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { LEAK_APP_DUMP } from './helpers/leak-app';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = scratchDir('heap-findings');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
});

describe('capscope findings on a heap dump', () => {
  it('lists the leak suspect, named by SessionCache.CACHE, with the object it is about', () => {
    const result = capscope(['findings', '--json', '--db', path.join(dir, 'leak.sqlite'), LEAK_APP_DUMP], env);
    expect(result.status).toBe(0);
    const doc = onlyJson(result) as { findings: { kind: string; severity: string; title: string; cause: string; heapObject: { sourceId: number; objectId: string } | null }[] };
    const leaks = doc.findings.filter((f) => f.kind === 'leak-suspect');
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ severity: 'warning', cause: 'com.example.leak.SessionCache.CACHE', heapObject: { sourceId: 1 } });
    expect(leaks[0]!.title).toMatch(/^leak-app\.hprof: com\.example\.leak\.SessionCache\.CACHE \(java\.util\.HashMap\) retains/);
    expect(leaks[0]!.title).not.toMatch(/ClassLoader/);
    // The object is the HashMap the field refers to: the heap view answers for it.
    const heap = onlyJson(capscope(['heap', '--json', '--db', path.join(dir, 'leak.sqlite'), LEAK_APP_DUMP], env)) as { suspects: { holder: { objectId: string } }[] };
    expect(leaks[0]!.heapObject!.objectId).toBe(heap.suspects[0]!.holder.objectId);
  });
});
