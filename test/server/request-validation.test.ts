// Every API method checks its request against the contract's types at the boundary: a field of the
// wrong type or out of range is answered 400 with the field and the reason, never a 500 from SQLite
// or a "no open case [object Object]". The web server and the Electron IPC binding share the core's
// handlers, so both are held to it here.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, ApiError, type ApiErrorBody, type ApiMethod, type CaseSummary } from '../../core/api';
import { createCore, type Core } from '../../core/app/create-core';
import { startWebServer, type WebServer } from '../../core/server/web-server';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';

let core: Core;
let server: WebServer;
let caseId: string;

beforeAll(async () => {
  const dir = scratchDir('requests');
  core = createCore({ transport: 'web', samplePath: null, cacheDir: path.join(dir, 'cache') });
  server = await startWebServer({ core, rendererDir: path.join(REPO_ROOT, 'dist', 'renderer'), port: 0 });
  const opened = await core.open(corpus('pcap', 'haproxy-502.pcap'));
  caseId = (await core.waitForIngest(opened.caseId)).caseId;
});

afterAll(async () => {
  await server.close();
  await core.close();
});

async function post(method: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-capscope-token': server.token }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const scope = { filter: '', range: { from: '1', to: '2' } };

/** A well-formed request for every method of the contract (the compiler insists every one is here). */
function validRequests(): Record<ApiMethod, Record<string, unknown>> {
  const heap = { caseId, sourceId: 1, model: 'jvm' };
  const profile = { caseId, sourceId: 1, sampleType: 'cpu', baseSourceId: 2 };
  return {
    'app.info': {},
    'app.recentFiles': {},
    'case.open': { path: corpus('pcap', 'haproxy-502.pcap'), reindex: false },
    'case.get': { caseId },
    'case.reindex': { caseId },
    'case.cancel': { caseId },
    'case.close': { caseId },
    'case.diagnostics': { caseId, sourceId: 1, limit: 10, offset: 0 },
    'explore.shape': { caseId },
    'overview.tiles': { caseId, scope, buckets: 10 },
    'timeline.series': { caseId, scope, metrics: ['syscalls'], window: { from: '1', to: '2' }, buckets: 10 },
    'table.page': { caseId, table: 'processes', scope, drill: { pid: 1 }, sort: { column: 'name', desc: false }, offset: 0, limit: 10 },
    'table.export': { caseId, table: 'connections', scope, columns: ['id', 'proto'], format: 'csv' },
    'filter.check': { expr: 'fd.port = 80', target: 'streams' },
    'stream.get': { caseId, streamId: 1 },
    'stream.chunks': { caseId, streamId: 1, fromSeq: 0, beforeSeq: 10, at: { dir: 'out', offset: 0 }, limit: 10 },
    'stream.peers': { caseId, streamId: 1 },
    'http.exchanges': { caseId, scope, sort: { column: 'time', desc: true }, limit: 10, offset: 0 },
    'http.export': { caseId, scope, sort: { column: 'status', desc: true }, format: 'json' },
    'http.exchange': { caseId, id: 1 },
    'http.latency': { caseId, scope, buckets: 10 },
    'heap.sources': { caseId },
    'heap.summary': heap,
    'heap.histogram': { ...heap, sort: { column: 'retained', desc: true }, classContains: 'String', limit: 10, offset: 0 },
    'heap.dominators': { ...heap, parent: null, limit: 10, offset: 0 },
    'heap.suspects': heap,
    'heap.pathToRoot': { ...heap, objectId: '0x1' },
    'heap.mergedPaths': { ...heap, classId: '0x1', parent: null, limit: 10, offset: 0 },
    'heap.references': { ...heap, objectId: '0x1', direction: 'incoming', limit: 10, offset: 0 },
    'heap.instances': { ...heap, classId: '0x1', limit: 10, offset: 0 },
    'heap.dominatorsByClass': { ...heap, classPath: ['0x1'], limit: 10, offset: 0 },
    'heap.duplicateStrings': { ...heap, limit: 10, offset: 0 },
    'heap.threads': heap,
    'profile.list': { caseId },
    'profile.top': { ...profile, sort: { column: 'flat', desc: true }, functionRegex: 'main', limit: 10 },
    'profile.flame': profile,
    'profile.neighbours': { ...profile, function: 'main.main' },
    'profile.goroutines': { caseId, sourceId: 1 },
    'profile.documents': { caseId },
    'profile.document': { caseId, id: 1 },
    'profile.findings': { caseId },
    'findings.list': { caseId, scope, limit: 10, offset: 0 },
    'findings.groups': { caseId, scope },
    'alerts.list': { caseId, rules: [{ name: 'r.yaml', text: '- list: l\n  items: [a]\n' }], perRule: 5 },
    'report.export': { caseId, format: 'md', redact: true, scope },
    'export.packets': { caseId, format: 'pcapng', streamId: 1, scope },
    'export.events': { caseId, scope },
    'export.streamBytes': { caseId, streamId: 1, dir: 'out' },
    'search.bytes': { caseId, query: { mode: 'text', pattern: 'HTTP', ignoreCase: true }, streamId: 1, limit: 10 },
    'bookmarks.list': { caseId },
    'bookmarks.add': { caseId, place: { kind: 'stream-range', streamId: 1, dir: 'out', offset: 0, length: 4 }, note: 'the request' },
    'bookmarks.update': { caseId, id: 'b1', note: 'the request line' },
    'bookmarks.remove': { caseId, id: 'b1' },
    'packets.page': { caseId, scope, streamId: 1, offset: 0, limit: 10 },
    'packets.detail': { caseId, sourceId: 1, frame: 1 },
    'packets.locate': { caseId, scope, streamId: 1, sourceId: 1, frame: 1 },
  };
}

/** A value of the wrong type for the field that holds `value`. */
function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) return 42;
  return { nested: [value] };
}

describe('request validation at the boundary', () => {
  it('answers the issue report\'s requests 400, naming the field and the reason', async () => {
    const negative = await post('case.diagnostics', { caseId, limit: -1, offset: 1e308 });
    expect(negative.status).toBe(400);
    expect(negative.body).toEqual({ error: { code: 'bad-request', field: 'limit', message: expect.stringMatching(/^case\.diagnostics: limit must be a whole number ≥ 1, got -1; offset must be a whole number/) } });
    const text = await post('case.diagnostics', { caseId, limit: 'x' });
    expect(text).toEqual({ status: 400, body: { error: { code: 'bad-request', field: 'limit', message: 'case.diagnostics: limit must be a whole number ≥ 1, got "x"' } } });
    const objectId = await post('case.get', { caseId: { toString: 'x' } });
    expect(objectId).toEqual({ status: 400, body: { error: { code: 'bad-request', field: 'caseId', message: 'case.get: caseId must be text, got {"toString":"x"}' } } });
    const missing = await post('case.get', {});
    expect(missing).toEqual({ status: 400, body: { error: { code: 'bad-request', field: 'caseId', message: 'case.get: caseId is missing (it must be text)' } } });
  });

  it('holds every field of every method to its type', async () => {
    const requests = validRequests();
    expect(Object.keys(requests).sort()).toEqual([...API_METHODS].sort());
    const failures: string[] = [];
    for (const method of API_METHODS) {
      for (const [field, value] of Object.entries(requests[method])) {
        const { status, body } = await post(method, { ...requests[method], [field]: wrongTypeFor(value) });
        const error = (body as ApiErrorBody).error;
        if (status !== 400 || error?.code !== 'bad-request' || error.field !== field || !error.message.startsWith(`${method}: ${field} `)) {
          failures.push(`${method} ${field}: ${status} ${JSON.stringify(body)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('checks ranges and names nested fields', async () => {
    const cases: [ApiMethod, Record<string, unknown>, string][] = [
      ['case.diagnostics', { caseId, sourceId: 0 }, 'sourceId'],
      ['stream.chunks', { caseId, streamId: 1, at: { dir: 'sideways', offset: 0 } }, 'at.dir'],
      ['stream.chunks', { caseId, streamId: 1.5 }, 'streamId'],
      ['table.page', { caseId, table: 'processes', scope: { range: { from: 'yesterday', to: '2' } } }, 'scope.range.from'],
      ['table.export', { caseId, table: 'connections', scope: {}, format: 'xlsx' }, 'format'],
      ['table.page', { caseId, table: 'kitchen', scope: {} }, 'table'],
      ['timeline.series', { caseId, scope: {}, metrics: ['syscalls', 'weather'] }, 'metrics.1'],
      ['heap.histogram', { caseId, sourceId: 1, sort: { column: 'colour' } }, 'sort.column'],
      ['case.open', { path: '' }, 'path'],
      ['report.export', { caseId, format: 'pdf' }, 'format'],
    ];
    for (const [method, request, field] of cases) {
      const { status, body } = await post(method, request);
      expect({ method, status, field: (body as ApiErrorBody).error?.field }).toEqual({ method, status: 400, field });
    }
  });

  it('lets well-formed requests through, extra fields dropped', async () => {
    const summary = (await post('case.get', { caseId, unknown: 'ignored' })).body as CaseSummary;
    expect(summary.caseId).toBe(caseId);
    expect((await post('case.diagnostics', { caseId, limit: 5000, offset: 0 })).status).toBe(200);
  });

  it('checks requests the same way for the desktop shell, which calls the same handlers', async () => {
    const handler = core.handlers['case.get'] as (req: unknown) => Promise<unknown>;
    const refused = await handler({ caseId: {} }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'bad-request', field: 'caseId' });
  });
});
