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
  // Falco's fields (core/filter/fields.ts, its Falco section): event parameters, networks, image parts.
  // The index's extension has event parameters in C (native/event-args.c): this one where it is not loaded.
  if (!hasFunction(db, "capscope_evt_arg('', 0, 0)")) {
    db.function('capscope_evt_arg', { deterministic: true }, (info: unknown, which: unknown, raw: unknown) =>
      typeof info === 'string' ? eventArg(info, typeof which === 'bigint' ? Number(which) : (which as string | number), raw === 1 || raw === 1n) : null,
    );
  }
  db.function('capscope_in_network', { deterministic: true }, (addr: unknown, net: unknown) =>
    typeof addr === 'string' && typeof net === 'string' ? inNetwork(addr, net) : null,
  );
  db.function('capscope_image_part', { deterministic: true }, (image: unknown, part: unknown) => (typeof image === 'string' ? imagePart(image, String(part)) : null));
  db.function('capscope_endpoint', { deterministic: true }, (value: unknown, part: unknown) => {
    if (typeof value !== 'string') return null;
    const ep = splitEndpoint(value);
    if (!ep) return null;
    return part === 'port' ? ep.port : ep.addr;
  });
}

/** Whether the connection already has the SQL function a call (`name(args)`) uses. */
function hasFunction(db: Database.Database, call: string): boolean {
  try {
    db.prepare(`SELECT ${call}`);
    return true;
  } catch {
    return false;
  }
}

/** fd.typechar's letter of each fd type ('o' for the others); the filter compiler's SQL reads it too. */
export const FD_TYPE_CHARS: Readonly<Record<string, string>> = {
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
      return type === null ? null : (FD_TYPE_CHARS[type] ?? 'o');
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

const PARAM_START = /(?:^| )([A-Za-z_][A-Za-z0-9_]*)=/g;

/**
 * One parameter of an event from its printed parameters ("fd=3(<f>/etc/x) name=/etc/x flags=1(O_RDONLY)"),
 * by name or position; raw drops the decoding in parentheses ("-2(ENOENT)" gives "-2"). A value that
 * itself holds " word=" splits there: the index keeps the printed form only.
 */
export function eventArg(info: string, which: string | number, raw: boolean): string | null {
  const starts = paramStarts(info);
  const i = typeof which === 'number' ? which : starts.findIndex((s) => s.name === which);
  const start = starts[i];
  if (!start) return null;
  const value = info.slice(start.valueAt, i + 1 < starts.length ? starts[i + 1]!.at : info.length);
  if (!raw) return value;
  const paren = value.indexOf('(');
  return paren > 0 && value.endsWith(')') ? value.slice(0, paren) : value;
}

interface ParamStart {
  name: string;
  at: number;
  valueAt: number;
}

/**
 * Where each parameter of printed parameters starts. The last event's are kept: a rules pass asks
 * one event for several parameters, or for one several times (each rule over the open family reads
 * its flags twice, evt.is_open_read and evt.is_open_write), and reading the text again dominated.
 */
let lastInfo: string | null = null;
let lastStarts: readonly ParamStart[] = [];

function paramStarts(info: string): readonly ParamStart[] {
  if (info === lastInfo) return lastStarts;
  const starts: ParamStart[] = [];
  for (const m of info.matchAll(PARAM_START)) starts.push({ name: m[1]!, at: m.index!, valueAt: m.index! + m[0].length });
  lastInfo = info;
  lastStarts = starts;
  return starts;
}

/** Whether an IPv4 or IPv6 address lies in a network "a.b.c.d/n" (or equals an address without /n). */
export function inNetwork(addr: string, net: string): number | null {
  const slash = net.indexOf('/');
  const base = addressBits(slash < 0 ? net : net.slice(0, slash));
  const ip = addressBits(addr);
  if (!base || !ip || base.length !== ip.length) return ip && base ? 0 : null;
  const prefix = slash < 0 ? base.length : Number(net.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > base.length) return null;
  return base.slice(0, prefix) === ip.slice(0, prefix) ? 1 : 0;
}

/** An address as a string of bits (32 for IPv4, 128 for IPv6), or null. */
function addressBits(text: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.some((p) => p > 255) ? null : parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  }
  if (!text.includes(':')) return null;
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return null;
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  const all = [...h, ...Array<string>(Math.max(0, missing)).fill('0'), ...t];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}

/** A container image's repository (without tag or digest), tag or digest. */
export function imagePart(image: string, part: string): string | null {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : null;
  const named = at >= 0 ? image.slice(0, at) : image;
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  if (part === 'digest') return digest;
  // An image named without a tag is its 'latest' (Docker's rule, and what libsinsp reports).
  if (part === 'tag') return hasTag ? named.slice(colon + 1) : digest === null ? 'latest' : null;
  return hasTag ? named.slice(0, colon) : named;
}
