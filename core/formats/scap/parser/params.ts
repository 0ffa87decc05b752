// Decoding of event parameters by their table type: integers of every width, errno results, fds,
// socket addresses and tuples, fd lists, strings, byte buffers, NUL-separated arrays, flags and
// dynamic (DYN) parameters. Addresses come in network byte order, ports in the writer's order.

import { Bytes, utf8 } from './bytes';
import { errnoName } from '../../../../common/errno';
import type { ParamInfo, ParamType } from './event-table';
import type { ScapEvent } from './event';
import { printableByte } from '../../../../common/format';

export const PPM_AF = { UNSPEC: 0, UNIX: 1, INET: 2, INET6: 10 } as const;

export type SockAddr =
  | { family: 4 | 6; addr: string; port: number }
  | { family: 'unix'; path: string }
  | { family: 'other'; code: number };

export type SockTuple =
  | { family: 4 | 6; sip: string; sport: number; dip: string; dport: number }
  | { family: 'unix'; source: bigint; dest: bigint; path: string }
  | { family: 'other'; code: number };

/** The parameter types read signed. */
export const SIGNED = new Set<ParamType>(['INT8', 'INT16', 'INT32', 'INT64', 'ERRNO', 'FD', 'PID']);

/** The parameter's bytes, or undefined when the event does not carry it. */
export function paramBytes(ev: ScapEvent, i: number): Uint8Array | undefined {
  if (i >= ev.paramAt.length) return undefined;
  const at = ev.paramAt[i]!;
  return ev.b.buf.subarray(at, at + ev.paramLen[i]!);
}

/**
 * An integer parameter (any width, signed as its type says, or as `asSigned` asks: a u64 syscall
 * result is the kernel's long); undefined if absent or empty, or if 64 bits hold more than a number
 * keeps exactly (beyond ±2^53: the reader reported it).
 */
export function paramInt(ev: ScapEvent, i: number, asSigned = false): number | undefined {
  if (i >= ev.paramAt.length) return undefined;
  const at = ev.paramAt[i]!;
  const b = ev.b;
  const signed = asSigned || SIGNED.has(ev.info.params[i]?.type ?? 'UINT64');
  switch (ev.paramLen[i]) {
    case 1:
      return signed ? (b.u8(at) << 24) >> 24 : b.u8(at);
    case 2:
      return signed ? b.i16(at) : b.u16(at);
    case 4:
      return signed ? b.i32(at) : b.u32(at);
    case 8:
      return b.exact64(at, signed) ?? undefined;
    default:
      return undefined;
  }
}

export function paramString(ev: ScapEvent, i: number): string | undefined {
  if (i >= ev.paramAt.length) return undefined;
  return ev.b.str(ev.paramAt[i]!, ev.paramLen[i]!);
}

/** Index of the parameter named `name`, or -1. */
export function paramIndex(ev: ScapEvent, name: string): number {
  const params = ev.info.params;
  for (let i = 0; i < params.length && i < ev.paramAt.length; i++) if (params[i]!.name === name) return i;
  return -1;
}

export function ipv4(bytes: Uint8Array, at = 0): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

/** IPv6 text as libsinsp prints it (inet_ntop: zeros compressed, IPv4-mapped shown dotted). */
export function ipv6(bytes: Uint8Array, at = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[at + 2 * i]! << 8) | bytes[at + 2 * i + 1]!);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return `::ffff:${ipv4(bytes, at + 12)}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

export function decodeSockAddr(bytes: Uint8Array, le: boolean): SockAddr | undefined {
  if (bytes.length < 1) return undefined;
  const b = new Bytes(bytes, le);
  const family = bytes[0]!;
  if (family === PPM_AF.INET && bytes.length >= 7) return { family: 4, addr: ipv4(bytes, 1), port: b.u16(5) };
  if (family === PPM_AF.INET6 && bytes.length >= 19) return { family: 6, addr: ipv6(bytes, 1), port: b.u16(17) };
  if (family === PPM_AF.UNIX) return { family: 'unix', path: b.str(1, bytes.length - 1) };
  return { family: 'other', code: family };
}

export function decodeSockTuple(bytes: Uint8Array, le: boolean): SockTuple | undefined {
  if (bytes.length < 1) return undefined;
  const b = new Bytes(bytes, le);
  const family = bytes[0]!;
  if (family === PPM_AF.INET && bytes.length >= 13) return { family: 4, sip: ipv4(bytes, 1), sport: b.u16(5), dip: ipv4(bytes, 7), dport: b.u16(11) };
  if (family === PPM_AF.INET6 && bytes.length >= 37) return { family: 6, sip: ipv6(bytes, 1), sport: b.u16(17), dip: ipv6(bytes, 19), dport: b.u16(35) };
  if (family === PPM_AF.UNIX && bytes.length >= 17) return { family: 'unix', source: b.u64(1), dest: b.u64(9), path: b.str(17, bytes.length - 17) };
  return { family: 'other', code: family };
}

/** "addr:port" as sysdig writes an endpoint. */
export function endpoint(family: 4 | 6, addr: string, port: number): string {
  return `${addr}:${port}`;
}

export function decodeFdList(bytes: Uint8Array, le: boolean): { fd: number; flags: number }[] {
  if (bytes.length < 2) return [];
  const b = new Bytes(bytes, le);
  const n = b.u16(0);
  const out: { fd: number; flags: number }[] = [];
  for (let i = 0, at = 2; i < n && at + 10 <= bytes.length; i++, at += 10) out.push({ fd: b.i64n(at), flags: b.u16(at + 8) });
  return out;
}

/** A NUL-separated list (execve args and env, cgroups). */
export function splitNulList(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      out.push(utf8(bytes.subarray(start, i)));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(utf8(bytes.subarray(start)));
  return out;
}

/** Per flags parameter, the names of the values seen (a call's flags repeat: open's, mmap's). */
const FLAG_NAMES = new WeakMap<ParamInfo, Map<number, string>>();
const FLAG_NAMES_KEPT = 4096;

/** Flag names of a FLAGS / MODE value ("O_RDWR|O_CREAT"), or the enum name of an ENUMFLAGS value. */
export function flagNames(param: ParamInfo, value: number): string {
  const table = param.flags;
  if (!table) return '';
  let seen = FLAG_NAMES.get(param);
  if (!seen) FLAG_NAMES.set(param, (seen = new Map()));
  let names = seen.get(value);
  if (names === undefined) {
    names = namesOfFlags(param, table, value);
    if (seen.size < FLAG_NAMES_KEPT) seen.set(value, names);
  }
  return names;
}

function namesOfFlags(param: ParamInfo, table: NonNullable<ParamInfo['flags']>, value: number): string {
  if (param.type.startsWith('ENUMFLAGS')) return table.find(([, v]) => v === value)?.[0] ?? '';
  const names: string[] = [];
  let rest = value >>> 0;
  for (const [name, v] of table) {
    if (v === 0) {
      if (value === 0) names.push(name);
      continue;
    }
    if ((rest & v) === v) {
      names.push(name);
      rest &= ~v;
    }
  }
  return names.join('|');
}

const PRINTABLE_MAX = 40;

/** Bytes as sysdig's default rendering: printable ASCII kept, the rest as dots. */
export function printableBytes(bytes: Uint8Array, max = PRINTABLE_MAX): string {
  return printableAt(bytes, 0, bytes.length, max);
}

function printableAt(buf: Uint8Array, at: number, len: number, max = PRINTABLE_MAX): string {
  let s = '';
  const end = at + Math.min(len, max);
  for (let i = at; i < end; i++) {
    const c = buf[i]!;
    s += printableByte(c);
  }
  return len > max ? `${s}...` : s;
}

/**
 * One parameter as "name=value" text for an event's info line, without fd-table knowledge
 * (core adds fd names). Numbers, errnos, flags, addresses, strings and buffers.
 */
export function formatParam(ev: ScapEvent, i: number): string {
  const param = ev.info.params[i];
  const bytes = paramBytes(ev, i);
  if (!param || !bytes) return '';
  return `${param.name}=${formatValue(param, bytes, ev.b.le)}`;
}

export function formatValue(param: ParamInfo, bytes: Uint8Array, le: boolean): string {
  return formatValueAt(param, new Bytes(bytes, le), 0, bytes.length);
}

/** An integer of `len` bytes at `at` (signed as the parameter's type says), or undefined for other widths. */
function intAt(param: ParamInfo, b: Bytes, at: number, len: number): number | undefined {
  const signed = SIGNED.has(param.type);
  switch (len) {
    case 1: return signed ? (b.buf[at]! << 24) >> 24 : b.buf[at]!;
    case 2: return signed ? b.i16(at) : b.u16(at);
    case 4: return signed ? b.i32(at) : b.u32(at);
    case 8: return signed ? b.i64n(at) : b.u64n(at);
    default: return undefined;
  }
}

/**
 * formatValue over the `len` bytes at `at` of a buffer already wrapped (an event's own): the
 * numbers, strings and buffers that are most of an info line cost no view of their own.
 */
export function formatValueAt(param: ParamInfo, b: Bytes, at: number, len: number): string {
  // 64 bits a number would round are written from their exact value.
  if (len === 8 && INTEGER_TYPES.has(param.type) && b.exact64(at, SIGNED.has(param.type)) === null) return wideText(param, b, at);
  switch (param.type) {
    case 'CHARBUF':
    case 'FSPATH':
    case 'FSRELPATH':
      return b.str(at, len);
    case 'BYTEBUF':
      return printableAt(b.buf, at, len);
    case 'ERRNO': {
      const v = intAt(param, b, at, len);
      if (v === undefined) return '';
      const name = errnoName(v);
      return name ? `${v}(${name})` : String(v);
    }
    case 'CHARBUFARRAY':
    case 'SOCKADDR':
    case 'SOCKTUPLE':
    case 'FDLIST':
    case 'DYN':
    case 'IPV4ADDR':
    case 'IPV6ADDR':
      return formatStructured(param, b.buf.subarray(at, at + len), b.le);
    default: {
      const v = intAt(param, b, at, len);
      if (v === undefined) return '';
      const text = param.format === 'HEX' ? `${v < 0 ? '-' : ''}${Math.abs(v).toString(16)}` : param.format === 'OCT' ? `0${v.toString(8)}` : String(v);
      const names = param.flags ? flagNames(param, v) : '';
      return names ? `${text}(${names})` : text;
    }
  }
}

/** The parameter types formatValueAt writes as integers. */
export const INTEGER_TYPES = new Set<ParamType>([
  'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'ERRNO', 'FD', 'PID', 'SYSCALLID', 'SIGTYPE', 'RELTIME',
  'ABSTIME', 'PORT', 'L4PROTO', 'SOCKFAMILY', 'BOOL', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'UID', 'GID', 'MODE', 'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32',
]);

/** A 64-bit integer beyond ±2^53, exactly, in the parameter's print format. */
function wideText(param: ParamInfo, b: Bytes, at: number): string {
  const v = SIGNED.has(param.type) ? b.i64(at) : b.u64(at);
  if (param.format === 'HEX') return `${v < 0n ? '-' : ''}${(v < 0n ? -v : v).toString(16)}`;
  if (param.format === 'OCT') return `0${v.toString(8)}`;
  return String(v);
}

/** The parameter types that are more than one number or string. */
function formatStructured(param: ParamInfo, bytes: Uint8Array, le: boolean): string {
  switch (param.type) {
    case 'CHARBUFARRAY':
      return splitNulList(bytes).join('.');
    case 'SOCKADDR': {
      const a = decodeSockAddr(bytes, le);
      if (!a) return '';
      if (typeof a.family === 'number') return endpoint(a.family, a.addr, a.port);
      if (a.family === 'unix') return a.path;
      return `family ${a.code}`;
    }
    case 'SOCKTUPLE': {
      const t = decodeSockTuple(bytes, le);
      if (!t) return '';
      if (typeof t.family === 'number') return `${endpoint(t.family, t.sip, t.sport)}->${endpoint(t.family, t.dip, t.dport)}`;
      if (t.family === 'unix') return `${t.source.toString(16)}->${t.dest.toString(16)} ${t.path}`;
      return `family ${t.code}`;
    }
    case 'FDLIST':
      return decodeFdList(bytes, le).map((f) => `${f.fd}:${f.flags}`).join(' ');
    case 'DYN': {
      const idx = bytes[0];
      const shape = idx === undefined ? undefined : param.dynamic?.[idx];
      return shape ? formatValue(shape, bytes.subarray(1), le) : '';
    }
    case 'IPV4ADDR':
      return bytes.length >= 4 ? ipv4(bytes) : '';
    case 'IPV6ADDR':
      return bytes.length >= 16 ? ipv6(bytes) : '';
    default:
      return '';
  }
}
