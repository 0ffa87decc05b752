// HTTP/2 directions and conversations from bytes the test writes: exchanges and gRPC calls, the
// same whatever the segmentation, and the diagnostics each fault gives, at its frame's offset.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { converse, type Http2Conversation } from '../../parsers/http2/conversation';
import { Http2DirectionParser, type Http2Segment } from '../../parsers/http2/direction';
import { data, F, frame, goaway, grpcMessage, headers, HpackEncoder, PREFACE_BYTES, rstStream, settings } from '../helpers/http2-writer';

interface Written {
  client: Buffer;
  server: Buffer;
}

/** A gRPC client and server: calls of which one fails with UNKNOWN "ERROR", one is reset, one is plain HTTP. */
function grpcConversation(): Written {
  const ce = new HpackEncoder();
  const se = new HpackEncoder();
  const req = (path: string, extra: [string, string][] = []) =>
    ce.encode([[':method', 'POST'], [':scheme', 'http'], [':path', path], [':authority', '127.0.0.1:8081'], ['content-type', 'application/grpc'], ['te', 'trailers'], ...extra], { huffman: true });
  const client = Buffer.concat([
    PREFACE_BYTES,
    settings([[4, 65535]]),
    headers(1, req('/emojivoto.v1.VotingService/VotePoop', [['grpc-timeout', '1S']])),
    data(1, grpcMessage(Buffer.from([])), true),
    headers(3, req('/emojivoto.v1.EmojiService/ListAll')),
    data(3, Buffer.concat([grpcMessage(Buffer.from('ab')), grpcMessage(Buffer.alloc(70000, 1)).subarray(0, 10)])),
    data(3, grpcMessage(Buffer.alloc(70000, 1)).subarray(10), true),
    headers(5, req('/emojivoto.v1.VotingService/VoteDoughnut')),
    data(5, grpcMessage(Buffer.from('x')), true),
    headers(7, ce.encode([[':method', 'GET'], [':scheme', 'http'], [':path', '/healthz'], [':authority', 'web']]), { endStream: true, split: 5 }),
  ]);
  const server = Buffer.concat([
    settings([[3, 100], [5, 1 << 20]]),
    frame(F.SETTINGS, 1, 0),
    // Trailers-Only: the failed call.
    headers(1, se.encode([[':status', '200'], ['content-type', 'application/grpc'], ['grpc-status', '2'], ['grpc-message', 'ERROR']]), { endStream: true }),
    headers(3, se.encode([[':status', '200'], ['content-type', 'application/grpc']])),
    data(3, grpcMessage(Buffer.from('hello world'))),
    headers(3, se.encode([['grpc-status', '0'], ['grpc-message', 'all%20good%e2%9c%93']]), { endStream: true }),
    rstStream(5, 0x7),
    headers(7, se.encode([[':status', '503'], ['content-length', '0']]), { endStream: true }),
    goaway(7, 0, 'bye'),
  ]);
  return { client, server };
}

function parse(w: Written, cuts: { client: number[]; server: number[] } = { client: [], server: [] }): Http2Conversation {
  const run = (bytes: Buffer, points: number[], preface: boolean) => {
    const p = new Http2DirectionParser({ preface, fromStart: true });
    for (const s of segments(bytes, points)) p.push(s);
    return p.end();
  };
  return converse(run(w.client, cuts.client, true), run(w.server, cuts.server, false));
}

function segments(bytes: Buffer, points: number[]): Http2Segment[] {
  const cuts = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b).filter((p) => p > 0 && p < bytes.length);
  const edges = [0, ...cuts, bytes.length];
  const out: Http2Segment[] = [];
  for (let i = 0; i + 1 < edges.length; i++) out.push({ offset: edges[i]!, length: edges[i + 1]! - edges[i]!, data: bytes.subarray(edges[i]!, edges[i + 1]!), ts: BigInt(1000 + edges[i]!) });
  return out;
}

/** What an exchange is, without the times (segmentation moves them). */
function facts(c: Http2Conversation) {
  return c.exchanges.map((e) => ({
    stream: e.streamId,
    method: e.method,
    path: e.path,
    status: e.status,
    error: e.error && { name: e.error.name, by: e.error.by, frame: e.error.frame, offset: e.error.offset },
    grpc: e.grpc && { ...e.grpc, requestMessageList: e.grpc.requestMessageList.length, responseMessageList: e.grpc.responseMessageList },
    request: e.request && { ...e.request, startTs: undefined, endTs: undefined },
    response: e.response && { ...e.response, startTs: undefined, endTs: undefined },
  }));
}

describe('HTTP/2 conversations', () => {
  it('reads gRPC calls: service, method, status by name from trailers and Trailers-Only, messages, resets', () => {
    const c = parse(grpcConversation());
    expect(c.exchanges.map((e) => [e.streamId, e.method, e.path, e.status, e.grpc?.status ?? null, e.grpc?.statusName ?? null, e.grpc?.message ?? null])).toEqual([
      [1, 'POST', '/emojivoto.v1.VotingService/VotePoop', 200, 2, 'UNKNOWN', 'ERROR'],
      [3, 'POST', '/emojivoto.v1.EmojiService/ListAll', 200, 0, 'OK', 'all good✓'],
      [5, 'POST', '/emojivoto.v1.VotingService/VoteDoughnut', null, 14, 'UNAVAILABLE', null],
      [7, 'GET', '/healthz', 503, null, null, null],
    ]);
    const [poop, list, doughnut] = c.exchanges;
    expect(poop!.grpc).toMatchObject({ service: 'emojivoto.v1.VotingService', method: 'VotePoop', statusFrom: 'trailers-only', requestMessages: 1, responseMessages: 0, timeoutNs: 1e9, deadlineExceeded: false });
    expect(list!.grpc).toMatchObject({ statusFrom: 'trailers', requestMessages: 2, responseMessages: 1 });
    expect(list!.grpc!.requestMessageList.map((m) => [m.length, m.complete, m.pieces.length])).toEqual([
      [2, true, 1],
      [70000, true, 2],
    ]);
    expect(doughnut!.error).toMatchObject({ name: 'REFUSED_STREAM', by: 'server', frame: 'RST_STREAM' });
    expect(doughnut!.grpc!.statusFrom).toBe('rst-stream');
    expect(c.goaways).toEqual([expect.objectContaining({ by: 'server', lastStreamId: 7, name: 'NO_ERROR', debug: 'bye' })]);
    expect(c.exchanges.flatMap((e) => [...(e.request?.diagnostics ?? []), ...(e.response?.diagnostics ?? [])])).toEqual([]);
    expect([...c.clientDiagnostics, ...c.serverDiagnostics]).toEqual([]);
  });

  it('gives the same exchanges whatever the segmentation of either direction', () => {
    const w = grpcConversation();
    const whole = facts(parse(w));
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 40 }), (client, server) => {
        expect(facts(parse(w, { client, server }))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});

describe('HTTP/2 diagnostics', () => {
  const one = (client: Buffer, server: Buffer = Buffer.alloc(0)) => parse({ client: Buffer.concat([PREFACE_BYTES, client]), server });
  const enc = () => new HpackEncoder();
  const get = (e: HpackEncoder, path = '/') => e.encode([[':method', 'GET'], [':scheme', 'http'], [':path', path], [':authority', 'a']]);

  it('a DATA frame after END_STREAM, at its offset', () => {
    const e = enc();
    const h = headers(1, get(e), { endStream: true });
    const c = one(Buffer.concat([h, data(1, Buffer.from('late'))]));
    expect(c.exchanges[0]!.request!.diagnostics).toEqual([expect.objectContaining({ code: 'data-after-end-stream', offset: 24 + h.length, line: 'DATA stream 1' })]);
  });

  it('a HEADERS frame on a stream this side ended, and one below a stream already opened', () => {
    const e = enc();
    const h1 = headers(3, get(e), { endStream: true });
    const h2 = headers(3, get(e), { endStream: true });
    const h3 = headers(1, get(e), { endStream: true });
    const c = one(Buffer.concat([h1, h2, h3]));
    expect(c.exchanges.find((x) => x.streamId === 3)!.request!.diagnostics).toEqual([expect.objectContaining({ code: 'headers-on-closed-stream', offset: 24 + h1.length })]);
    expect(c.exchanges.find((x) => x.streamId === 1)!.request!.diagnostics).toEqual([expect.objectContaining({ code: 'headers-on-closed-stream', offset: 24 + h1.length + h2.length })]);
  });

  it('invalid pseudo-headers: missing :path, :status in a request, pseudo after regular', () => {
    const e = enc();
    const c = one(headers(1, e.encode([[':method', 'GET'], [':scheme', 'http'], ['accept', '*/*'], [':status', '200']]), { endStream: true }));
    expect(c.exchanges[0]!.request!.diagnostics).toEqual([
      expect.objectContaining({ code: 'invalid-pseudo-header', offset: 24, message: expect.stringMatching(/:status after a regular field; :status is not a request pseudo-header; no :path/) }),
    ]);
  });

  it('an HPACK error names the octet in the block', () => {
    const c = one(headers(1, Uint8Array.of(0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)));
    expect(c.exchanges[0]!.request!.diagnostics).toEqual([expect.objectContaining({ code: 'hpack-error', offset: 24, message: expect.stringMatching(/larger than 2\^31/) })]);
  });

  it('frame size errors: a fixed-size frame of the wrong size, and DATA above the peer\'s MAX_FRAME_SIZE', () => {
    const e = enc();
    const c = one(Buffer.concat([frame(F.PING, 0, 0, [1, 2, 3]), headers(1, get(e)), data(1, Buffer.alloc(20000), true)]));
    expect(c.clientDiagnostics.map((d) => [d.code, d.offset, d.line])).toEqual([
      ['frame-size-error', 24, 'PING stream 0'],
      ['frame-size-error', 24 + 12 + headers(1, get(enc())).length, 'DATA stream 1'],
    ]);
  });

  it('a gRPC message longer than its frames', () => {
    const e = enc();
    const h = headers(1, e.encode([[':method', 'POST'], [':scheme', 'http'], [':path', '/a.B/C'], [':authority', 'a'], ['content-type', 'application/grpc']]));
    const msg = grpcMessage(Buffer.alloc(100)).subarray(0, 50);
    const c = one(Buffer.concat([h, data(1, msg, true)]));
    expect(c.exchanges[0]!.request!.diagnostics).toEqual([expect.objectContaining({ code: 'grpc-message-longer-than-frames', offset: 24 + h.length + 9, message: expect.stringMatching(/declares 100 octets, but the stream ended 55 octets short/) })]);
  });

  it('missing bytes where a frame header was due: frames are found again at a segment that starts one', () => {
    const e = enc();
    const a = headers(1, get(e, '/a'), { endStream: true });
    const b = headers(3, get(e, '/b'), { endStream: true });
    const cc = headers(5, get(e, '/c'), { endStream: true });
    const bytes = Buffer.concat([PREFACE_BYTES, a, b, cc]);
    const p = new Http2DirectionParser({ preface: true, fromStart: true });
    const bAt = 24 + a.length;
    const cAt = bAt + b.length;
    // b's frame header lost (captured 4 of its bytes), c starts the next segment.
    p.push({ offset: 0, length: bAt, data: bytes.subarray(0, bAt), ts: 1n });
    p.push({ offset: bAt, length: b.length, data: bytes.subarray(bAt, bAt + 4), ts: 2n });
    p.push({ offset: cAt, length: cc.length, data: bytes.subarray(cAt), ts: 3n });
    const r = converse(p.end(), new Http2DirectionParser({ preface: false, fromStart: true }).end());
    expect(r.clientDiagnostics).toEqual([expect.objectContaining({ code: 'lost-sync', offset: cAt })]);
    // /c's :path is a literal, kept; its :authority refers to the table the lost block changed: unknown, not guessed.
    expect(r.exchanges.map((x) => [x.streamId, x.path, x.authority])).toEqual([
      [1, '/a', 'a'],
      [5, '/c', null],
    ]);
    expect(r.exchanges[1]!.request!.undecodable).toBe(1);
    expect(r.exchanges[1]!.request!.diagnostics).toEqual([expect.objectContaining({ code: 'header-block-undecodable', offset: cAt })]);
  });
});
