// HTTP/2 parsed while a capture is read (core/formats/pcap/live-http2.ts) must leave the index
// exactly as the HTTP/2 parse from the index does (core/analysis/http/http2-views.ts). Each capture
// is indexed once with the live parse, then a copy of its index is analysed again on a fresh
// connection, where nothing was parsed live and every stream is read back from the chunks table:
// the HTTP and HTTP/2 tables and the findings must be identical, row for row. Every HTTP/2 capture
// of test/fixtures/http2 and of the shared corpus, edits of them (segments lost, the capture begun
// late), and small conversations for the orders the live parse must wait on.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Http2ViewReader } from '../../core/analysis/http/http2-views';
import { PreparsedViews } from '../../core/analysis/http/preparsed';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';
import fc from 'fast-check';
import { data, F, frame, goaway, grpcMessage, headers, HpackEncoder, PREFACE_BYTES, rstStream, settings } from '../helpers/http2-writer';
import { tcpConversationPcap, type Payload } from './helpers/conversation';
import { readPcapFile, tcpOf, writePcapFile } from './helpers/pcap-edit';
import { callsOf, HTTP_DUMPS, liveAgainstIndex as liveAgainstIndexOf } from './helpers/live-against-index';

const dir = scratchDir('live-http2');
const H2_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'http2');

const TABLES = HTTP_DUMPS;


/** Indexes `file` with the live parse; returns both dumps and how many HTTP/2 views the live parse left to the index. */
async function liveAgainstIndex(file: string) {
  const r = await liveAgainstIndexOf(file, dir, TABLES, callsOf(Http2ViewReader.prototype, 'read'));
  const http2 = (r.live.protocols as { protocol: string }[]).filter((row) => row.protocol === 'http2').length;
  return { ...r, http2, exchanges: r.live.exchanges!.length };
}

afterEach(() => vi.restoreAllMocks());

/** The pcap files of a folder whose bytes hold the HTTP/2 client preface (the corpus holds none today; any it gains is held here). */
function http2Captures(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .map((f) => path.join(folder, f))
    .filter((f) => fs.readFileSync(f).includes(PREFACE_BYTES));
}

const FIXTURE_CAPTURES = fs.readdirSync(H2_FIXTURES).filter((f) => f.endsWith('.pcap')).map((f) => path.join(H2_FIXTURES, f));
const CORPUS_CAPTURES = http2Captures(corpus('pcap'));

describe('HTTP/2 parsed while reading equals HTTP/2 parsed from the index', () => {
  for (const file of [...FIXTURE_CAPTURES, ...CORPUS_CAPTURES]) {
    it(path.basename(file), async () => {
      const r = await liveAgainstIndex(file);
      expect(r.http2).toBeGreaterThan(0);
      expect(r.live).toEqual(r.fromIndex);
    });
  }

  it('parses every connection that begins with the preface live, none from the index', async () => {
    // nghttp2-h2c.pcap also holds the last 17 bytes of a connection begun before the capture (frames, no preface).
    for (const [name, midConnection] of [['emojivoto-incident.pcap', 0], ['nghttp2-h2c.pcap', 1], ['haproxy-grpc.pcap', 0], ['grpc-deadline.pcap', 0]] as const) {
      const r = await liveAgainstIndex(path.join(H2_FIXTURES, name));
      expect(r.exchanges, name).toBeGreaterThan(0);
      expect(r.leftToIndex, name).toBe(midConnection);
    }
  });

  it('the budget spent part way: those connections are given up and read from the index, the same', async () => {
    // Room for the first few charges only: the connections that ask after that are given up.
    let allowed = 6;
    vi.spyOn(PreparsedViews.prototype, 'reserve').mockImplementation(function (this: PreparsedViews) {
      return allowed-- > 0;
    });
    const r = await liveAgainstIndex(path.join(H2_FIXTURES, 'haproxy-grpc.pcap'));
    expect(r.leftToIndex).toBeGreaterThan(0);
    expect(r.leftToIndex).toBeLessThan(r.http2);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('a capture begun mid-connection (frames, no preface) is left to the parse from the index', async () => {
    const r = await liveAgainstIndex(path.join(H2_FIXTURES, 'emojivoto-midstream.pcap'));
    expect(r.leftToIndex).toBeGreaterThan(0);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('segments lost (every 5th data segment dropped): frame sync lost and found again the same way', async () => {
    for (const name of ['nghttp2-h2c.pcap', 'emojivoto-incident.pcap']) {
      const pcap = readPcapFile(path.join(H2_FIXTURES, name));
      let n = 0;
      const file = path.join(dir, `dropped-${name}`);
      writePcapFile(file, { header: pcap.header, records: pcap.records.filter((r) => !((tcpOf(r)?.payloadLength ?? 0) > 0 && ++n % 5 === 0)) });
      const r = await liveAgainstIndex(file);
      expect(r.exchanges, name).toBeGreaterThan(0);
      expect(r.live, name).toEqual(r.fromIndex);
    }
  });

  it('the capture begun after some connections started: their preface unseen, the rest from the start', async () => {
    const pcap = readPcapFile(path.join(H2_FIXTURES, 'emojivoto-incident.pcap'));
    const file = path.join(dir, 'late-start.pcap');
    writePcapFile(file, { header: pcap.header, records: pcap.records.slice(Math.floor(pcap.records.length / 4)) });
    const r = await liveAgainstIndex(file);
    expect(r.exchanges).toBeGreaterThan(0);
    expect(r.live).toEqual(r.fromIndex);
  });
});

describe('orders the live HTTP/2 parse waits on', () => {
  const request = (hpack: HpackEncoder, id: number, path: string) =>
    headers(id, hpack.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', path]]), { endStream: true });
  const response = (hpack: HpackEncoder, id: number, body: string) =>
    Buffer.concat([headers(id, hpack.encode([[':status', '200'], ['content-length', String(body.length)]])), data(id, Buffer.from(body), true)]);

  function conversation(name: string, payloads: Payload[]): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, tcpConversationPcap(payloads));
    return file;
  }

  it("the server's SETTINGS before the client's preface: its direction waits, then reads from the start", async () => {
    const c = new HpackEncoder();
    const s = new HpackEncoder();
    const file = conversation('server-first.pcap', [
      { from: 'server', data: settings([[3, 100]]) },
      { from: 'client', data: Buffer.concat([PREFACE_BYTES, settings()]) },
      { from: 'client', data: request(c, 1, '/a') },
      { from: 'server', data: response(s, 1, 'one') },
      { from: 'client', data: request(c, 3, '/b') },
      { from: 'server', data: response(s, 3, 'two') },
    ]);
    const r = await liveAgainstIndex(file);
    expect(r.exchanges).toBe(2);
    expect(r.leftToIndex).toBe(0);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('HEADERS and DATA cut across segments, and segments holding several frames', async () => {
    const c = new HpackEncoder();
    const s = new HpackEncoder();
    const client = Buffer.concat([PREFACE_BYTES, settings(), request(c, 1, '/x'), request(c, 3, '/y')]);
    const server = Buffer.concat([settings(), response(s, 1, 'a'.repeat(3000)), response(s, 3, 'b'.repeat(10))]);
    // The client's first segment holds the preface whole (how the protocol is recognised), then 7 octets at a time.
    const payloads: Payload[] = [{ from: 'client', data: client.subarray(0, 26) }];
    for (let i = 26, j = 0; i < client.length || j < server.length; i += 7, j += 301) {
      if (i < client.length) payloads.push({ from: 'client', data: client.subarray(i, i + 7) });
      if (j < server.length) payloads.push({ from: 'server', data: server.subarray(j, j + 301) });
    }
    const r = await liveAgainstIndex(conversation('cut.pcap', payloads));
    expect(r.exchanges).toBe(2);
    expect(r.leftToIndex).toBe(0);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('gRPC calls cut anywhere (messages across DATA frames and segments, trailers, a reset, a GOAWAY): the same as from the index', async () => {
    const c = new HpackEncoder();
    const s = new HpackEncoder();
    const call = (path: string) => c.encode([[':method', 'POST'], [':scheme', 'http'], [':path', path], [':authority', 'svc:8081'], ['content-type', 'application/grpc'], ['te', 'trailers'], ['grpc-timeout', '1S']], { huffman: true });
    const big = grpcMessage(Buffer.alloc(40000, 7));
    const client = Buffer.concat([
      PREFACE_BYTES,
      settings([[4, 65535]]),
      headers(1, call('/demo.v1.Votes/VotePoop')),
      data(1, grpcMessage(Buffer.alloc(0)), true),
      headers(3, call('/demo.v1.Emoji/ListAll')),
      data(3, Buffer.concat([grpcMessage(Buffer.from('ab')), big.subarray(0, 3000)])),
      data(3, big.subarray(3000), true),
      headers(5, call('/demo.v1.Votes/VoteDoughnut'), { split: 9 }),
      data(5, grpcMessage(Buffer.from('x')), true),
    ]);
    const server = Buffer.concat([
      settings([[3, 100]]),
      frame(F.SETTINGS, 1, 0),
      headers(1, s.encode([[':status', '200'], ['content-type', 'application/grpc'], ['grpc-status', '2'], ['grpc-message', 'ERROR']]), { endStream: true }),
      headers(3, s.encode([[':status', '200'], ['content-type', 'application/grpc']])),
      data(3, Buffer.concat([grpcMessage(Buffer.from('hello')), grpcMessage(Buffer.alloc(20000, 1))])),
      headers(3, s.encode([['grpc-status', '0'], ['grpc-message', 'all%20good']]), { endStream: true }),
      rstStream(5, 0x8),
      goaway(5, 0, 'bye'),
    ]);
    const cut = (bytes: Buffer, points: number[]) => {
      const at = [...new Set(points.map((p) => p % bytes.length))].filter((p) => p > 0).sort((a, b) => a - b);
      // The client's first segment keeps the preface whole: that is how the connection is recognised.
      const edges = bytes === client ? [0, ...at.filter((p) => p >= PREFACE_BYTES.length + 1), bytes.length] : [0, ...at, bytes.length];
      return edges.slice(1).map((end, i) => bytes.subarray(edges[i]!, end));
    };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 30 }), async (clientCuts, serverCuts) => {
        const up = cut(client, clientCuts);
        const down = cut(server, serverCuts);
        const payloads: Payload[] = [];
        for (let i = 0; i < Math.max(up.length, down.length); i++) {
          if (i < up.length) payloads.push({ from: 'client', data: up[i]! });
          if (i < down.length) payloads.push({ from: 'server', data: down[i]! });
        }
        const r = await liveAgainstIndex(conversation(`grpc-cut-${run++}.pcap`, payloads));
        expect(r.exchanges).toBe(3);
        expect(r.leftToIndex).toBe(0);
        expect(r.live).toEqual(r.fromIndex);
      }),
      { numRuns: 8, seed: 23 },
    );
  });

  it('a preface after HTTP/1 bytes (not HTTP/2 from its start): left to the index, as before', async () => {
    const c = new HpackEncoder();
    const file = conversation('h1-then-preface.pcap', [
      { from: 'client', data: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' },
      { from: 'server', data: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' },
      { from: 'client', data: Buffer.concat([PREFACE_BYTES, request(c, 1, '/a')]) },
    ]);
    const r = await liveAgainstIndex(file);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('HTTP/2 then a TLS record among the first chunks: TLS, nothing parsed', async () => {
    const c = new HpackEncoder();
    const file = conversation('h2-then-tls.pcap', [
      { from: 'client', data: Buffer.concat([PREFACE_BYTES, settings(), request(c, 1, '/a')]) },
      { from: 'server', data: Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]) },
    ]);
    const r = await liveAgainstIndex(file);
    expect(r.http2).toBe(0);
    expect(r.live).toEqual(r.fromIndex);
  });
});
