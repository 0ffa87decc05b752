// Uploads in web mode: a configurable size limit answered 413 with a clear error, nothing of a
// refused or broken upload kept, and an uploaded file (with its index) removed with its case, when the
// server stops, or at the next start when a server died without cleaning up.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../core/api';
import { createCore, type Core } from '../../core/app/create-core';
import { startWebServer, type WebServer } from '../../core/server/web-server';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';

const LIMIT = 64 * 1024;

let dir: string;
let cacheDir: string;
let uploadsDir: string;
let core: Core;
let server: WebServer;
/** A folder a server that died left behind, in the layout of an earlier capscope. */
let stale: string;

beforeAll(async () => {
  dir = scratchDir('uploads');
  cacheDir = path.join(dir, 'cache');
  uploadsDir = path.join(cacheDir, 'uploads');
  stale = path.join(uploadsDir, '1700000000000-0badf00d');
  fs.mkdirSync(stale, { recursive: true });
  fs.writeFileSync(path.join(stale, 'left-behind.pcap'), Buffer.alloc(1000));
  core = createCore({ transport: 'web', samplePath: null, cacheDir });
  server = await startWebServer({ core, rendererDir: path.join(REPO_ROOT, 'dist', 'renderer'), port: 0, maxUploadBytes: LIMIT });
});

afterAll(async () => {
  await server.close();
  await core.close();
});

/** Every file under the uploads folder (the lock files of live servers aside). */
function uploadedFiles(): string[] {
  if (!fs.existsSync(uploadsDir)) return [];
  return (fs.readdirSync(uploadsDir, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(uploadsDir, p)).isFile() && !p.endsWith('.lock'));
}

function upload(body: NonNullable<RequestInit['body']>, name = 'capture.pcap', init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}upload`, { method: 'POST', headers: { 'x-capscope-token': server.token, 'x-capscope-filename': name }, body, ...init });
}

async function call(method: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-capscope-token': server.token }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('uploads', () => {
  it('removes what a server that died left in the uploads folder when the next one starts', () => {
    expect(fs.existsSync(stale)).toBe(false);
    expect(uploadedFiles()).toEqual([]);
  });

  it('refuses an upload over the limit with 413, whether its length is declared or not, and keeps nothing of it', async () => {
    const big = Buffer.alloc(200 * 1024, 7);
    const declared = await upload(big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { code: 'bad-request', message: `the upload (204,800 bytes) is over this server's limit of 65,536 bytes (capscope serve --max-upload)` } });
    // Chunked: the length shows only as the bytes arrive.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(10 * 1024));
        controller.close();
      },
    });
    const streamed = await upload(chunks, 'streamed.pcap', { duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual({ error: { code: 'bad-request', message: `the upload is over this server's limit of 65,536 bytes (capscope serve --max-upload)` } });
    await until(() => uploadedFiles().length === 0, 'the refused uploads to be removed');
  });

  it('keeps nothing of an upload the browser gave up on', async () => {
    await new Promise<void>((resolve) => {
      const req = http.request(`${server.url}upload`, { method: 'POST', headers: { 'x-capscope-token': server.token, 'x-capscope-filename': 'aborted.pcap', 'content-length': String(LIMIT) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(1000), () => setTimeout(() => req.destroy(), 100));
    });
    await until(() => uploadedFiles().length === 0, 'the aborted upload to be removed');
  });

  it('removes an uploaded file and its index with its case', async () => {
    const res = await upload(fs.readFileSync(corpus('pcap', 'google_gopacket__test_vlan.pcap')), 'vlan.pcap');
    expect(res.status).toBe(200);
    const opened = (await res.json()) as CaseSummary;
    const done = await core.waitForIngest(opened.caseId);
    expect(done.sources).toEqual([expect.objectContaining({ format: 'pcap', status: 'indexed' })]);
    expect(fs.existsSync(done.file)).toBe(true);
    expect(fs.existsSync(done.dbPath)).toBe(true);
    expect(uploadedFiles().length).toBeGreaterThan(0);
    expect(await call('case.close', { caseId: opened.caseId })).toEqual({ status: 200, body: { caseId: opened.caseId } });
    expect(fs.existsSync(done.file)).toBe(false);
    expect(fs.existsSync(done.dbPath)).toBe(false);
    expect(uploadedFiles()).toEqual([]);
    expect((await call('case.get', { caseId: opened.caseId })).status).toBe(404);
    // Nor is it offered among the recent files: it is not there any more.
    expect(((await call('app.recentFiles', {})).body as { files: string[] }).files).not.toContain(done.file);
  });

  it('removes the uploads of a server when it stops, and leaves another live server\'s alone', async () => {
    const otherCore = createCore({ transport: 'web', samplePath: null, cacheDir });
    const other = await startWebServer({ core: otherCore, rendererDir: path.join(REPO_ROOT, 'dist', 'renderer'), port: 0 });
    const res = await fetch(`${other.url}upload`, { method: 'POST', headers: { 'x-capscope-token': other.token, 'x-capscope-filename': 'vlan.pcap' }, body: fs.readFileSync(corpus('pcap', 'google_gopacket__test_vlan.pcap')) });
    const opened = (await res.json()) as CaseSummary;
    await otherCore.waitForIngest(opened.caseId);
    // A third server starting meanwhile sweeps only what no live server holds.
    const thirdCore = createCore({ transport: 'web', samplePath: null, cacheDir });
    const third = await startWebServer({ core: thirdCore, rendererDir: path.join(REPO_ROOT, 'dist', 'renderer'), port: 0 });
    await third.close();
    await thirdCore.close();
    expect(fs.existsSync(opened.file)).toBe(true);
    await other.close();
    await otherCore.close();
    expect(fs.existsSync(opened.file)).toBe(false);
    expect(fs.existsSync(opened.dbPath)).toBe(false);
    expect(uploadedFiles()).toEqual([]);
  });
});
