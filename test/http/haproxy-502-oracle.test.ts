// The HTTP parser on the seed incident, held against tshark. tshark supplies the TCP payloads of
// every connection (the pcap reader of capscope is tested on its own against tshark elsewhere), the
// parser splits them into messages, and the result must equal tshark's HTTP dissection: the same
// requests and status codes on every connection, and a malformed-header diagnostic on exactly the
// responses where tshark's expert info flags "Illegal characters found in header name".

import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { HttpDirectionParser, type HttpMessage } from '../../parsers/http/message-parser';
import { corpus } from '../helpers/paths';

const PCAP = corpus('pcap', 'haproxy-502.pcap');

function tshark(args: string[]): string[][] {
  const out = execFileSync('tshark', ['-r', PCAP, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map((line) => line.split('\t'));
}

interface Conversation {
  requests: HttpMessage[];
  responses: HttpMessage[];
}

let conversations: Map<number, Conversation>;
let tsharkMessages: Map<number, { requests: string[]; statuses: string[] }>;
let tsharkIllegal: Set<number>;

beforeAll(() => {
  // Loopback, no loss: each direction's payloads in frame order are its byte stream.
  const segments = tshark(['-Y', 'tcp.len>0', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'frame.time_epoch', '-e', 'tcp.payload']);
  const byStream = new Map<number, { client: number | null; dirs: Map<'request' | 'response', { offset: number; segs: { data: Uint8Array; ts: bigint }[] }> }>();
  const syns = tshark(['-Y', 'tcp.flags.syn==1 && tcp.flags.ack==0', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.srcport']);
  const clientPort = new Map(syns.map(([s, p]) => [Number(s), Number(p)]));
  for (const [stream, src, , time, payload] of segments) {
    const id = Number(stream);
    const entry = byStream.get(id) ?? { client: clientPort.get(id) ?? null, dirs: new Map() };
    byStream.set(id, entry);
    const kind = Number(src) === entry.client ? 'request' : 'response';
    const dir = entry.dirs.get(kind) ?? { offset: 0, segs: [] };
    entry.dirs.set(kind, dir);
    const [sec, frac = '0'] = time!.split('.');
    dir.segs.push({ data: Uint8Array.from(Buffer.from(payload!, 'hex')), ts: BigInt(sec!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0')) });
  }
  conversations = new Map();
  for (const [id, entry] of byStream) {
    const conv: Conversation = { requests: [], responses: [] };
    const request = new HttpDirectionParser('request', (m) => conv.requests.push(m));
    let offset = 0;
    for (const s of entry.dirs.get('request')?.segs ?? []) {
      request.push({ offset, length: s.data.length, data: s.data, ts: s.ts });
      offset += s.data.length;
    }
    request.end('closed');
    const methods = conv.requests.map((r) => r.method);
    const response = new HttpDirectionParser('response', (m) => conv.responses.push(m), { nextRequestMethod: () => methods.shift() ?? null });
    offset = 0;
    for (const s of entry.dirs.get('response')?.segs ?? []) {
      response.push({ offset, length: s.data.length, data: s.data, ts: s.ts });
      offset += s.data.length;
    }
    response.end('closed');
    conversations.set(id, conv);
  }

  tsharkMessages = new Map();
  for (const [stream, method, code] of tshark(['-Y', 'http', '-T', 'fields', '-e', 'tcp.stream', '-e', 'http.request.method', '-e', 'http.response.code'])) {
    const id = Number(stream);
    const entry = tsharkMessages.get(id) ?? { requests: [], statuses: [] };
    tsharkMessages.set(id, entry);
    if (method) entry.requests.push(method);
    if (code) entry.statuses.push(code);
  }
  tsharkIllegal = new Set(
    tshark(['-Y', 'http.response', '-T', 'fields', '-e', 'tcp.stream', '-e', '_ws.expert.message'])
      .filter(([, expert]) => expert?.includes('Illegal characters found in header name'))
      .map(([stream]) => Number(stream)),
  );
});

describe('haproxy-502.pcap against tshark', () => {
  it('finds the same requests and status codes on every connection', () => {
    expect(conversations.size).toBe(170);
    for (const [id, conv] of conversations) {
      const expected = tsharkMessages.get(id) ?? { requests: [], statuses: [] };
      expect({ id, requests: conv.requests.map((m) => m.method), statuses: conv.responses.map((m) => String(m.status)) }).toEqual({ id, requests: expected.requests, statuses: expected.statuses });
    }
    const all = [...conversations.values()].flatMap((c) => c.responses.map((r) => r.status));
    expect(all.filter((s) => s === 502)).toHaveLength(49);
  });

  it('diagnoses the invalid field name exactly where tshark flags illegal characters, at byte 21', () => {
    expect(tsharkIllegal.size).toBe(49);
    const ours = new Set<number>();
    for (const [id, conv] of conversations) {
      for (const r of conv.responses) {
        for (const d of r.diagnostics) {
          expect(d).toMatchObject({ code: 'invalid-field-name', offset: r.start + 21, line: 'text/plain: Content-type' });
          ours.add(id);
        }
      }
      for (const q of conv.requests) expect(q.diagnostics).toEqual([]);
    }
    expect([...ours].sort((a, b) => a - b)).toEqual([...tsharkIllegal].sort((a, b) => a - b));
  });

  it('frames every message to its end', () => {
    for (const conv of conversations.values()) {
      for (const m of [...conv.requests, ...conv.responses]) expect(m).toMatchObject({ complete: true, truncated: false });
    }
  });
});
