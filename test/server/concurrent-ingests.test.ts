// Web mode under a storm of case.open: a re-index of a case already being indexed joins that work
// instead of starting another, and no more ingests run at once than the core's limit; the rest wait
// their turn, and every request is answered properly (no 500).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../core/api';
import { createCore, type Core } from '../../core/app/create-core';
import { CaseIndex } from '../../core/index/case-index';
import { IndexLock } from '../../core/index/index-lock';
import { defaultDbPath } from '../../core/index/locations';
import { INDEX_SCHEMA } from '../../core/registry/schema';
import { startWebServer, type WebServer } from '../../core/server/web-server';
import { pcapHeader } from '../helpers/bytes';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';

const LIMIT = 2;

let dir: string;
let core: Core;
let server: WebServer;

beforeAll(async () => {
  dir = scratchDir('storm');
  core = createCore({ transport: 'web', samplePath: null, cacheDir: path.join(dir, 'cache'), maxConcurrentIngests: LIMIT });
  server = await startWebServer({ core, rendererDir: path.join(REPO_ROOT, 'dist', 'renderer'), port: 0 });
});

afterAll(async () => {
  await server.close();
  await core.close();
});

/** A pcap of 16 GiB, sparse: instant to make, and minutes to read through, so its ingest is still running when the test looks. */
function bigCapture(name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pcapHeader({ littleEndian: true, nanoseconds: false }));
  fs.truncateSync(file, 16 * 1024 ** 3);
  return file;
}

async function call(method: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-capscope-token': server.token }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('concurrent case.open', () => {
  it('joins re-indexes of a case that is being indexed: 40 requests, 20 at a time, one ingest', async () => {
    const file = bigCapture('storm.pcap');
    const answers: { status: number; body: unknown }[] = [];
    for (let round = 0; round < 2; round++) {
      answers.push(...(await Promise.all(Array.from({ length: 20 }, () => call('case.open', { path: file, reindex: true })))));
    }
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const summaries = answers.map((a) => a.body as CaseSummary);
    expect(new Set(summaries.map((s) => s.caseId)).size).toBe(1);
    expect(summaries.every((s) => s.progress.state === 'running')).toBe(true);
    // Every answer is about the one ingest the first request started.
    expect(new Set(summaries.map((s) => s.progress.startedAt)).size).toBe(1);
    const cancelled = await call('case.cancel', { caseId: summaries[0]!.caseId });
    expect(cancelled).toMatchObject({ status: 200, body: { progress: { state: 'cancelled' } } });
    const index = CaseIndex.open(summaries[0]!.dbPath, INDEX_SCHEMA);
    try {
      expect(index.db.prepare('SELECT count(*) FROM ingests').pluck().get()).toBe(1);
    } finally {
      index.close();
    }
  });

  it(`runs at most ${LIMIT} ingests at once; the others wait their turn, and a cancelled one never starts`, async () => {
    const files = Array.from({ length: 5 }, (_, i) => bigCapture(`queue-${i}.pcap`));
    const opened = await Promise.all(files.map((file) => call('case.open', { path: file })));
    expect(opened.map((o) => o.status)).toEqual([200, 200, 200, 200, 200]);
    const summaries = opened.map((o) => o.body as CaseSummary);
    const running = summaries.filter((s) => s.progress.waiting === null);
    const queued = summaries.filter((s) => s.progress.waiting !== null);
    expect(running).toHaveLength(LIMIT);
    expect(queued).toHaveLength(files.length - LIMIT);
    for (const s of queued) expect(s.progress).toMatchObject({ state: 'running', bytesDone: 0, waiting: expect.stringMatching(/^queued: /) });
    // A queued ingest cancelled before its turn ends at once, having read nothing.
    const cancelledQueued = await call('case.cancel', { caseId: queued[0]!.caseId });
    expect(cancelledQueued).toMatchObject({ status: 200, body: { progress: { state: 'cancelled', bytesDone: 0, waiting: null } } });
    // Cancelling a running one gives its slot to one that waited.
    await call('case.cancel', { caseId: running[0]!.caseId });
    const now = await Promise.all(summaries.map(async (s) => ((await call('case.get', { caseId: s.caseId })).body as CaseSummary).progress));
    expect(now.filter((p) => p.state === 'cancelled')).toHaveLength(2);
    expect(now.filter((p) => p.state === 'running' && p.waiting === null)).toHaveLength(LIMIT);
    expect(now.filter((p) => p.state === 'running' && p.waiting !== null)).toHaveLength(files.length - LIMIT - 2);
    for (const s of summaries) expect((await call('case.cancel', { caseId: s.caseId })).status).toBe(200);
    for (const s of summaries) expect(((await call('case.get', { caseId: s.caseId })).body as CaseSummary).progress.state).toBe('cancelled');
  });

  it('answers case.get, case.open and case.reindex of one case interleaved, without a 500', async () => {
    const file = bigCapture('mixed.pcap');
    const first = (await call('case.open', { path: file })).body as CaseSummary;
    const methods = ['case.open', 'case.reindex', 'case.get', 'case.diagnostics', 'explore.shape'];
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const method = methods[i % methods.length]!;
        return call(method, method === 'case.open' ? { path: file, reindex: i % 2 === 0 } : { caseId: first.caseId });
      }),
    );
    expect(answers.filter((a) => a.status !== 200).map((a) => JSON.stringify(a.body))).toEqual([]);
    await call('case.cancel', { caseId: first.caseId });
  });

  it('waits for another process writing the case index, answering meanwhile, then reads what it wrote', async () => {
    const file = corpus('pcap', 'haproxy-502.pcapng');
    const dbPath = defaultDbPath(file, path.join(dir, 'cache'));
    // The test holds the index's lock as another process would (SQLite's locks exclude connections within a process too).
    const other = IndexLock.tryAcquire(dbPath)!;
    let released = false;
    try {
      const opened = await call('case.open', { path: file });
      expect(opened).toMatchObject({ status: 200, body: { progress: { state: 'running', waiting: expect.stringContaining(`another capscope process is writing the index ${dbPath}`) }, sources: [] } });
      const caseId = (opened.body as CaseSummary).caseId;
      const shape = await call('explore.shape', { caseId });
      expect(shape).toMatchObject({ status: 503, body: { error: { code: 'busy', message: expect.stringContaining(dbPath) } } });
      expect(await call('case.open', { path: file, reindex: true })).toMatchObject({ status: 200, body: { caseId, progress: { waiting: expect.any(String) } } });
      other.release();
      released = true;
      const done = await core.waitForIngest(caseId);
      expect(done.progress).toMatchObject({ state: 'done', waiting: null, error: null });
      expect(done.sources).toEqual([expect.objectContaining({ status: 'indexed' })]);
      expect((await call('explore.shape', { caseId })).status).toBe(200);
    } finally {
      if (!released) other.release();
    }
  });
});
