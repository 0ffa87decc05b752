// Captures written with the test scap writer: what each test feeds to capscope (and to sysdig).

import { RAW_SYSCALL_NAMES } from '../../core/formats/scap/parser/event-table-data';
import { EF, eventInfo, EVENT_TYPE_COUNT } from '../../core/formats/scap/parser/event-table';
import { P, ScapWriter, type EventBlock } from '../helpers/scap-writer';

/** The current (non-legacy) event number of a syscall's enter or exit, below `below`. */
export function evType(name: string, dir: '>' | '<', below = 336): number {
  for (let t = Math.min(below, EVENT_TYPE_COUNT) - 1; t >= 0; t--) {
    const info = eventInfo(t)!;
    if (info.name === name && info.direction === dir && !(info.flags & EF.OLD_VERSION)) return t;
  }
  throw new Error(`no event ${name} ${dir}`);
}

export function syscallId(name: string): number {
  const id = RAW_SYSCALL_NAMES.indexOf(name);
  if (id < 0) throw new Error(`no syscall ${name}`);
  return id;
}

export const HEX_A = 'a1'.repeat(32);
export const HEX_B = 'b2'.repeat(32);
export const POD_UID = '0a1b2c3d-1111-2222-3333-444455556666';
export const REQUEST = 'GET /api/orders HTTP/1.1\r\nHost: backend\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n';
export const RESPONSE = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n${'{"order":1}'.padEnd(200, ' ')}`;
export const SNAPLEN = 80;

/**
 * Two containers talking HTTP over TCP: "proxy" (docker, nginx) connects to "backend" (a
 * kubernetes pod, containerd) which accepts, reads the request and writes a response the capture
 * keeps only the first 80 bytes of; the backend also reads /etc/hosts and makes a pipe. Blocks of
 * every event kind sysdig 0.29 reads (EV V1, EV_V2, EVF, EVF_V2), fd lists V1 and V2, process
 * list V9, container metadata events.
 */
export function httpBetweenContainers(): Buffer {
  const w = new ScapWriter();
  const t0 = 1_700_000_000_000_000_000n;
  let ts = t0;
  const next = () => (ts += 1000n);
  const ev = (name: string, dir: '>' | '<', tid: number, params: Uint8Array[], block: EventBlock = 'EV_V2') =>
    w.event({ type: evType(name, dir), tid, ts: next(), params, block, cpu: tid % 2 });
  w.shb().machineInfo({ hostname: 'node-7' });
  w.procList([
    { tid: 1, comm: 'systemd', exe: '/sbin/init', ptid: 0 },
    { tid: 100, comm: 'nginx', exe: '/usr/sbin/nginx', args: ['-g', 'daemon off;'], cwd: '/', cgroups: [`cpuset=/docker/${HEX_A}`, `memory=/docker/${HEX_A}`] },
    { tid: 101, pid: 100, comm: 'nginx', exe: '/usr/sbin/nginx', cgroups: [`cpuset=/docker/${HEX_A}`] },
    { tid: 200, comm: 'python3', exe: '/usr/bin/python3', args: ['app.py'], cwd: '/srv', cgroups: [`cpuset=/kubepods/besteffort/pod${POD_UID}/${HEX_B}`] },
  ], 9);
  w.fdList(200, [{ fd: 3, kind: 'ipv4-server', ip: '0.0.0.0', port: 80 }, { fd: 1, kind: 'pipe', name: 'pipe:[4026531]' }], 2);
  w.fdList(100, [{ fd: 2, kind: 'file-v1', name: '/var/log/nginx/error.log' }], 1);
  w.ifList([{ name: 'eth0', ip: '10.4.0.31' }]);
  w.userList([{ uid: 0, gid: 0, name: 'root' }]);
  const json = (id: string, name: string, image: string, labels: Record<string, string>) => JSON.stringify({ container: { id, name, image, labels, type: 0, privileged: false } });
  w.event({ type: 324, tid: -1, ts: next(), params: [P.str(json(HEX_A.slice(0, 12), 'proxy', 'nginx:1.25', {}))] });
  w.event({
    type: 324, tid: -1, ts: next(),
    params: [P.str(json(HEX_B.slice(0, 12), 'backend', 'python:3.12', { 'io.kubernetes.pod.name': 'orders-5d8f', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': POD_UID }))],
  });
  // proxy: socket + connect
  ev('socket', '>', 100, [P.u32(2), P.u32(1), P.u32(0)]);
  ev('socket', '<', 100, [P.i64(5)]);
  ev('connect', '>', 100, [P.i64(5), P.sockaddr4('10.4.0.12', 80)]);
  ev('connect', '<', 100, [P.i64(0), P.tuple4('10.4.0.31', 34560, '10.4.0.12', 80)]);
  // backend: accept
  ev('accept', '>', 200, []);
  ev('accept', '<', 200, [P.i64(7), P.tuple4('10.4.0.31', 34560, '10.4.0.12', 80), P.u8(0), P.u32(0), P.u32(128)]);
  // request: proxy writes it whole, backend reads it (an EVF_V2 block, then an EV V1 block)
  ev('write', '>', 100, [P.i64(5), P.u32(REQUEST.length)], 'EVF_V2');
  ev('write', '<', 100, [P.i64(REQUEST.length), P.buf(REQUEST.slice(0, SNAPLEN))], 'EVF_V2');
  ev('read', '>', 200, [P.i64(7), P.u32(4096)], 'EV');
  ev('read', '<', 200, [P.i64(REQUEST.length), P.buf(REQUEST.slice(0, SNAPLEN))], 'EV');
  // backend opens and reads a file
  ev('openat', '>', 200, [P.i64(-100), P.str('etc/hosts'), P.u32(1), P.u32(0)]);
  w.event({ type: evType('chdir', '<'), tid: 200, ts: next(), params: [P.i64(0), P.str('/')] });
  ev('openat', '<', 200, [P.i64(8), P.i64(-100), P.str('/etc/hosts'), P.u32(1), P.u32(0), P.u32(0)]);
  ev('read', '>', 200, [P.i64(8), P.u32(4096)]);
  ev('read', '<', 200, [P.i64(12), P.buf('127.0.0.1 x\n')]);
  ev('close', '>', 200, [P.i64(8)], 'EVF');
  ev('close', '<', 200, [P.i64(0)], 'EVF');
  // response: truncated to the snaplen on both sides
  ev('write', '>', 200, [P.i64(7), P.u32(RESPONSE.length)]);
  ev('write', '<', 200, [P.i64(RESPONSE.length), P.buf(RESPONSE.slice(0, SNAPLEN))]);
  ev('read', '>', 101, [P.i64(5), P.u32(4096)]);
  w.event({ type: evType('switch', '>'), tid: 101, ts: next(), params: [P.i64(0), P.u64(0), P.u64(0), P.u32(0), P.u32(0), P.u32(0)] });
  ev('read', '<', 101, [P.i64(RESPONSE.length), P.buf(RESPONSE.slice(0, SNAPLEN))]);
  // a generic syscall, a pipe, a failed open, and the close of both ends of the connection
  w.event({ type: 0, tid: 200, ts: next(), params: [P.u16(syscallId('getpid')), P.u16(39)] });
  w.event({ type: 1, tid: 200, ts: next(), params: [P.u16(syscallId('getpid'))] });
  ev('pipe', '>', 200, []);
  ev('pipe', '<', 200, [P.i64(0), P.i64(9), P.i64(10), P.u64(4026532)]);
  ev('open', '>', 100, [P.str('/missing'), P.u32(1), P.u32(0)]);
  ev('open', '<', 100, [P.i64(-2), P.str('/missing'), P.u32(1), P.u32(0), P.u32(0)]);
  ev('close', '>', 200, [P.i64(7)]);
  ev('close', '<', 200, [P.i64(0)]);
  ev('close', '>', 100, [P.i64(5)]);
  ev('close', '<', 100, [P.i64(0)]);
  // the host: systemd closes an fd the capture never saw opened
  ev('close', '>', 1, [P.i64(42)]);
  ev('close', '<', 1, [P.i64(-9)]);
  return w.bytes();
}

/**
 * Events sysdig 0.29 cannot read: a generic syscall numbered past its table (rseq, 380), events
 * of numbers it does not know (useradded, dup3 with its current layout), then an event type no libs
 * have, and a clone3 exit with all 21 parameters.
 */
export function newerLibsEvents(): Buffer {
  const w = new ScapWriter();
  let ts = 1_700_000_100_000_000_000n;
  const next = () => (ts += 1000n);
  w.shb().machineInfo({ hostname: 'node-8' });
  w.procList([{ tid: 300, comm: 'app', exe: '/app' }], 9);
  w.event({ type: 0, tid: 300, ts: next(), params: [P.u16(syscallId('rseq')), P.u16(334)] });
  w.event({ type: 1, tid: 300, ts: next(), params: [P.u16(syscallId('rseq'))] });
  w.event({ type: 354, tid: -1, ts: next(), params: [P.u32(1000), P.u32(1000), P.str('alice'), P.str('/home/alice'), P.str('/bin/sh'), P.str('')] });
  w.event({ type: evType('open', '>', 999), tid: 300, ts: next(), params: [P.str('/data'), P.u32(1), P.u32(0)] });
  w.event({ type: evType('open', '<', 999), tid: 300, ts: next(), params: [P.i64(4), P.str('/data'), P.u32(1), P.u32(0), P.u32(0), P.u64(77)] });
  w.event({ type: evType('dup3', '>', 999), tid: 300, ts: next(), params: [P.i64(4)] });
  w.event({ type: evType('dup3', '<', 999), tid: 300, ts: next(), params: [P.i64(6), P.i64(4), P.i64(6), P.u32(0)] });
  w.event({ type: 900, tid: 300, ts: next(), params: [P.u32(1)] });
  w.event({ type: evType('clone3', '>', 999), tid: 300, ts: next(), params: [] });
  w.event({
    type: evType('clone3', '<', 999), tid: 300, ts: next(),
    params: [
      P.i64(301), P.str('/app'), P.list(['--worker']), P.i64(300), P.i64(300), P.i64(1), P.str('/'), P.i64(1024), P.u64(0), P.u64(0), P.u32(0), P.u32(0), P.u32(0),
      P.str('app'), P.list(['cpuset=/']), P.u32(0), P.u32(0), P.u32(0), P.i64(301), P.i64(301), P.u64(0),
    ],
  });
  w.event({ type: evType('read', '>', 999), tid: 301, ts: next(), params: [P.i64(6), P.u32(100)] });
  w.event({ type: evType('read', '<', 999), tid: 301, ts: next(), params: [P.i64(5), P.buf('hello')] });
  return w.bytes();
}
