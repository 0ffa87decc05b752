// SQL functions the compiled filters call, for values the index keeps in one column but sysdig
// splits into several fields (fd.sip, fd.cport, ... all come from fd.name and fd_flags). Every
// connection that runs a compiled filter installs them (CaseIndex.open, openIndexForReading).

import type Database from 'better-sqlite3';
import { errnoName } from '../../common/errno';
import { decodeFdFlags } from '../formats/scap/parser/fd-flags';

export function installFilterFunctions(db: Database.Database): void {
  db.function('capscope_errno', { deterministic: true }, (res: unknown) => (typeof res === 'number' || typeof res === 'bigint' ? (errnoName(Number(res)) ?? null) : null));
  db.function('capscope_fd', { deterministic: true }, (name: unknown, flags: unknown, part: unknown) =>
    fdPart(typeof name === 'string' ? name : null, typeof flags === 'number' || typeof flags === 'bigint' ? Number(flags) : null, String(part)),
  );
  db.function('capscope_endpoint', { deterministic: true }, (value: unknown, part: unknown) => {
    if (typeof value !== 'string') return null;
    const ep = splitEndpoint(value);
    if (!ep) return null;
    return part === 'port' ? ep.port : ep.addr;
  });
}

const TYPE_CHARS: Readonly<Record<string, string>> = {
  file: 'f', directory: 'd', ipv4: '4', 'ipv4-server': '4', ipv6: '6', 'ipv6-server': '6', unix: 'u', pipe: 'p', event: 'e',
  signalfd: 's', eventpoll: 'l', inotify: 'i', timerfd: 't', netlink: 'n', bpf: 'b', userfaultfd: 'u', io_uring: 'r', memfd: 'm',
  pidfd: 'P',
};

/** "10.0.0.1:80" or "2001:db8::3:1234": the port is after the last colon. */
export function splitEndpoint(text: string): { addr: string; port: number } | null {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return null;
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port)) return null;
  return { addr: text.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}

/** One of the fd.* fields sysdig derives from the fd, given what the index keeps of it. */
export function fdPart(name: string | null, flags: number | null, part: string): string | number | null {
  const fd = flags === null ? null : decodeFdFlags(flags);
  const type = fd?.type ?? null;
  const socket = type === 'ipv4' || type === 'ipv6' || type === 'ipv4-server' || type === 'ipv6-server';
  switch (part) {
    case 'type':
      return type === null || type === 'unknown' ? null : type.replace('-server', '');
    case 'typechar':
      return type === null ? null : (TYPE_CHARS[type] ?? 'o');
    case 'l4proto':
      // libsinsp learns the protocol with the addresses (connect, accept, bind, sendto...).
      return socket && name ? fd!.l4proto : null;
    case 'sockfamily':
      return socket ? 'ip' : type === 'unix' ? 'unix' : null;
    case 'is_server':
      return type === null || type === 'unknown' ? null : fd!.role === 'server' ? 1 : 0;
    case 'directory':
    case 'filename':
      return pathPart(name, type, part);
  }
  if (!socket || name === null) return null;
  const arrow = name.indexOf('->');
  const client = arrow < 0 ? null : splitEndpoint(name.slice(0, arrow));
  const server = splitEndpoint(arrow < 0 ? name : name.slice(arrow + 2));
  const serverSide = fd!.role === 'server';
  const local = serverSide ? server : client;
  const remote = serverSide ? client : server;
  switch (part) {
    case 'sip': return server?.addr ?? null;
    case 'sport': return server?.port ?? null;
    case 'cip': return client?.addr ?? null;
    case 'cport': return client?.port ?? null;
    case 'lip': return local?.addr ?? null;
    case 'lport': return local?.port ?? null;
    case 'rip': return remote?.addr ?? null;
    case 'rport': return remote?.port ?? null;
  }
  return null;
}

function pathPart(name: string | null, type: string | null, part: 'directory' | 'filename'): string | null {
  if (name === null || !name.startsWith('/')) return null;
  if (type === 'directory') return part === 'directory' ? name : null;
  // A creation that failed keeps the path it named (fd.name) but had no fd: sysdig still gives
  // its directory, not its file name.
  if (type !== 'file' && !(type === null && part === 'directory')) return null;
  const slash = name.lastIndexOf('/');
  if (part === 'filename') return name.slice(slash + 1);
  return slash === 0 ? '/' : name.slice(0, slash);
}
