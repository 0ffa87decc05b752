import { describe, expect, it } from 'vitest';
import { HttpDirectionParser, type DirectionEnd, type HttpMessage, type HttpSegment } from '../../parsers/http/message-parser';
import { guessProtocol } from '../../parsers/http/syntax';

const enc = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** Segments from whole writes; `snaplen` keeps only the first bytes of each, like a scap capture. */
function writes(parts: string[], snaplen = Infinity, startOffset = 0): HttpSegment[] {
  let offset = startOffset;
  return parts.map((p, i) => {
    const bytes = enc(p);
    const seg = { offset, length: bytes.length, data: bytes.subarray(0, Math.min(bytes.length, snaplen)), ts: BigInt(1000 * (i + 1)) };
    offset += bytes.length;
    return seg;
  });
}

function parse(kind: 'request' | 'response', segments: HttpSegment[], end: DirectionEnd = 'closed', methods: string[] = []): HttpMessage[] {
  const out: HttpMessage[] = [];
  const queue = [...methods];
  const parser = new HttpDirectionParser(kind, (m) => out.push(m), { nextRequestMethod: () => queue.shift() ?? null });
  for (const s of segments) parser.push(s);
  parser.end(end);
  return out;
}

const SEED_RESPONSE = 'HTTP/1.1 200 OK\r\ntext/plain: Content-type\r\nContent-Length: 33\r\n\r\n{"ticket":"T-0001","valid":true}\n';

describe('the seed incident', () => {
  it('diagnoses `text/plain: Content-type` at byte 21 of the upstream response', () => {
    const [m, ...rest] = parse('response', writes([SEED_RESPONSE]));
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ status: 200, reason: 'OK', version: 'HTTP/1.1', complete: true, truncated: false, framing: 'content-length', declaredLength: 33, bodyBytes: 33, start: 0, headerEnd: 65, end: 98 });
    expect(m!.diagnostics).toEqual([
      {
        code: 'invalid-field-name',
        severity: 'error',
        offset: 21,
        line: 'text/plain: Content-type',
        message: "the field name 'text/plain' is not a token: it contains '/' at position 5, which a token may not (RFC 9110 §5.1)",
      },
    ]);
  });

  it('still frames the response when a syscall capture kept only 80 of its 98 bytes', () => {
    const [m] = parse('response', writes([SEED_RESPONSE], 80));
    expect(m).toMatchObject({ status: 200, complete: true, truncated: true, capturedBytes: 80, totalBytes: 98, end: 98 });
    expect(m!.diagnostics.map((d) => d.code)).toEqual(['invalid-field-name']);
  });

  it('never reports a problem that lies in bytes that were not captured', () => {
    const segs = writes([SEED_RESPONSE, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'], 20);
    const [first, second] = parse('response', segs);
    expect(first).toMatchObject({ status: 200, complete: false, truncated: true, diagnostics: [] });
    // The next write starts a new response: the parser picks it up there.
    expect(second).toMatchObject({ start: 98, status: 200, complete: false, truncated: true });
  });
});

describe('framing', () => {
  it('splits pipelined keep-alive requests and pairs response framing with HEAD', () => {
    const requests = parse('request', writes(['GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\n\r\n', 'POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd']));
    expect(requests.map((r) => [r.method, r.target, r.bodyBytes, r.complete])).toEqual([
      ['GET', '/a', 0, true],
      ['HEAD', '/b', 0, true],
      ['POST', '/c', 4, true],
    ]);
    const responses = parse(
      'response',
      writes(['HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc', 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n']),
      'closed',
      ['GET', 'HEAD', 'POST'],
    );
    expect(responses.map((r) => [r.status, r.framing, r.bodyBytes, r.complete, r.diagnostics.length])).toEqual([
      [200, 'content-length', 3, true, 0],
      [200, 'none', 0, true, 0],
      [201, 'chunked', 42, true, 0],
    ]);
    expect(responses[2]!.headers.map((h) => h.name)).toEqual(['Transfer-Encoding', 'X-Trailer']);
  });

  it('treats 1xx as interim and 204 / 304 as bodiless', () => {
    const rs = parse('response', writes(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n', 'HTTP/1.1 304 Not Modified\r\n\r\n']), 'closed', ['PUT', 'GET']);
    expect(rs.map((r) => [r.status, r.interim, r.framing])).toEqual([
      [100, true, 'none'],
      [204, false, 'none'],
      [304, false, 'none'],
    ]);
  });

  it('reads a close-delimited body to the end of the connection', () => {
    const [closed] = parse('response', writes(['HTTP/1.0 200 OK\r\n\r\n', 'part one ', 'part two']), 'closed');
    expect(closed).toMatchObject({ framing: 'close', complete: true, bodyBytes: 17 });
    const [cut] = parse('response', writes(['HTTP/1.0 200 OK\r\n\r\n', 'part one ']), 'capture-ended');
    expect(cut).toMatchObject({ framing: 'close', complete: false, diagnostics: [] });
  });

  it('stops at a tunnel (101, CONNECT 2xx)', () => {
    const rs = parse('response', writes(['HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', '\x81\x05hello']));
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ status: 101, framing: 'tunnel', diagnostics: [] });
  });

  it('reports a body shorter than declared only when the connection really closed', () => {
    const segs = writes(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', 'only forty bytes of the hundred promised']);
    const [closed] = parse('response', segs, 'closed');
    expect(closed!.diagnostics).toEqual([expect.objectContaining({ code: 'body-truncated', severity: 'error', message: 'the connection closed 60 bytes before the end of the body (40 of 100 body bytes received)' })]);
    const [ended] = parse('response', segs, 'capture-ended');
    expect(ended).toMatchObject({ complete: false, diagnostics: [] });
  });

  it('blames bytes after a complete response on that response', () => {
    const rs = parse('response', writes(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA BYTES\r\n']));
    expect(rs).toHaveLength(1);
    expect(rs[0]!.diagnostics).toEqual([expect.objectContaining({ code: 'unexpected-bytes', offset: 40, line: 'EXTRA BYTES' })]);
  });

  it('finds the first message of a capture that began in the middle of one, blaming nobody', () => {
    const segs = writes(['the tail of a body that started before the capture', 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'], Infinity, 5000);
    const rs = parse('response', segs);
    expect(rs).toEqual([expect.objectContaining({ status: 404, start: 5050, complete: true, diagnostics: [] })]);
  });

  it('gives the same messages however the bytes are split into segments', () => {
    const text = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nBad Header: x\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
    const whole = parse('response', writes([text]), 'closed', ['GET', 'GET']);
    for (const size of [1, 2, 7, 13]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      const split = parse('response', writes(pieces), 'closed', ['GET', 'GET']);
      expect(split.map(({ startTs, endTs, ...m }) => m)).toEqual(whole.map(({ startTs, endTs, ...m }) => m));
    }
  });

  it('times a message from its first to its last segment', () => {
    const [m] = parse('response', writes(['HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n', 'abc', 'def']));
    expect([m!.startTs, m!.endTs]).toEqual([1000n, 3000n]);
  });
});

describe('diagnostics', () => {
  const response = (headers: string, body = '') => parse('response', writes([`HTTP/1.1 200 OK\r\n${headers}\r\n${body}`]), 'closed', ['GET'])[0]!;
  const codes = (m: HttpMessage) => m.diagnostics.map((d) => [d.code, d.offset, d.line]);

  it.each([
    ['Bad Header: x\r\nContent-Length: 0\r\n', 'invalid-field-name', 20, 'Bad Header: x'],
    ['X-Client@Id: 7\r\nContent-Length: 0\r\n', 'invalid-field-name', 25, 'X-Client@Id: 7'],
    ['Content-Type : text/plain\r\nContent-Length: 0\r\n', 'space-before-colon', 17, 'Content-Type : text/plain'],
    ['NoColonHere\r\nContent-Length: 0\r\n', 'missing-colon', 17, 'NoColonHere'],
    ['X-A: one\r\n  two\r\nContent-Length: 0\r\n', 'obs-fold', 27, '  two'],
    ['X-A: a\x00b\r\nContent-Length: 0\r\n', 'invalid-field-value', 23, 'X-A: a\x00b'],
    ['Content-Length: 1x\r\n', 'invalid-content-length', 17, 'Content-Length: 1x'],
  ])('%j → %s', (headers, code, offset, line) => {
    expect(codes(response(headers))).toContainEqual([code, offset, line]);
  });

  it('flags duplicate and conflicting Content-Length', () => {
    expect(codes(response('Content-Length: 2\r\nContent-Length: 2\r\n', 'ok'))).toEqual([['duplicate-content-length', 36, 'Content-Length: 2']]);
    const conflicting = response('Content-Length: 2\r\nContent-Length: 3\r\n', 'ok');
    expect(conflicting.diagnostics[0]).toMatchObject({ code: 'invalid-content-length', message: 'conflicting Content-Length values: 2, 3' });
    expect(conflicting.framing).toBe('unknown');
  });

  it('flags Content-Length with Transfer-Encoding, and lets chunked win', () => {
    const m = response('Content-Length: 99\r\nTransfer-Encoding: chunked\r\n', '2\r\nok\r\n0\r\n\r\n');
    expect(m.diagnostics.map((d) => d.code)).toEqual(['content-length-with-transfer-encoding']);
    expect(m).toMatchObject({ framing: 'chunked', complete: true, bodyBytes: 12 });
  });

  it('flags bad chunk sizes and missing chunk terminators', () => {
    expect(response('Transfer-Encoding: chunked\r\n', 'zz\r\nok\r\n0\r\n\r\n').diagnostics.map((d) => d.code)).toEqual(['invalid-chunk-size']);
    expect(response('Transfer-Encoding: chunked\r\n', '2\r\nokay\r\n0\r\n\r\n').diagnostics.map((d) => d.code)).toEqual(['missing-chunk-terminator']);
  });

  it('flags bare LF line endings', () => {
    const [m] = parse('request', writes(['GET / HTTP/1.1\nHost: x\n\n']));
    expect(m!.diagnostics.map((d) => [d.code, d.offset])).toEqual([['bare-lf', 0]]);
    expect(m).toMatchObject({ method: 'GET', complete: true });
  });

  it('flags invalid request lines, status lines and status codes', () => {
    expect(parse('request', writes(['GET /a b HTTP/1.1\r\nHost: x\r\n\r\n']))[0]!.diagnostics[0]).toMatchObject({ code: 'invalid-request-line', offset: 0, line: 'GET /a b HTTP/1.1' });
    expect(parse('response', writes(['HTTP/1.1 2000 OK\r\n\r\n']))[0]!.diagnostics[0]).toMatchObject({ code: 'invalid-status-code', line: 'HTTP/1.1 2000 OK' });
    expect(parse('response', writes(['HTTP/1.1 700 Odd\r\n\r\n']))[0]!.diagnostics[0]).toMatchObject({ code: 'invalid-status-code' });
  });

  it('flags an oversized header section', () => {
    const big = `X-Big: ${'a'.repeat(17000)}\r\nContent-Length: 0\r\n`;
    expect(response(big).diagnostics.map((d) => d.code)).toEqual(['header-section-too-large']);
  });
});

describe('guessProtocol', () => {
  it.each([
    [[0x16, 0x03, 0x01, 0x02, 0x00], 'tls'],
    [[...enc('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')], 'http2'],
    [[...enc('GET / HTTP/1.1\r\n')], 'http1-request'],
    [[...enc('OPTIONS * HTTP/1.1\r\n')], 'http1-request'],
    [[...enc('HTTP/1.0 502 Bad Gateway\r\n')], 'http1-response'],
    [[...enc('SSH-2.0-OpenSSH_9.2\r\n')], 'unknown'],
  ])('%j is %s', (bytes, expected) => {
    expect(guessProtocol(Uint8Array.from(bytes as number[]))).toBe(expected);
  });
});
