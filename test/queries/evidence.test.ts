// The evidence views' API on the seed incident (haproxy-502.pcap), held against tshark and the
// incident's stream map (which client connection HAProxy forwarded to which backend connection, and
// what each answered): the findings point at the offending bytes, the stream pages give back the
// TCP payload tshark reassembles, the HTTP page sorts and narrows by time, and the latencies are
// tshark's http.time.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type ApiHandlers } from '../../core/api';
import type { ChunkView } from '../../core/domain/streams/contract';
import { createCore, type Core } from '../../core/app/create-core';
import { corpus, scratchDir } from '../helpers/paths';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const MAP = corpus('pcap', 'oracle', 'haproxy-502', 'stream-map.tsv');

let core: Core;
let api: ApiHandlers;
let caseId: string;
/** tshark's tcp.stream → capscope's stream id. */
const streamIdOf = new Map<number, number>();

function tshark(args: string[]): string[][] {
  const out = execFileSync('tshark', ['-r', PCAP, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map((line) => line.split('\t'));
}

function streamMap(): Record<string, string>[] {
  const [head, ...rows] = fs.readFileSync(MAP, 'utf8').trim().split('\n').map((l) => l.split('\t'));
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
}

async function expectApiError(promise: Promise<unknown>, code: string, pattern: RegExp) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  expect((err as ApiError).message).toMatch(pattern);
}

beforeAll(async () => {
  const dir = scratchDir('evidence-api');
  core = createCore({ transport: 'web', samplePath: null, cacheDir: path.join(dir, 'cache') });
  api = core.handlers;
  caseId = (await core.open(PCAP, { dbPath: path.join(dir, 'case.sqlite') })).caseId;
  await core.waitForIngest(caseId);
  for (let id = 1; ; id++) {
    const got = await api['stream.get']({ caseId, streamId: id }).catch(() => null);
    if (!got) break;
    streamIdOf.set(got.stream.connectionIndex!, id);
  }
}, 120_000);

afterAll(async () => {
  await core?.close();
});

describe('findings.list', () => {
  it('has one 502 finding per 502 of the stream map, each pointing at the bytes of the backend connection HAProxy refused', async () => {
    const map = streamMap().filter((r) => r.client_status === '502');
    const res = await api['findings.list']({ caseId, limit: 1000 });
    const proxy = res.rows.filter((f) => f.kind === 'proxy-error');
    expect(proxy).toHaveLength(map.length);
    const expected = map.map((r) => streamIdOf.get(Number(r.backend_stream))).sort((a, b) => a! - b!);
    const pointed = proxy.map((f) => f.evidence.find((e) => e.dir !== null)!);
    expect(pointed.map((e) => e.streamId).sort((a, b) => a - b)).toEqual(expected);
    for (const e of pointed) expect(e).toMatchObject({ dir: 'in', offset: 21, excerpt: 'text/plain: Content-type' });
  });

  it('pages, and a time range keeps the findings of exchanges inside it', async () => {
    const all = await api['findings.list']({ caseId, limit: 1000 });
    const page = await api['findings.list']({ caseId, limit: 2, offset: 1 });
    expect(page.total).toBe(all.total);
    expect(page.rows.map((f) => f.id)).toEqual(all.rows.slice(1, 3).map((f) => f.id));
    const first = await api['http.exchange']({ caseId, id: all.rows[0]!.exchangeId! });
    const narrowed = await api['findings.list']({ caseId, scope: { range: { from: first.row.reqTs!, to: first.row.reqTs! } } });
    expect(narrowed.rows.filter((f) => f.exchangeId !== null).map((f) => f.exchangeId)).toEqual([first.row.id]);
  });
});

describe('findings.groups', () => {
  it("groups the 502s as one problem whose share is the stream map's 502s among HAProxy's answers, and counts as the Findings tile does", async () => {
    const map = streamMap();
    const bad = map.filter((r) => r.client_status === '502').length;
    const { total, groups, leftOut } = await api['findings.groups']({ caseId });
    const proxy = groups.find((g) => g.kind === 'proxy-error')!;
    expect(proxy.count).toBe(bad);
    expect(proxy.share).toEqual({ count: bad, of: map.length, status: 502, reason: 'Bad Gateway' });
    expect(proxy.endpoints).toEqual([{ server: '127.0.0.1:8080', count: bad }]);
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(total);
    expect(leftOut).toBe(0);
    const members = await api['findings.list']({ caseId, group: proxy.key, limit: 1000 });
    expect(members.total).toBe(bad);
    expect(members.rows[0]!.id).toBe(proxy.first.id);
    // Under a range: the panel's count and the tile's are one number.
    const firstExchange = await api['http.exchange']({ caseId, id: proxy.first.exchangeId! });
    const last = await api['http.exchange']({ caseId, id: members.rows[members.rows.length - 1]!.exchangeId! });
    const range = { from: firstExchange.row.reqTs!, to: last.row.reqTs! };
    const narrowed = await api['findings.groups']({ caseId, scope: { range } });
    const { tiles } = await api['overview.tiles']({ caseId, scope: { range } });
    expect(narrowed.total).toBe(bad);
    expect(narrowed.leftOut).toBe(1);
    expect(tiles.find((t) => t.metric === 'findings')!.value).toBe(narrowed.total);
  });
});

describe('stream.chunks', () => {
  it("gives back, page by page, each direction's TCP payload as tshark reassembles it", async () => {
    const payloads = tshark(['-Y', 'tcp.len>0', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.srcport', '-e', 'tcp.payload']);
    for (const tcpStream of [0, 1, 5, 168, 169]) {
      const streamId = streamIdOf.get(tcpStream)!;
      const { stream } = await api['stream.get']({ caseId, streamId });
      const clientPort = stream.endpoints.find((e) => e.role === 'client')!.port;
      const want = { out: '', in: '' };
      for (const [s, port, hex] of payloads) if (Number(s) === tcpStream) want[Number(port) === clientPort ? 'out' : 'in'] += hex;
      // Pages of one chunk: the paging itself is what is under test.
      const got = { out: '', in: '' };
      let fromSeq = 0;
      for (;;) {
        const page = await api['stream.chunks']({ caseId, streamId, fromSeq, limit: 1 });
        for (const c of page.chunks) got[c.dir] += Buffer.from(c.data, 'base64').toString('hex');
        if (!page.hasAfter) break;
        fromSeq = page.chunks.at(-1)!.seq + 1;
      }
      expect(got).toEqual(want);
    }
  });

  it('opens around a byte: the located chunk holds it, a few chunks of context come before, and paging backward meets the start', async () => {
    const streamId = streamIdOf.get(5)!;
    const page = await api['stream.chunks']({ caseId, streamId, at: { dir: 'in', offset: 21 } });
    const located = page.chunks.find((c) => c.seq === page.located) as ChunkView;
    expect(located.dir).toBe('in');
    const bytes = Buffer.from(located.data, 'base64');
    expect(bytes.subarray(17 - located.offset, 17 - located.offset + 24).toString('latin1')).toBe('text/plain: Content-type');
    expect(located.offset).toBeLessThanOrEqual(21);
    expect(located.offset + located.length).toBeGreaterThan(21);
    const back = await api['stream.chunks']({ caseId, streamId, beforeSeq: page.chunks[0]!.seq });
    expect(back.hasBefore).toBe(false);
    expect(back.chunks.at(-1)?.seq ?? -1).toBe(page.chunks[0]!.seq - 1);
  });

  it('marks the invalid header line where the HTTP analysis found it', async () => {
    const { marks } = await api['stream.get']({ caseId, streamId: streamIdOf.get(5)! });
    expect(marks).toEqual([expect.objectContaining({ dir: 'in', offset: 17, length: 24, at: 21, code: 'invalid-field-name', severity: 'error' })]);
  });

  it('refuses what is not there', async () => {
    await expectApiError(api['stream.get']({ caseId, streamId: 99999 }), 'not-found', /no stream 99999/);
    await expectApiError(api['stream.chunks']({ caseId, streamId: 1, fromSeq: -1 }), 'bad-request', /fromSeq/);
    await expectApiError(api['stream.chunks']({ caseId, streamId: 1, at: { dir: 'sideways' as 'in', offset: 0 } }), 'bad-request', /at\.dir/);
    await expectApiError(api['stream.get']({ caseId: 'nope', streamId: 1 }), 'not-found', /no open case/);
  });

  it('a network capture has one view per connection: no peers', async () => {
    expect((await api['stream.peers']({ caseId, streamId: 1 })).peers).toEqual([]);
  });
});

describe('http.exchanges', () => {
  it("has tshark's requests, and each latency is tshark's http.time", async () => {
    const rows = tshark(['-Y', 'http.response', '-T', 'fields', '-e', 'tcp.stream', '-e', 'http.response.code', '-e', 'http.time']);
    const res = await api['http.exchanges']({ caseId, limit: 1000, sort: { column: 'time' } });
    expect(res.total).toBe(rows.length);
    const byStream = new Map(res.rows.map((r) => [r.streamId, r]));
    for (const [s, code, time] of rows) {
      const row = byStream.get(streamIdOf.get(Number(s))!)!;
      expect(row.status).toBe(Number(code));
      // pcap timestamps are microseconds: tshark prints http.time to the nanosecond.
      expect(Number(row.latencyNs)).toBe(Math.round(Number(time) * 1e9));
    }
  });

  it('sorts by every column, and pages of the sorted order line up', async () => {
    for (const column of ['time', 'method', 'target', 'status', 'latency', 'container', 'diagnostics'] as const) {
      for (const desc of [false, true]) {
        const all = await api['http.exchanges']({ caseId, limit: 1000, sort: { column, desc } });
        const key = (r: (typeof all.rows)[number]) =>
          ({ time: BigInt(r.reqTs!), method: r.method, target: r.target, status: r.status, latency: BigInt(r.latencyNs!), container: r.server, diagnostics: r.diagnosticCount })[column];
        for (let i = 1; i < all.rows.length; i++) {
          const [a, b] = [key(all.rows[i - 1]!)!, key(all.rows[i]!)!];
          if (column !== 'container') expect(desc ? a >= b : a <= b).toBe(true);
        }
        const page = await api['http.exchanges']({ caseId, offset: 40, limit: 25, sort: { column, desc } });
        expect(page.rows.map((r) => r.id)).toEqual(all.rows.slice(40, 65).map((r) => r.id));
      }
    }
  });

  it("a time range keeps the exchanges whose request began inside it, as tshark's frame times say", async () => {
    const requests = tshark(['-Y', 'http.request', '-T', 'fields', '-e', 'frame.time_epoch']).map(([t]) => BigInt(t!.replace('.', '')));
    const sorted = [...requests].sort((a, b) => (a < b ? -1 : 1));
    const from = sorted[10]!;
    const to = sorted[29]!;
    const res = await api['http.exchanges']({ caseId, scope: { range: { from: String(from), to: String(to) } }, limit: 1000 });
    expect(res.total).toBe(requests.filter((t) => t >= from && t <= to).length);
    expect(res.total).toBe(20);
    const series = await api['http.latency']({ caseId, scope: { range: { from: String(from), to: String(to) } } });
    expect(series.total).toBe(20);
    expect(series.points).toHaveLength(20);
    expect(series.buckets.reduce((n, b) => n + b.count, 0)).toBe(20);
  });

  it('reports a filter it cannot read as a bad request naming the column', async () => {
    await expectApiError(api['http.exchanges']({ caseId, scope: { filter: 'status ==== (' } }), 'bad-request', /column \d+/);
    await expectApiError(api['http.exchanges']({ caseId, scope: { range: { from: 'yesterday', to: '1' } } }), 'bad-request', /scope\.range/);
    await expectApiError(api['http.exchanges']({ caseId, sort: { column: 'colour' as 'time' } }), 'bad-request', /sort\.column/);
  });

  it('one exchange: request and response bytes side by side, the bad header line among the diagnostics', async () => {
    const backend = streamIdOf.get(5)!;
    const row = (await api['http.exchanges']({ caseId, limit: 1000 })).rows.find((r) => r.streamId === backend)!;
    const detail = await api['http.exchange']({ caseId, id: row.id });
    const request = Buffer.from(detail.request.data, 'base64').toString('latin1');
    const response = Buffer.from(detail.response!.data, 'base64').toString('latin1');
    expect(detail.request.dir).toBe('out');
    expect(request.startsWith('GET /getticket HTTP/1.1\r\n')).toBe(true);
    expect(detail.response!.dir).toBe('in');
    expect(response).toBe('HTTP/1.1 200 OK\r\ntext/plain: Content-type\r\nContent-Length: 33\r\n\r\n{"ticket":"T-0001","valid":true}\n');
    expect(detail.diagnostics).toEqual([expect.objectContaining({ side: 'response', dir: 'in', offset: 17, length: 24, at: 21, line: 'text/plain: Content-type' })]);
    await expectApiError(api['http.exchange']({ caseId, id: 123456 }), 'not-found', /no HTTP exchange/);
  });
});
