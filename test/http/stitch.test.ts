// One connection seen from both ends, as a syscall capture of a proxy and its backend sees it: the
// proxy's read of the response cut by the snaplen, the backend's write of it whole. Stitched, each
// message comes from the view that captured most of it.

import { describe, expect, it } from 'vitest';
import { groupViews, pairView, stitch } from '../../core/analysis/http/exchanges';
import type { ParsedView, StreamView } from '../../core/analysis/http/views';
import { HttpDirectionParser, type HttpMessage } from '../../parsers/http/message-parser';

const REQUEST = 'GET /getticket HTTP/1.1\r\nhost: ticket-server\r\n\r\n';
const RESPONSE = 'HTTP/1.1 200 OK\r\nServer: BaseHTTP/0.6 Python/3.11.2\r\nDate: Sun, 22 Nov 2026 06:51:56 GMT\r\ntext/plain: Content-type\r\nContent-Length: 33\r\n\r\n{"ticket":"T-0001","valid":true}\n';

function messages(kind: 'request' | 'response', text: string, snaplen: number, ts: bigint): HttpMessage[] {
  const out: HttpMessage[] = [];
  const bytes = Buffer.from(text, 'latin1');
  const parser = new HttpDirectionParser(kind, (m) => out.push(m), { nextRequestMethod: () => 'GET' });
  parser.push({ offset: 0, length: bytes.length, data: bytes.subarray(0, snaplen), ts });
  parser.end('closed');
  return out;
}

function view(id: number, role: 'client' | 'server', proc: string, snaplen: number): ParsedView {
  const v: StreamView = {
    id,
    kind: 'tcp',
    clientAddr: '10.4.0.31',
    clientPort: 34560,
    serverAddr: '10.4.0.12',
    serverPort: 80,
    role,
    containerId: role === 'server' ? 'c0ffee000001' : 'edge00000001',
    proc,
    pid: role === 'server' ? 7 : 3,
    firstTs: 1000n,
    lastTs: 9000n,
    state: 'closed',
  };
  // The client reads responses (in) and writes requests (out); the server the other way round.
  return { view: v, protocol: 'http1', requestDir: role === 'client' ? 'out' : 'in', requests: messages('request', REQUEST, snaplen, 2000n + BigInt(id)), responses: messages('response', RESPONSE, snaplen, 3000n + BigInt(id)) };
}

describe('stitching the views of one connection', () => {
  it('groups views with the same endpoints that overlap in time, and not reused ports', () => {
    const a = view(1, 'client', 'haproxy', 80).view;
    const b = view(2, 'server', 'python', 256).view;
    const later = { ...view(3, 'client', 'haproxy', 80).view, firstTs: 50_000n, lastTs: 60_000n };
    expect(groupViews([a, b, later]).map((g) => g.map((v) => v.id))).toEqual([[1, 2], [3]]);
  });

  it("takes the response from the backend's whole write, with the diagnostic the proxy's cut read missed", () => {
    const proxy = view(1, 'client', 'haproxy', 80);
    const backend = view(2, 'server', 'python', 256);
    // Alone, the proxy's view cannot see the bad header: it lies beyond its 80 captured bytes.
    expect(proxy.responses[0]!.diagnostics).toEqual([]);
    expect(proxy.responses[0]!.truncated).toBe(true);
    const [exchange, ...rest] = stitch([pairView(proxy), pairView(backend)]);
    expect(rest).toEqual([]);
    expect(exchange!.views).toBe(2);
    expect(exchange!.response!.view.view.proc).toBe('python');
    expect(exchange!.response!.message).toMatchObject({ status: 200, truncated: false, complete: true });
    expect(exchange!.response!.message.diagnostics).toEqual([expect.objectContaining({ code: 'invalid-field-name', offset: 94, line: 'text/plain: Content-type' })]);
    expect(exchange!.request!.message).toMatchObject({ method: 'GET', target: '/getticket', complete: true });
  });
});
