// Web mode's API over HTTP: the token, the Host and Origin checks, static files, uploads, and the
// ingest lifecycle (progress, cancel, reuse) as the renderer sees it.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../core/api';
import { createCore, type Core } from '../../core/app/create-core';
import { startWebServer, type WebServer } from '../../core/server/web-server';
import { pcapHeader } from '../helpers/bytes';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';

let dir: string;
let core: Core;
let server: WebServer;

beforeAll(async () => {
  dir = scratchDir('web');
  core = createCore({ transport: 'web', samplePath: null, cacheDir: path.join(dir, 'cache') });
  server = await startWebServer({ core, rendererDir: path.join(REPO_ROOT, 'dist', 'renderer'), port: 0 });
});

afterAll(async () => {
  await server.close();
  await core.close();
});

function call(method: string, body: unknown, headers: Record<string, string> = { 'x-capscope-token': server.token }): Promise<Response> {
  return fetch(`${server.url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function ok<T>(method: string, body: unknown): Promise<T> {
  const res = await call(method, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

describe('access', () => {
  it('binds 127.0.0.1 and prints the token only in the URL fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.openUrl).toBe(`${server.url}#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses API calls without the token or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [{}, { 'x-capscope-token': 'guess' }, { 'x-capscope-token': `${server.token.slice(0, -1)}x` }];
    for (const headers of attempts) {
      const res = await call('app.info', {}, headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('token') } });
    }
    expect((await call('app.info', {})).status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (cross-site requests), and sends no CORS headers', async () => {
    const http = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<{ code: number; cors: unknown }>((resolve, reject) => {
        const req = http.request(`${server.url}api/app.info`, { method: 'POST', headers: { 'x-capscope-token': server.token, ...headers } }, (res) => {
          res.resume();
          resolve({ code: res.statusCode ?? 0, cors: res.headers['access-control-allow-origin'] });
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect((await status({ host: 'evil.example:80' })).code).toBe(421);
    expect((await status({ origin: 'https://evil.example' })).code).toBe(403);
    const good = await status({ origin: server.url.slice(0, -1) });
    expect(good).toEqual({ code: 200, cors: undefined });
  });

  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<div id="root">');
    const traversal = await fetch(`${server.url}..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it('answers unknown methods and bad bodies with typed errors', async () => {
    expect(await (await call('case.delete', {})).json()).toEqual({ error: { code: 'not-found', message: "no API method 'case.delete'" } });
    const bad = await fetch(`${server.url}api/app.info`, { method: 'POST', headers: { 'x-capscope-token': server.token }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect((await call('case.get', { caseId: 'nothing' })).status).toBe(404);
    const missing = await call('case.open', { path: path.join(dir, 'missing.pcap') });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toEqual({ error: { code: 'bad-input', message: `${path.join(dir, 'missing.pcap')}: no such file` } });
  });
});

describe('cases', () => {
  it('opens a file, indexes it in the background, and reuses the index when opened again', async () => {
    const target = corpus('pcap', 'haproxy-502.pcap.gz');
    const opened = await ok<CaseSummary>('case.open', { path: target });
    expect(opened.file).toBe(target);
    let summary = opened;
    for (let i = 0; i < 200 && summary.progress.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      summary = await ok<CaseSummary>('case.get', { caseId: opened.caseId });
    }
    expect(summary.progress).toMatchObject({ state: 'done', bytesDone: fs.statSync(target).size, bytesTotal: fs.statSync(target).size, reused: false, error: null });
    expect(summary.sources).toEqual([expect.objectContaining({ entry: 'haproxy-502.pcap', format: 'pcap', compression: ['gzip'], bytes: 155528, status: 'indexed' })]);
    const diagnostics = await ok<{ total: number; rows: unknown[] }>('case.diagnostics', { caseId: opened.caseId });
    expect(diagnostics.total).toBe(summary.diagnosticCount);
    const again = await ok<CaseSummary>('case.open', { path: target });
    expect(again.caseId).toBe(opened.caseId);
    expect(again.progress).toMatchObject({ state: 'done', reused: true });
    expect((await ok<{ files: string[] }>('app.recentFiles', {})).files[0]).toBe(target);
    const reindexed = await ok<CaseSummary>('case.reindex', { caseId: opened.caseId });
    expect(reindexed).toMatchObject({ caseId: opened.caseId, dbPath: opened.dbPath });
    expect(reindexed.progress.reused).toBe(false);
    expect((await core.waitForIngest(opened.caseId)).progress.state).toBe('done');
  });

  it('reports progress while indexing and stops on cancel, keeping what was indexed', async () => {
    // 3 GiB, sparse: instant to make, and seconds to read through.
    const big = path.join(dir, 'big.pcap');
    fs.writeFileSync(big, pcapHeader({ littleEndian: true, nanoseconds: false }));
    fs.truncateSync(big, 3 * 1024 ** 3);
    const opened = await ok<CaseSummary>('case.open', { path: big });
    expect(opened.progress.state).toBe('running');
    let summary = opened;
    for (let i = 0; i < 400 && summary.progress.bytesDone === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      summary = await ok<CaseSummary>('case.get', { caseId: opened.caseId });
    }
    expect(summary.progress.bytesDone).toBeGreaterThan(0);
    expect(summary.progress.bytesTotal).toBe(3 * 1024 ** 3);
    const cancelled = await ok<CaseSummary>('case.cancel', { caseId: opened.caseId });
    expect(cancelled.progress.state).toBe('cancelled');
    expect(cancelled.progress.bytesDone).toBeLessThan(3 * 1024 ** 3);
    expect(cancelled.sources).toEqual([expect.objectContaining({ entry: 'big.pcap', status: 'cancelled' })]);
    // A cancelled index is not reused: opening again starts over.
    const reopened = await ok<CaseSummary>('case.open', { path: big });
    expect(reopened.progress.state).toBe('running');
    await ok('case.cancel', { caseId: reopened.caseId });
  });

  it('accepts an upload (the browser cannot give a path) and opens it', async () => {
    const bytes = fs.readFileSync(corpus('pcap', 'seladb_PcapPlusPlus__pcapng-example.pcapng.zst'));
    const res = await fetch(`${server.url}upload`, {
      method: 'POST',
      headers: { 'x-capscope-token': server.token, 'x-capscope-filename': encodeURIComponent('../../ex ample.pcapng.zst') },
      body: bytes,
    });
    expect(res.status).toBe(200);
    const opened = (await res.json()) as CaseSummary;
    expect(path.basename(opened.file)).toBe('ex_ample.pcapng.zst');
    expect(opened.file.startsWith(path.join(dir, 'cache', 'uploads'))).toBe(true);
    const done = await core.waitForIngest(opened.caseId);
    expect(done.sources).toEqual([expect.objectContaining({ entry: 'ex_ample.pcapng', format: 'pcapng', compression: ['zstd'], bytes: 26200 })]);
    const refused = await fetch(`${server.url}upload`, { method: 'POST', body: bytes });
    expect(refused.status).toBe(401);
  });
});
