// A TCP conversation between two processes (socket, bind, listen, connect, accept, write, read,
// close) in which each call is written as an enter/exit pair or as one extended exit, as a test asks.

import { P, ScapWriter } from '../../helpers/scap-writer';
import { writeCall, type Call, type CallForm } from './call-forms';

export const CLIENT = 300;
export const SERVER = 400;
export const REQUEST = 'GET /orders HTTP/1.1\r\nHost: backend\r\n\r\n';
export const RESPONSE = 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n';
const AF_INET = 2;
const SOCK_STREAM = 1;

export function calls(): Call[] {
  const le = true;
  const srvAddr = P.sockaddr4('10.0.0.2', 8080, le);
  const c2s = P.tuple4('10.0.0.1', 40000, '10.0.0.2', 8080, le);
  const s2c = P.tuple4('10.0.0.1', 40000, '10.0.0.2', 8080, le);
  const sock = (tid: number, fd: number): Call => ({
    exit: 'PPME_SOCKET_SOCKET_X', tid,
    enter: [P.u32(AF_INET), P.u32(SOCK_STREAM), P.u32(0)],
    oldExit: [P.i64(fd)],
    appended: [P.u32(AF_INET), P.u32(SOCK_STREAM), P.u32(0), P.u32(0)],
  });
  const io = (exit: 'PPME_SYSCALL_READ_X' | 'PPME_SYSCALL_WRITE_X', tid: number, fd: number, text: string, size = text.length): Call => ({
    exit, tid, enter: [P.i64(fd), P.u32(size)], oldExit: [P.i64(text.length), P.buf(text)], appended: [P.i64(fd), P.u32(size)],
  });
  const close = (tid: number, fd: number): Call => ({ exit: 'PPME_SYSCALL_CLOSE_X', tid, enter: [P.i64(fd)], oldExit: [P.i64(0)], appended: [P.i64(fd)] });
  return [
    sock(SERVER, 3),
    { exit: 'PPME_SOCKET_BIND_X', tid: SERVER, enter: [P.i64(3)], oldExit: [P.i64(0), srvAddr], appended: [P.i64(3)] },
    { exit: 'PPME_SOCKET_LISTEN_X', tid: SERVER, enter: [P.i64(3), P.i32(128)], oldExit: [P.i64(0)], appended: [P.i64(3), P.i32(128)] },
    sock(CLIENT, 5),
    { exit: 'PPME_SOCKET_CONNECT_X', tid: CLIENT, enter: [P.i64(5), srvAddr], oldExit: [P.i64(0), c2s], appended: [P.i64(5), srvAddr] },
    { exit: 'PPME_SOCKET_ACCEPT4_6_X', tid: SERVER, enter: [P.i32(0)], oldExit: [P.i64(4), s2c, P.u8(0), P.u32(0), P.u32(128)], appended: [P.i32(0)] },
    io('PPME_SYSCALL_WRITE_X', CLIENT, 5, REQUEST),
    io('PPME_SYSCALL_READ_X', SERVER, 4, REQUEST, 4096),
    io('PPME_SYSCALL_WRITE_X', SERVER, 4, RESPONSE),
    io('PPME_SYSCALL_READ_X', CLIENT, 5, RESPONSE, 4096),
    close(CLIENT, 5),
    close(SERVER, 4),
  ];
}

export function capture(formOf: (call: Call, i: number) => CallForm): Buffer {
  const w = new ScapWriter();
  w.shb().machineInfo({ hostname: 'node-1' });
  w.procList([
    { tid: CLIENT, comm: 'curl', exe: '/usr/bin/curl' },
    { tid: SERVER, comm: 'backend', exe: '/srv/backend' },
  ], 9);
  let ts = 1_700_000_000_000_000_000n;
  calls().forEach((call, i) => writeCall(w, call, formOf(call, i), (ts += 10_000n)));
  return w.bytes();
}

