// The seed incident as a syscall capture, for the report's container and process sections: curl on
// the host → haproxy in container edge-lb → python in container ticket-server, whose /getticket
// responses carry the invalid header line `text/plain: Content-type` (so haproxy answers 502),
// while /health is fine. python also fails to open a file (ENOENT) and haproxy's first connect to
// a second backend is refused (ECONNREFUSED). I/O is cut to kubectl capture's 80-byte snaplen.
// Written with the test scap writer, which sysdig reads back (test/scap).

import { P, ScapWriter } from '../../helpers/scap-writer';
import { evType } from '../../scap/scenarios';

export const EDGE = 'e1'.repeat(32);
export const TICKETS = 'f2'.repeat(32);
export const START_NS = 1_795_330_316_000_000_000n;
const SNAPLEN = 80;

const request = (path: string, lower: boolean) =>
  lower
    ? `GET ${path} HTTP/1.1\r\nhost: tickets.example\r\nuser-agent: curl/7.88.1\r\naccept: */*\r\n\r\n`
    : `GET ${path} HTTP/1.1\r\nHost: tickets.example\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`;
const BAD_RESPONSE = 'HTTP/1.1 200 OK\r\ntext/plain: Content-type\r\nContent-Length: 33\r\n\r\n{"ticket":"T-0001","valid":true}\n';
const GOOD_RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n';
const BAD_GATEWAY = 'HTTP/1.1 502 Bad Gateway\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n';
const PROXIED_OK = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\n\r\nok\n';

export function scapIncident(): Buffer {
  const w = new ScapWriter();
  let ts = START_NS;
  const ev = (name: string, dir: '>' | '<', tid: number, params: Uint8Array[], step = 1_000_000n) => w.event({ type: evType(name, dir), tid, ts: (ts += step), params, block: 'EV_V2', cpu: tid % 2 });
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
      { tid: 200, comm: 'python', exe: '/usr/bin/python3', args: ['ticket_server.py', '--db-password=hunter2'], cwd: '/srv', cgroups: [`cpuset=/docker/${TICKETS}`] },
    ],
    9,
  );
  w.fdList(100, [{ fd: 4, kind: 'ipv4-server', ip: '0.0.0.0', port: 80 }], 2);
  w.fdList(200, [{ fd: 3, kind: 'ipv4-server', ip: '0.0.0.0', port: 80 }], 2);
  w.event({ type: 324, tid: -1, ts: (ts += 1000n), params: [P.str(json(EDGE.slice(0, 12), 'edge-lb', 'haproxy:2.6'))] });
  w.event({ type: 324, tid: -1, ts: (ts += 1000n), params: [P.str(json(TICKETS.slice(0, 12), 'ticket-server', 'python:3.11'))] });

  // A second backend that refuses haproxy's connection.
  ev('socket', '>', 100, [P.u32(2), P.u32(1), P.u32(0)]);
  ev('socket', '<', 100, [P.i64(9)]);
  ev('connect', '>', 100, [P.i64(9), P.sockaddr4('10.4.0.13', 80)]);
  ev('connect', '<', 100, [P.i64(-111), P.tuple4('10.4.0.31', 34000, '10.4.0.13', 80)]);
  ev('close', '>', 100, [P.i64(9)]);
  ev('close', '<', 100, [P.i64(0)]);
  ev('open', '>', 200, [P.str('/srv/tickets.db'), P.u32(1), P.u32(0)]);
  ev('open', '<', 200, [P.i64(-2), P.str('/srv/tickets.db'), P.u32(1), P.u32(0), P.u32(0)]);

  const exchange = (i: number, path: string, upstreamResponse: string, clientResponse: string) => {
    const clientPort = 51000 + i;
    const upstreamPort = 34560 + i;
    const client = P.tuple4('10.4.0.50', clientPort, '10.4.0.31', 80);
    const upstream = P.tuple4('10.4.0.31', upstreamPort, '10.4.0.12', 80);
    ev('socket', '>', 300, [P.u32(2), P.u32(1), P.u32(0)], 100_000_000n);
    ev('socket', '<', 300, [P.i64(3)]);
    ev('connect', '>', 300, [P.i64(3), P.sockaddr4('10.4.0.31', 80)]);
    ev('connect', '<', 300, [P.i64(0), client]);
    ev('accept', '>', 100, []);
    ev('accept', '<', 100, [P.i64(6), client, P.u8(0), P.u32(0), P.u32(128)]);
    io('write', 300, 3, request(path, false));
    io('read', 100, 6, request(path, false));
    ev('socket', '>', 100, [P.u32(2), P.u32(1), P.u32(0)]);
    ev('socket', '<', 100, [P.i64(7)]);
    ev('connect', '>', 100, [P.i64(7), P.sockaddr4('10.4.0.12', 80)]);
    ev('connect', '<', 100, [P.i64(0), upstream]);
    ev('accept', '>', 200, []);
    ev('accept', '<', 200, [P.i64(5), upstream, P.u8(0), P.u32(0), P.u32(128)]);
    io('write', 100, 7, request(path, true));
    io('read', 200, 5, request(path, true));
    io('write', 200, 5, upstreamResponse);
    ev('close', '>', 200, [P.i64(5)]);
    ev('close', '<', 200, [P.i64(0)]);
    io('read', 100, 7, upstreamResponse);
    ev('close', '>', 100, [P.i64(7)]);
    ev('close', '<', 100, [P.i64(0)]);
    io('write', 100, 6, clientResponse);
    io('read', 300, 3, clientResponse);
    ev('close', '>', 100, [P.i64(6)]);
    ev('close', '<', 100, [P.i64(0)]);
    ev('close', '>', 300, [P.i64(3)]);
    ev('close', '<', 300, [P.i64(0)]);
  };
  exchange(0, '/getticket', BAD_RESPONSE, BAD_GATEWAY);
  exchange(1, '/health', GOOD_RESPONSE, PROXIED_OK);
  exchange(2, '/getticket', BAD_RESPONSE, BAD_GATEWAY);
  return w.bytes();
}
