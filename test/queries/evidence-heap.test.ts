// The heap view's API on the small leak dump (small-jcmd-live.hprof.gz), held against VisualVM's
// heap library run on the same file (corpus oracle/visualvm): retained sizes by class, the biggest
// objects found by opening the dominator tree, their paths from a GC root, and the leak suspect.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type ApiHandlers } from '../../core/api';
import type { DominatorNode } from '../../core/domain/heap/contract';
import { createCore, type Core } from '../../core/app/create-core';
import { corpus, scratchDir } from '../helpers/paths';

const DUMP = corpus('hprof', 'small-jcmd-live.hprof.gz');
const ORACLE = corpus('hprof', 'oracle', 'visualvm');

let core: Core;
let api: ApiHandlers;
let caseId: string;
let sourceId: number;

/** The columns of VisualVM's oracle tables used here. */
interface OracleRow {
  class: string;
  instance_id: string;
  retained_bytes: string;
  retained_bytes_by_class: string;
  shallow_bytes: string;
  is_gc_root: string;
  nearest_gc_root_path: string;
}

function tsv(name: string): OracleRow[] {
  const [head, ...rows] = fs.readFileSync(path.join(ORACLE, name), 'utf8').trimEnd().split('\n').map((l) => l.split('\t'));
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])) as unknown as OracleRow);
}

beforeAll(async () => {
  const dir = scratchDir('evidence-heap');
  core = createCore({ transport: 'web', samplePath: null, cacheDir: path.join(dir, 'cache') });
  api = core.handlers;
  caseId = (await core.open(DUMP, { dbPath: path.join(dir, 'case.sqlite') })).caseId;
  await core.waitForIngest(caseId);
  const { sources } = await api['heap.sources']({ caseId });
  expect(sources).toEqual([{ sourceId: expect.any(Number), entry: 'small-jcmd-live.hprof', complete: true }]);
  sourceId = sources[0]!.sourceId;
}, 120_000);

afterAll(async () => {
  await core?.close();
});

describe('heap API', () => {
  it('summary', async () => {
    expect(await api['heap.summary']({ caseId, sourceId })).toMatchObject({ entry: 'small-jcmd-live.hprof', format: 'JAVA PROFILE 1.0.2', idSize: 8, objects: 175476, classes: 905, gcRoots: 822, complete: true });
  });

  it("sorted by retained size, the histogram's pages are VisualVM's retained sizes by class", async () => {
    const oracle = tsv('small-jcmd-live-retained-by-class.tsv').slice(0, 40);
    const pages = [0, 20].map((offset) => api['heap.histogram']({ caseId, sourceId, model: 'visualvm', sort: { column: 'retained', desc: true }, offset, limit: 20 }));
    const rows = (await Promise.all(pages)).flatMap((p) => p.rows);
    expect(rows.map((r) => [r.class, r.retainedBytes])).toEqual(oracle.map((o) => [o.class, Number(o.retained_bytes_by_class)]));
    const leak = await api['heap.histogram']({ caseId, sourceId, classContains: 'COM.EXAMPLE.LEAK', sort: { column: 'class', desc: false } });
    expect(leak.rows.length).toBe(leak.total);
    expect(leak.rows.every((r) => r.class.startsWith('com.example.leak.'))).toBe(true);
    expect(leak.rows.map((r) => r.class)).toEqual([...leak.rows.map((r) => r.class)].sort());
  });

  it("opening the dominator tree finds VisualVM's biggest objects with their retained sizes", async () => {
    const oracle = tsv('small-jcmd-live-biggest-retained.tsv').slice(0, 15);
    const floor = Math.min(...oracle.map((o) => Number(o.retained_bytes)));
    const found = new Map<string, DominatorNode>();
    // Everything retaining at least `floor` sits under nodes retaining at least `floor`.
    const queue: (string | null)[] = [null];
    while (queue.length > 0) {
      const parent = queue.shift()!;
      for (let offset = 0; ; offset += 50) {
        const page = await api['heap.dominators']({ caseId, sourceId, model: 'visualvm', parent, offset, limit: 50 });
        for (let i = 1; i < page.rows.length; i++) expect(page.rows[i - 1]!.retainedBytes).toBeGreaterThanOrEqual(page.rows[i]!.retainedBytes);
        const big = page.rows.filter((n) => n.retainedBytes >= floor);
        for (const n of big) {
          found.set(n.objectId, n);
          if (n.childCount > 0) queue.push(n.objectId);
        }
        if (big.length < page.rows.length || offset + 50 >= page.total) break;
      }
    }
    for (const o of oracle) expect(found.get(o.instance_id), o.instance_id).toMatchObject({ retainedBytes: Number(o.retained_bytes), shallowBytes: Number(o.shallow_bytes), gcRoot: o.is_gc_root === 'true' });
  }, 60_000);

  it("gives VisualVM's nearest GC root path of the leaking map", async () => {
    const row = tsv('small-jcmd-live-biggest-retained.tsv').find((o) => o.class === 'java.util.HashMap')!;
    const { path: steps } = await api['heap.pathToRoot']({ caseId, sourceId, objectId: row.instance_id });
    const classes = steps.map((s) => ('elided' in s ? '…' : s.class));
    // VisualVM prints the path upward: " <- Object[]#227 <- ArrayList#11 <- AppClassLoader#1".
    const upward = row.nearest_gc_root_path.split(' <- ').slice(1).map((s) => s.replace(/#\d+$/, ''));
    expect(classes).toEqual([...upward.reverse(), 'java.util.HashMap']);
    expect(steps.at(-1)).toMatchObject({ objectId: row.instance_id });
  });

  it('names the leak: the class loader holding the static map, accumulating in its table', async () => {
    const { rows, heapBytes } = await api['heap.suspects']({ caseId, sourceId });
    expect(heapBytes).toBeGreaterThan(0);
    const first = rows[0]!;
    expect(first.accumulation.class).toBe('java.util.HashMap$Node[]');
    expect(first.accumulation.path.some((p) => p.staticField === 'CACHE' && p.classOf === 'com.example.leak.SessionCache')).toBe(true);
    expect(first.percent).toBeGreaterThan(60);
  });

  it('duplicate strings and threads page from the index', async () => {
    const all = await api['heap.duplicateStrings']({ caseId, sourceId, limit: 1000 });
    const page = await api['heap.duplicateStrings']({ caseId, sourceId, offset: 3, limit: 4 });
    expect(page.rows).toEqual(all.rows.slice(3, 7));
    expect(all.rows[0]).toMatchObject({ value: 'argL0', count: 14 });
    const threads = await api['heap.threads']({ caseId, sourceId });
    expect(threads.rows.some((t) => t.name === 'main')).toBe(true);
  });

  it('refuses what is not there', async () => {
    const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ApiError);
    expect(await err(api['heap.pathToRoot']({ caseId, sourceId, objectId: '0x1' }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/no object 0x1/) });
    expect(await err(api['heap.pathToRoot']({ caseId, sourceId, objectId: 'HashMap' }))).toMatchObject({ code: 'not-found' });
    expect(await err(api['heap.summary']({ caseId, sourceId: 999 }))).toMatchObject({ code: 'not-found' });
    expect(await err(api['heap.summary']({ caseId, sourceId, model: 'mat' as 'jvm' }))).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/model/) });
    expect(await err(api['heap.dominators']({ caseId, sourceId, parent: '0xffffffffff' }))).toMatchObject({ code: 'not-found' });
  });
});
