// `feeder | capscope serve -`: a capture that arrives slowly on standard input is served while it
// grows. A child process writes a pcap in pieces with pauses; the API, polled meanwhile, shows the
// case growing (streams, bytes, the span) and then finishing, and the copy is a recent file that
// reopens without indexing again.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaseShape, CaseSummary } from '../../core/api';
import { CAPSCOPE_BIN } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

const PIECES = 7;
const PAUSE_MS = 2000;

/** Writes `file` to stdout in `pieces` parts, `pauseMs` apart: a capture arriving as it is made. */
const FEEDER = `
const fs = require('node:fs');
const [file, pieces, pauseMs] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const bytes = fs.readFileSync(file);
const size = Math.ceil(bytes.length / pieces);
(async () => {
  for (let i = 0; i < pieces; i++) {
    await new Promise((done) => process.stdout.write(bytes.subarray(i * size, (i + 1) * size), done));
    if (i < pieces - 1) await new Promise((done) => setTimeout(done, pauseMs));
  }
})();
`;

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
});


interface Served {
  call<T>(method: string, body: unknown): Promise<T>;
  caseId: string;
  stderr(): string;
}

/** `node -e FEEDER file pieces pauseMs | capscope serve - --json`, and the API of the server it starts. */
async function serveFed(file: string, pieces: number, pauseMs: number, label: string): Promise<Served> {
  const env = { ...process.env, CAPSCOPE_CACHE_DIR: path.join(scratchDir(label), 'cache') };
  const feeder = spawn(process.execPath, ['-e', FEEDER, file, String(pieces), String(pauseMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const serve = spawn(process.execPath, [CAPSCOPE_BIN, 'serve', '-', '--json'], { stdio: [feeder.stdout!, 'pipe', 'pipe'], env });
  children.push(feeder, serve);
  let stderr = '';
  serve.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    serve.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const { url, token } = JSON.parse(line) as { url: string; token: string };
  const call = async <T>(method: string, body: unknown): Promise<T> => {
    const res = await fetch(new URL(`/api/${method}`, url), { method: 'POST', headers: { 'x-capscope-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const { initialCaseId } = await call<{ initialCaseId: string }>('app.info', {});
  expect(initialCaseId).toBeTruthy();
  return { call, caseId: initialCaseId, stderr: () => stderr };
}

describe('capscope serve -', () => {
  it('serves a capture arriving on standard input while it grows, until the stream ends', { timeout: 90_000 }, async () => {
    const file = corpus('pcap', 'haproxy-502.pcap');
    const { call, caseId: initialCaseId, stderr } = await serveFed(file, PIECES, PAUSE_MS, 'stdin-serve');

    interface Poll {
      streaming: boolean;
      state: string;
      bytesTotal: number;
      streams: number;
      exchanges: number;
      spanTo: bigint | null;
    }
    const polls: Poll[] = [];
    let liveRows: { total: number; rows: { status: number | null }[] } | null = null;
    let summary: CaseSummary;
    // The first stream's bytes as the stream view pages them: read from the copy where they lie
    // (chunks by reference), while the copy still grows and once it is whole.
    const firstStream = async () => (await call<{ chunks: { seq: number; data: string }[] }>('stream.chunks', { caseId: initialCaseId, streamId: 1, limit: 50 })).chunks.map((c) => `${c.seq} ${c.data}`);
    let whileGrowing: string[] | null = null;
    for (;;) {
      summary = await call<CaseSummary>('case.get', { caseId: initialCaseId });
      const shape = await call<CaseShape>('explore.shape', { caseId: initialCaseId });
      polls.push({ streaming: summary.progress.streaming, state: summary.progress.state, bytesTotal: summary.progress.bytesTotal, streams: shape.streams, exchanges: shape.httpExchanges, spanTo: shape.span ? BigInt(shape.span.to) : null });
      // The exchanges themselves, through the API, while the stream runs.
      if (summary.progress.streaming && shape.httpExchanges > 0 && liveRows === null) liveRows = await call<{ total: number; rows: { status: number | null }[] }>('http.exchanges', { caseId: initialCaseId, scope: {}, limit: 500, offset: 0 });
      if (summary.progress.streaming && shape.streams > 1 && whileGrowing === null) whileGrowing = await firstStream();
      if (summary.progress.state !== 'running') break;
      expect(polls.length).toBeLessThan(200);
      await new Promise((done) => setTimeout(done, 400));
    }

    // While the stream ran: the bytes that had arrived grew, the streams written so far grew, and
    // the span reached further (the partial rollup is made again as the index grows, at least a second apart).
    const live = polls.filter((p) => p.streaming);
    const distinct = <T>(values: T[]) => [...new Set(values)];
    const liveBytes = distinct(live.map((p) => p.bytesTotal));
    const liveStreams = distinct(live.map((p) => p.streams).filter((n) => n > 0));
    const liveSpanEnds = distinct(live.map((p) => p.spanTo).filter((t) => t !== null));
    expect(liveBytes.length).toBeGreaterThanOrEqual(PIECES - 1);
    expect(liveBytes).toEqual([...liveBytes].sort((a, b) => a - b));
    expect(liveStreams.length).toBeGreaterThanOrEqual(3);
    expect(liveStreams).toEqual([...liveStreams].sort((a, b) => a - b));
    expect(liveSpanEnds.length).toBeGreaterThanOrEqual(2);
    expect(liveSpanEnds).toEqual([...liveSpanEnds].sort((a, b) => (a! < b! ? -1 : 1)));
    // The HTTP exchanges too, as their connections answered them, not at the stream's end.
    const liveExchanges = distinct(live.map((p) => p.exchanges).filter((n) => n > 0));
    expect(liveExchanges.length).toBeGreaterThanOrEqual(3);
    expect(liveExchanges).toEqual([...liveExchanges].sort((a, b) => a - b));
    expect(liveExchanges.at(-1)).toBeLessThan(170);
    expect(liveRows!.total).toBeGreaterThan(0);
    expect(liveRows!.rows).toHaveLength(liveRows!.total);
    expect(liveRows!.rows.some((r) => r.status === 502)).toBe(true);

    // Then the stream ended and the case was finished whole: as many streams and exchanges as the file holds.
    expect(summary.progress).toMatchObject({ state: 'done', streaming: false, bytesDone: fs.statSync(file).size, bytesTotal: fs.statSync(file).size, error: null });
    const shape = await call<CaseShape>('explore.shape', { caseId: initialCaseId });
    expect(shape).toMatchObject({ partial: false, streams: 170, httpExchanges: 170 });
    expect(polls.at(-1)!.streams).toBe(170);
    expect(whileGrowing?.length).toBeGreaterThan(0);
    // What was read while the copy grew is what the whole copy holds there.
    expect((await firstStream()).slice(0, whileGrowing!.length)).toEqual(whileGrowing);

    // The copy is a recent file, and opening it again finds its index up to date.
    const recent = await call<{ files: string[] }>('app.recentFiles', {});
    expect(recent.files).toContain(summary.file);
    expect(path.basename(summary.file)).toMatch(/^stdin-.*\.pcap$/);
    expect(fs.readFileSync(summary.file).equals(fs.readFileSync(file))).toBe(true);
    const reopened = await call<CaseSummary>('case.open', { path: summary.file });
    expect(reopened.progress).toMatchObject({ state: 'done', reused: true });
    expect(stderr()).toBe('');
  });

  it("stops reading standard input when asked to cancel, and indexes whole what arrived", { timeout: 60_000 }, async () => {
    // Half the capture, then a stream that stays open: only the case can end it.
    const file = corpus('pcap', 'haproxy-502.pcap');
    const { call, caseId } = await serveFed(file, 2, 600_000, 'stdin-serve-stop');
    let summary = await call<CaseSummary>('case.get', { caseId });
    while (!(summary.progress.streaming && summary.progress.bytesDone > 0)) {
      await new Promise((done) => setTimeout(done, 200));
      summary = await call<CaseSummary>('case.get', { caseId });
    }
    await call<CaseSummary>('case.cancel', { caseId });
    while (summary.progress.state === 'running') {
      await new Promise((done) => setTimeout(done, 200));
      summary = await call<CaseSummary>('case.get', { caseId });
    }
    // Finished, not cancelled: the analyses ran over what arrived; the half packet at the end is left out.
    expect(summary.progress).toMatchObject({ state: 'done', streaming: false, error: null });
    expect(summary.sources).toMatchObject([{ format: 'pcap', status: 'indexed' }]);
    const half = Math.ceil(fs.statSync(file).size / 2);
    expect(fs.statSync(summary.file).size).toBeLessThanOrEqual(half);
    expect(fs.statSync(summary.file).size).toBeGreaterThan(half - 300);
    const shape = await call<CaseShape>('explore.shape', { caseId });
    expect(shape.streams).toBeGreaterThan(0);
    expect(shape.httpExchanges).toBeGreaterThan(0);
  });
});
