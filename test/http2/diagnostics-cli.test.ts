// HTTP/2 diagnostics end to end: a pcap of one h2c connection with a fault in each place the issue
// names, through `capscope http --json`. Each diagnostic's offset is held against the bytes that
// were sent: at that offset of its direction lies the frame (type and stream) it is about.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { data, F, frame, grpcMessage, headers, HpackEncoder, PREFACE_BYTES, rstStream, settings } from '../helpers/http2-writer';
import { tcpConversationPcap, type Payload } from '../pcap/helpers/conversation';

interface Diagnostic {
  code: string;
  severity: string;
  side: 'request' | 'response';
  offset: number;
  line: string;
  message: string;
}
interface Exchange {
  http2Stream: number | null;
  target: string | null;
  diagnostics: Diagnostic[];
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2-diag-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('HTTP/2 diagnostics through capscope http --json', () => {
  it('each at the offset of the frame it is about, in the direction it travelled', () => {
    const req = new HpackEncoder();
    const resp = new HpackEncoder();
    const call = (p: string) => req.encode([[':method', 'POST'], [':scheme', 'http'], [':path', p], [':authority', 'svc:50051'], ['content-type', 'application/grpc']]);
    const ok = () => resp.encode([[':status', '200'], ['content-type', 'application/grpc']]);
    const client: Buffer[] = [
      PREFACE_BYTES,
      settings(),
      // 1: DATA after END_STREAM.
      headers(1, call('/pkg.Svc/Late'), { endStream: false }),
      data(1, grpcMessage(Buffer.from('hi')), true),
      data(1, Buffer.from('late')),
      // 3: a request without :path.
      headers(3, req.encode([[':method', 'POST'], [':scheme', 'http'], [':authority', 'svc:50051']]), { endStream: true }),
      // 5: a RST_STREAM of 5 octets (it has 4).
      headers(5, call('/pkg.Svc/Reset'), { endStream: true }),
      frame(F.RST_STREAM, 0, 5, [0, 0, 0, 8, 0]),
      // 7: a HEADERS again on a stream the client already ended.
      headers(7, call('/pkg.Svc/Twice'), { endStream: true }),
      headers(7, call('/pkg.Svc/Twice'), { endStream: true }),
    ];
    const server: Buffer[] = [
      settings(),
      // 1: a gRPC message declaring 100 octets that the stream ends 90 short of.
      headers(1, ok()),
      data(1, Buffer.concat([Buffer.from([0, 0, 0, 0, 100]), Buffer.alloc(10, 0x61)])),
      headers(1, resp.encode([['grpc-status', '0']]), { endStream: true }),
      rstStream(3, 1),
      // 7: an index past the dynamic table (HPACK).
      headers(7, Uint8Array.from([0xff, 0x7f])),
    ];
    const payloads: Payload[] = [
      { from: 'client', data: Buffer.concat(client) },
      { from: 'server', data: Buffer.concat(server) },
    ];
    const file = path.join(dir, 'faults.pcap');
    fs.writeFileSync(file, tcpConversationPcap(payloads));
    const result = capscope(['http', file, '--json', '--db', path.join(dir, 'faults.db')]);
    expect(result.status, result.stderr).toBe(0);
    const exchanges = (onlyJson(result) as { exchanges: Exchange[] }).exchanges;
    const bytes = { request: Buffer.concat(client), response: Buffer.concat(server) };
    const found = exchanges.flatMap((e) => e.diagnostics.map((d) => ({ ...d, h2: e.http2Stream })));
    const at = (side: 'request' | 'response', stream: number, type: number, nth = 0) => {
      const b = bytes[side];
      let p = side === 'request' ? PREFACE_BYTES.length : 0;
      let seen = 0;
      while (p < b.length) {
        const length = b.readUIntBE(p, 3);
        if (b[p + 3] === type && (b.readUInt32BE(p + 5) & 0x7fffffff) === stream && seen++ === nth) return p;
        p += 9 + length;
      }
      throw new Error(`no frame ${type} on stream ${stream}`);
    };
    const codes = found.map((d) => `${d.h2} ${d.side} ${d.code} @${d.offset}`).sort();
    expect(codes).toEqual(
      [
        `1 request data-after-end-stream @${at('request', 1, F.DATA, 1)}`,
        `1 response grpc-message-longer-than-frames @${at('response', 1, F.DATA) + 9}`,
        `3 request invalid-pseudo-header @${at('request', 3, F.HEADERS)}`,
        `5 request frame-size-error @${at('request', 5, F.RST_STREAM)}`,
        `7 request headers-on-closed-stream @${at('request', 7, F.HEADERS, 1)}`,
        `7 response hpack-error @${at('response', 7, F.HEADERS)}`,
      ].sort(),
    );
    // A DATA frame after END_STREAM is diagnosed, not read as gRPC message bytes.
    expect(exchanges.find((e) => e.http2Stream === 1)!.diagnostics.filter((d) => d.side === 'request').map((d) => d.code)).toEqual(['data-after-end-stream']);
    // One line each, naming what was expected (the HPACK error names the octet of its block).
    for (const d of found) expect(d.message).not.toContain('\n');
    expect(found.find((d) => d.code === 'grpc-message-longer-than-frames')!.message).toBe('a gRPC message of stream 1 declares 100 octets, but the stream ended 90 octets short of it');
    expect(found.find((d) => d.code === 'hpack-error')!.message).toMatch(/index 254 is past the end of the table .* at octet 0 of the block/);
    expect(found.find((d) => d.code === 'frame-size-error')!.message).toMatch(/^a RST_STREAM frame of 5 octets: /);
  });
});
