// The seed incident as a syscall capture sees it (written with the test scap writer, read back by
// sysdig elsewhere): curl → haproxy in container edge-lb → python in container ticket-server, the
// backend's response carrying `text/plain: Content-type`, every I/O cut to kubectl capture's default
// snaplen of 80 bytes. capscope must name the containers and processes, stitch the proxy↔backend
// connection seen from both ends into one exchange, and explain the 502.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { P, ScapWriter } from '../helpers/scap-writer';
import { capscopeAsync, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { evType } from '../scap/scenarios';

const EDGE = 'e1'.repeat(32);
const TICKETS = 'f2'.repeat(32);
const SNAPLEN = 80;
const REQUEST = 'GET /getticket HTTP/1.1\r\nHost: tickets.example\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n';
const UPSTREAM_REQUEST = 'GET /getticket HTTP/1.1\r\nhost: tickets.example\r\nuser-agent: curl/7.88.1\r\naccept: */*\r\n\r\n';
const BAD_RESPONSE = 'HTTP/1.1 200 OK\r\ntext/plain: Content-type\r\nContent-Length: 33\r\n\r\n{"ticket":"T-0001","valid":true}\n';
const BAD_GATEWAY = 'HTTP/1.1 502 Bad Gateway\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n';

function incident(): Buffer {
  const w = new ScapWriter();
  let ts = 1_795_330_316_000_000_000n;
  const ev = (name: string, dir: '>' | '<', tid: number, params: Uint8Array[]) => w.event({ type: evType(name, dir), tid, ts: (ts += 1000n), params, block: 'EV_V2', cpu: tid % 2 });
  const io = (name: 'read' | 'write', tid: number, fd: number, text: string) => {
    ev(name, '>', tid, [P.i64(fd), P.u32(name === 'read' ? 65536 : text.length)]);
    ev(name, '<', tid, [P.i64(text.length), P.buf(text.slice(0, SNAPLEN))]);
  };
  const json = (id: string, name: string, image: string) => JSON.stringify({ container: { id, name, image, labels: {}, type: 0, privileged: false } });
  w.shb().machineInfo({ hostname: 'node-3' });
  w.procList(
    [
      { tid: 1, comm: 'systemd', exe: '/sbin/init', ptid: 0 },
      { tid: 300, comm: 'curl', exe: '/usr/bin/curl', args: ['-s', 'http://10.4.0.31/getticket'], cwd: '/root' },
      { tid: 100, comm: 'haproxy', exe: '/usr/sbin/haproxy', args: ['-f', '/etc/haproxy/haproxy.cfg'], cwd: '/', cgroups: [`cpuset=/docker/${EDGE}`] },
      { tid: 200, comm: 'python', exe: '/usr/bin/python3', args: ['ticket_server.py'], cwd: '/srv', cgroups: [`cpuset=/docker/${TICKETS}`] },
    ],
    9,
  );
  w.fdList(100, [{ fd: 4, kind: 'ipv4-server', ip: '0.0.0.0', port: 80 }], 2);
  w.fdList(200, [{ fd: 3, kind: 'ipv4-server', ip: '0.0.0.0', port: 80 }], 2);
  w.event({ type: 324, tid: -1, ts: (ts += 1000n), params: [P.str(json(EDGE.slice(0, 12), 'edge-lb', 'haproxy:2.6'))] });
  w.event({ type: 324, tid: -1, ts: (ts += 1000n), params: [P.str(json(TICKETS.slice(0, 12), 'ticket-server', 'python:3.11'))] });

  const client = P.tuple4('10.4.0.50', 51000, '10.4.0.31', 80);
  const upstream = P.tuple4('10.4.0.31', 34560, '10.4.0.12', 80);
  ev('socket', '>', 300, [P.u32(2), P.u32(1), P.u32(0)]);
  ev('socket', '<', 300, [P.i64(3)]);
  ev('connect', '>', 300, [P.i64(3), P.sockaddr4('10.4.0.31', 80)]);
  ev('connect', '<', 300, [P.i64(0), client]);
  ev('accept', '>', 100, []);
  ev('accept', '<', 100, [P.i64(6), client, P.u8(0), P.u32(0), P.u32(128)]);
  io('write', 300, 3, REQUEST);
  io('read', 100, 6, REQUEST);
  ev('socket', '>', 100, [P.u32(2), P.u32(1), P.u32(0)]);
  ev('socket', '<', 100, [P.i64(7)]);
  ev('connect', '>', 100, [P.i64(7), P.sockaddr4('10.4.0.12', 80)]);
  ev('connect', '<', 100, [P.i64(0), upstream]);
  ev('accept', '>', 200, []);
  ev('accept', '<', 200, [P.i64(5), upstream, P.u8(0), P.u32(0), P.u32(128)]);
  io('write', 100, 7, UPSTREAM_REQUEST);
  io('read', 200, 5, UPSTREAM_REQUEST);
  io('write', 200, 5, BAD_RESPONSE);
  ev('close', '>', 200, [P.i64(5)]);
  ev('close', '<', 200, [P.i64(0)]);
  io('read', 100, 7, BAD_RESPONSE);
  ev('close', '>', 100, [P.i64(7)]);
  ev('close', '<', 100, [P.i64(0)]);
  io('write', 100, 6, BAD_GATEWAY);
  io('read', 300, 3, BAD_GATEWAY);
  ev('close', '>', 100, [P.i64(6)]);
  ev('close', '<', 100, [P.i64(0)]);
  ev('close', '>', 300, [P.i64(3)]);
  ev('close', '<', 300, [P.i64(0)]);
  return w.bytes();
}

interface Finding {
  kind: string;
  cause: string;
  explanation: string;
  evidence: { stream: number; offset: number; excerpt: string }[];
}
interface Exchange {
  client: string;
  server: string;
  status: number;
  container: { id: string; name: string | null } | null;
  proc: string | null;
  truncated: boolean;
  diagnostics: { code: string; offset: number; line: string }[];
}

describe('the seed incident in a syscall capture, snaplen 80', () => {
  let findings: Finding[];
  let exchanges: Exchange[];
  let file: string;

  beforeAll(async () => {
    const dir = scratchDir('scap-incident');
    file = path.join(dir, 'edge-lb-502.scap');
    fs.writeFileSync(file, incident());
    const env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
    const http = await capscopeAsync(['http', '--json', file], env);
    const found = await capscopeAsync(['findings', '--json', file], env);
    expect(http.status, http.stderr).toBe(0);
    expect(found.status, found.stderr).toBe(0);
    exchanges = (onlyJson(http) as { exchanges: Exchange[] }).exchanges;
    findings = (onlyJson(found) as { findings: Finding[] }).findings;
  });

  it('is a capture sysdig reads as the same story', () => {
    const sysdig = spawnSync('sysdig', ['-r', file, '-p', '%container.name %proc.name %evt.type %fd.name %evt.rawres', 'evt.dir=< and evt.type in (read, write)'], { encoding: 'utf8', timeout: 30_000 });
    expect(sysdig.status, sysdig.stderr).toBe(0);
    const lines = sysdig.stdout.trim().split('\n');
    expect(lines).toContain(`ticket-server python write 10.4.0.31:34560->10.4.0.12:80 ${BAD_RESPONSE.length}`);
    expect(lines).toContain(`edge-lb haproxy write 10.4.0.50:51000->10.4.0.31:80 ${BAD_GATEWAY.length}`);
  });

  it('sees two exchanges, each connection once although both of its ends were captured', () => {
    expect(exchanges.map((e) => [e.client, e.server, e.status, e.container?.name, e.proc])).toEqual([
      ['10.4.0.50:51000', '10.4.0.31:80', 502, 'edge-lb', 'haproxy'],
      ['10.4.0.31:34560', '10.4.0.12:80', 200, 'ticket-server', 'python'],
    ]);
    expect(exchanges.every((e) => e.truncated)).toBe(true);
  });

  it('diagnoses the header inside the 80 captured bytes, and nothing in the bytes that were cut', () => {
    expect(exchanges[0]!.diagnostics).toEqual([]);
    expect(exchanges[1]!.diagnostics).toEqual([expect.objectContaining({ code: 'invalid-field-name', offset: 21, line: 'text/plain: Content-type' })]);
  });

  it('explains the 502 with the containers and processes involved', () => {
    const proxyErrors = findings.filter((f) => f.kind === 'proxy-error');
    expect(proxyErrors).toHaveLength(1);
    const [f] = proxyErrors;
    expect(f!.cause).toBe('malformed-upstream-response');
    expect(f!.explanation).toBe(
      "haproxy (container edge-lb, 10.4.0.31:80) answered 502 Bad Gateway to 10.4.0.50:51000 for GET /getticket because its upstream, python (container ticket-server, 10.4.0.12:80), sent the header line `text/plain: Content-type` — the field name 'text/plain' is not a token: it contains '/' at position 5, which a token may not (RFC 9110 §5.1) — at byte 21 of its response. HAProxy logs this as termination state PH--.",
    );
    expect(f!.evidence[0]).toMatchObject({ offset: 21, excerpt: 'text/plain: Content-type' });
  });
});
