// File descriptors as libsinsp keeps them: a type, the name sysdig prints for it
// ("10.4.0.31:34560->10.4.0.12:80", "/etc/hosts", "pipe:[4026531]"), and for sockets their
// addresses, so that each fd's I/O can become a stream with its connection tuple.

import { SCAP_FD, type ScapFd } from './state-blocks';
import { ipv4, ipv6 } from './params';

export type FdType =
  | 'file' | 'directory' | 'ipv4' | 'ipv6' | 'ipv4-server' | 'ipv6-server' | 'unix' | 'pipe' | 'event' | 'signalfd' | 'eventpoll'
  | 'inotify' | 'timerfd' | 'netlink' | 'bpf' | 'userfaultfd' | 'io_uring' | 'memfd' | 'pidfd' | 'unsupported' | 'unknown';

export interface FdInfo {
  fd: number;
  type: FdType;
  name: string;
  /** 'tcp' | 'udp' | 'icmp' | 'raw' for sockets. */
  l4proto: string | null;
  /** For connected sockets: this endpoint's view, source = local side when known. */
  sip?: string;
  sport?: number;
  dip?: string;
  dport?: number;
  /** 'client' after connect, 'server' after accept. */
  role: 'client' | 'server' | null;
  /** Stream bookkeeping of the ingest (one stream per fd lifetime per process). */
  streamId?: number;
  /** Set once the fd's row is in the index. */
  written?: boolean;
  /** info-record.ts' "<f>/etc/hosts" of the fd, kept while its type and name stay. */
  note?: FdNote | null;
}

/** An fd's "<type>name" as UTF-8 (info-record.ts), with the type, protocol and name it was made from. */
export interface FdNote {
  name: string;
  type: FdType;
  l4proto: string | null;
  bytes: Uint8Array;
}

/**
 * A new fd, every field of FdInfo present from the start (absent ones undefined), in one order.
 * Fds made as literals of different fields, and given the stream, index and info fields as they
 * went, took a dozen shapes: each event's reads of an fd's name and type were megamorphic lookups
 * on the ingest's thread (issue 20). Make every FdInfo of the ingest here.
 */
export function newFd(
  fd: number, type: FdType, name: string, l4proto: string | null, role: 'client' | 'server' | null = null,
  sip?: string, sport?: number, dip?: string, dport?: number,
): FdInfo {
  return { fd, type, name, l4proto, sip, sport, dip, dport, role, streamId: undefined, written: false, note: null };
}

/** The one-letter type sysdig shows in "<f>", "<4t>", "<u>". */
export function fdTypeChar(f: FdInfo): string {
  switch (f.type) {
    case 'file': return 'f';
    case 'directory': return 'd';
    case 'ipv4': case 'ipv4-server': return `4${l4char(f.l4proto)}`;
    case 'ipv6': case 'ipv6-server': return `6${l4char(f.l4proto)}`;
    case 'unix': return 'u';
    case 'pipe': return 'p';
    case 'event': return 'e';
    case 'signalfd': return 's';
    case 'eventpoll': return 'l';
    case 'inotify': return 'i';
    case 'timerfd': return 't';
    case 'netlink': return 'n';
    case 'bpf': return 'b';
    case 'userfaultfd': return 'u';
    case 'io_uring': return 'r';
    case 'memfd': return 'm';
    case 'pidfd': return 'P';
    default: return 'o';
  }
}

function l4char(p: string | null): string {
  return p === 'tcp' ? 't' : p === 'udp' ? 'u' : p === 'icmp' ? 'i' : p === 'raw' ? 'r' : '';
}

const L4 = ['unknown', null, 'tcp', 'udp', 'icmp', 'raw'] as const;
export function l4Name(code: number): string | null {
  return (L4[code] as string | null | undefined) ?? null;
}

/** "addr:port->addr:port" as sysdig names a connected socket. */
export function tupleName(sip: string, sport: number, dip: string, dport: number): string {
  return `${sip}:${sport}->${dip}:${dport}`;
}

const SIMPLE: Record<number, FdType> = {
  [SCAP_FD.FILE]: 'file', [SCAP_FD.FILE_V2]: 'file', [SCAP_FD.DIRECTORY]: 'directory', [SCAP_FD.FIFO]: 'pipe', [SCAP_FD.EVENT]: 'event',
  [SCAP_FD.SIGNALFD]: 'signalfd', [SCAP_FD.EVENTPOLL]: 'eventpoll', [SCAP_FD.INOTIFY]: 'inotify', [SCAP_FD.TIMERFD]: 'timerfd',
  [SCAP_FD.NETLINK]: 'netlink', [SCAP_FD.BPF]: 'bpf', [SCAP_FD.USERFAULTFD]: 'userfaultfd', [SCAP_FD.IOURING]: 'io_uring',
  [SCAP_FD.MEMFD]: 'memfd', [SCAP_FD.PIDFD]: 'pidfd', [SCAP_FD.UNSUPPORTED]: 'unsupported', [SCAP_FD.UNKNOWN]: 'unknown',
};

/** An fd from an fd-list block. */
export function fdFromList(e: ScapFd): FdInfo {
  if (e.type === SCAP_FD.IPV4_SOCK || e.type === SCAP_FD.IPV6_SOCK) {
    const s = e as Extract<ScapFd, { sip: Uint8Array }>;
    const v4 = e.type === SCAP_FD.IPV4_SOCK;
    const sip = v4 ? ipv4(s.sip) : ipv6(s.sip);
    const dip = v4 ? ipv4(s.dip) : ipv6(s.dip);
    return newFd(e.fd, v4 ? 'ipv4' : 'ipv6', tupleName(sip, s.sport, dip, s.dport), l4Name(s.l4proto), null, sip, s.sport, dip, s.dport);
  }
  if (e.type === SCAP_FD.IPV4_SERVSOCK || e.type === SCAP_FD.IPV6_SERVSOCK) {
    const s = e as Extract<ScapFd, { ip: Uint8Array }>;
    const v4 = e.type === SCAP_FD.IPV4_SERVSOCK;
    const ip = v4 ? ipv4(s.ip) : ipv6(s.ip);
    return newFd(e.fd, v4 ? 'ipv4-server' : 'ipv6-server', `${ip}:${s.port}`, l4Name(s.l4proto), 'server', ip, s.port);
  }
  const named = e as { name: string };
  return newFd(e.fd, e.type === SCAP_FD.UNIX_SOCK ? 'unix' : (SIMPLE[e.type] ?? 'unsupported'), named.name, null);
}
