// Decoders of the scap state blocks: machine info, process lists (V1..V9 and the _INT numbers),
// fd lists (V1, V2), interface lists (V1, V2) and user lists (V1, V2). Layouts follow libscap's
// scap_savefile.c readers field by field; every read is bounds-checked against the block, and a
// fault throws a BlockFault naming the offset inside the block and what was expected.
//
// A 64-bit field the index stores (ids, fds, sizes, times) whose value a number cannot hold
// exactly is not a fault of the block's framing: it is reported where it is read, with its value,
// and only what it belongs to is given up (the entry, when it is the entry's key; else the value).

import { SCAP_BLOCK_TYPES as T } from './block-types';
import { Bytes } from './bytes';

export class BlockFault extends Error {
  constructor(
    /** Offset of the fault inside the block body. */
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/** What becomes of a value out of range, or of what it belongs to. */
export const OUT_OF_RANGE_OUTCOME = {
  entrySkipped: 'the entry was skipped',
  blockSkipped: 'the block was skipped',
  unknown: 'stored as unknown',
  ownTid: "taken as the thread's own tid",
} as const;

/** A field whose value is beyond what capscope keeps: where (in the block body), which, its exact value, and what was done. */
export interface OutOfRange {
  at: number;
  field: string;
  value: string;
  outcome: (typeof OUT_OF_RANGE_OUTCOME)[keyof typeof OUT_OF_RANGE_OUTCOME];
}

export type OutOfRangeSink = (fault: OutOfRange) => void;

const O = OUT_OF_RANGE_OUTCOME;
/** 2^63: a u64 time at or past it does not fit the index's signed 64-bit integers. */
const TIME_LIMIT = 1n << 63n;

/** A cursor over a block body that refuses to read past its end. */
class Cursor {
  pos = 0;
  /** Set while the rest of an entry already given up is read: its other faults are not news. */
  quiet = false;
  constructor(
    readonly b: Bytes,
    public end: number,
    private readonly report: OutOfRangeSink = () => {},
  ) {}
  need(n: number, what: string): void {
    if (this.pos + n > this.end) throw new BlockFault(this.pos, `expected ${what} (${n} bytes), found ${Math.max(0, this.end - this.pos)} bytes left`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.b.u8(this.pos++);
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.b.u16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.b.u32(this.pos);
    this.pos += 4;
    return v;
  }
  i64(what: string): number {
    this.need(8, what);
    const v = this.b.i64n(this.pos);
    this.pos += 8;
    return v;
  }
  /** A signed 64-bit field the index stores: null, reported with `outcome`, when it is beyond ±2^53. */
  exactI64(what: string, outcome: OutOfRange['outcome']): number | null {
    this.need(8, what);
    const at = this.pos;
    this.pos += 8;
    const v = this.b.exact64(at, true);
    if (v === null && !this.quiet) this.report({ at, field: what, value: String(this.b.i64(at)), outcome });
    return v;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.b.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A u16-length-prefixed string. */
  lstr(what: string): string {
    const len = this.u16(`the length of ${what}`);
    this.need(len, what);
    const s = this.b.str(this.pos, len);
    this.pos += len;
    return s;
  }
  lraw(what: string): Uint8Array {
    const len = this.u16(`the length of ${what}`);
    return this.bytes(len, what);
  }
  skipTo(end: number): void {
    this.pos = end;
  }
}

export interface MachineInfo {
  numCpus: number;
  /** null when the block's value is out of range. */
  memorySizeBytes: number | null;
  maxPid: number;
  hostname: string;
  bootTsEpoch: bigint | null;
}

export function decodeMachineInfo(b: Bytes, report: OutOfRangeSink): MachineInfo {
  const c = new Cursor(b, b.buf.length, report);
  const numCpus = c.u32('num_cpus');
  const memorySizeBytes = c.exactI64('memory_size_bytes', O.unknown);
  const maxPid = c.i64('max_pid');
  const hostname = b.str(c.pos, Math.min(128, b.buf.length - c.pos));
  c.bytes(128, 'hostname');
  let bootTsEpoch = c.pos + 8 <= b.buf.length ? b.u64(c.pos) : null;
  if (bootTsEpoch !== null && bootTsEpoch >= TIME_LIMIT) {
    report({ at: c.pos, field: 'boot_time', value: String(bootTsEpoch), outcome: O.unknown });
    bootTsEpoch = null;
  }
  return { numCpus, memorySizeBytes, maxPid, hostname, bootTsEpoch: bootTsEpoch || null };
}

export interface ScapThread {
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  comm: string;
  exe: string;
  exepath: string;
  /** Arguments after the program name (the file stores them NUL-separated). */
  args: string[];
  cwd: string;
  fdlimit: number;
  flags: number;
  uid: number;
  gid: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  env: string[];
  vtid: number;
  vpid: number;
  /** "subsystem=path" entries. */
  cgroups: string[];
  root: string;
  loginuid: number;
}

/** Splits a NUL-separated list as libsinsp does (a trailing NUL ends the last entry). */
export function splitNul(raw: Uint8Array, b?: Bytes): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i === raw.length || raw[i] === 0) {
      if (i > start || (i < raw.length && i !== raw.length - 1)) out.push(new Bytes(raw, b?.le ?? true).str(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

const PL_ORDER: Record<number, number> = {
  [T.PL_V1]: 1, [T.PL_V1_INT]: 1, [T.PL_V2]: 2, [T.PL_V2_INT]: 2, [T.PL_V3]: 3, [T.PL_V3_INT]: 3,
  [T.PL_V4]: 4, [T.PL_V5]: 5, [T.PL_V6]: 6, [T.PL_V7]: 7, [T.PL_V8]: 8, [T.PL_V9]: 9,
};

export function decodeProcList(b: Bytes, blockType: number, report: OutOfRangeSink): ScapThread[] {
  const v = PL_ORDER[blockType >>> 0];
  if (!v) throw new BlockFault(0, `expected a process list block, found type 0x${blockType.toString(16)}`);
  const threads: ScapThread[] = [];
  const c = new Cursor(b, b.buf.length, report);
  while (b.buf.length - c.pos >= 4) {
    const start = c.pos;
    let subLen = 0;
    if (v === 9) {
      subLen = c.u32('the entry length');
      if (subLen < 4 || start + subLen > b.buf.length) throw new BlockFault(start, `expected a process entry length within the block, found ${subLen}`);
      c.end = start + subLen;
    }
    // An entry without its tid cannot be placed: it is read to its end and left out.
    const tid = c.exactI64('tid', O.entrySkipped);
    c.quiet = tid === null;
    const t: ScapThread = {
      tid: tid ?? -1, pid: c.exactI64('pid', O.ownTid) ?? tid ?? -1, ptid: c.exactI64('ptid', O.unknown) ?? -1, sid: -1, vpgid: -1, comm: '', exe: '', exepath: '', args: [], cwd: '',
      fdlimit: 0, flags: 0, uid: 0, gid: 0, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, env: [], vtid: -1, vpid: -1, cgroups: [], root: '', loginuid: -1,
    };
    if (v >= 6) t.sid = c.i64('sid');
    if (v >= 8) t.vpgid = c.i64('vpgid');
    t.comm = c.lstr('comm');
    t.exe = c.lstr('exe');
    if (v >= 7) t.exepath = c.lstr('exepath');
    t.args = splitNul(c.lraw('args'), b);
    t.cwd = c.lstr('cwd');
    t.fdlimit = c.i64('fdlimit');
    t.flags = c.u32('flags');
    t.uid = c.u32('uid');
    t.gid = c.u32('gid');
    if (v >= 2) {
      t.vmsizeKb = c.u32('vmsize_kb');
      t.vmrssKb = c.u32('vmrss_kb');
      t.vmswapKb = c.u32('vmswap_kb');
      c.i64('pfmajor');
      c.i64('pfminor');
      if (v >= 3) t.env = splitNul(c.lraw('env'), b);
      if (v >= 4) {
        t.vtid = c.exactI64('vtid', O.unknown) ?? -1;
        t.vpid = c.exactI64('vpid', O.unknown) ?? -1;
        t.cgroups = splitNul(c.lraw('cgroups'), b);
        if (v >= 5) t.root = c.lstr('root');
      }
    }
    if (subLen) {
      // Fields appended by later libs are read only when the entry is long enough for them; libs
      // 0.10 inserted two of them in the middle, recognisable by how much is left (see scap_savefile.c).
      const left = () => start + subLen - c.pos;
      if (left() > 29) {
        if (left() >= 8) c.i64('pidns_init_start_ts');
        if (left() >= 4) c.u32('tty');
      }
      if (left() >= 4) t.loginuid = b.i32(c.pos), (c.pos += 4);
      c.skipTo(start + subLen);
      c.end = b.buf.length;
    }
    c.quiet = false;
    if (tid !== null) threads.push(t);
  }
  return threads;
}

/** scap_fd_type. */
export const SCAP_FD = {
  UNKNOWN: 0, FILE: 1, DIRECTORY: 2, IPV4_SOCK: 3, IPV6_SOCK: 4, IPV4_SERVSOCK: 5, IPV6_SERVSOCK: 6, FIFO: 7, UNIX_SOCK: 8,
  EVENT: 9, UNSUPPORTED: 10, SIGNALFD: 11, EVENTPOLL: 12, INOTIFY: 13, TIMERFD: 14, NETLINK: 15, FILE_V2: 16, BPF: 17,
  USERFAULTFD: 18, IOURING: 19, MEMFD: 20, PIDFD: 21,
} as const;

export type ScapFd =
  | { fd: number; ino: number; type: 3 | 4; sip: Uint8Array; dip: Uint8Array; sport: number; dport: number; l4proto: number }
  | { fd: number; ino: number; type: 5 | 6; ip: Uint8Array; port: number; l4proto: number }
  | { fd: number; ino: number; type: 8; source: bigint; destination: bigint; name: string }
  | { fd: number; ino: number; type: number; name: string; openFlags?: number };

/** The fds of one thread; null when the block's tid is out of range (reported: nothing to give them to). */
export function decodeFdList(b: Bytes, blockType: number, report: OutOfRangeSink): { tid: number; fds: ScapFd[] } | null {
  const c = new Cursor(b, b.buf.length, report);
  const tid = c.exactI64('tid', O.blockSkipped);
  if (tid === null) return null;
  const fds: ScapFd[] = [];
  const v2 = blockType >>> 0 === T.FDL_V2;
  while (b.buf.length - c.pos >= 4) {
    const start = c.pos;
    let subLen = 0;
    if (v2) {
      subLen = c.u32('the fd entry length');
      if (subLen < 4 || start + subLen > b.buf.length) throw new BlockFault(start, `expected an fd entry length within the block, found ${subLen}`);
    }
    // An entry without its fd is read to its end (a V1 entry has no length) and left out.
    const key = c.exactI64('fd', O.entrySkipped);
    const fd = key ?? -1;
    const ino = c.i64('ino');
    const type = c.u8('fd type');
    let entry: ScapFd;
    switch (type) {
      case SCAP_FD.IPV4_SOCK:
        entry = { fd, ino, type, sip: c.bytes(4, 'sip'), dip: c.bytes(4, 'dip'), sport: c.u16('sport'), dport: c.u16('dport'), l4proto: c.u8('l4proto') };
        break;
      case SCAP_FD.IPV6_SOCK:
        entry = { fd, ino, type, sip: c.bytes(16, 'sip'), dip: c.bytes(16, 'dip'), sport: c.u16('sport'), dport: c.u16('dport'), l4proto: c.u8('l4proto') };
        break;
      case SCAP_FD.IPV4_SERVSOCK:
        entry = { fd, ino, type, ip: c.bytes(4, 'ip'), port: c.u16('port'), l4proto: c.u8('l4proto') };
        break;
      case SCAP_FD.IPV6_SERVSOCK:
        entry = { fd, ino, type, ip: c.bytes(16, 'ip'), port: c.u16('port'), l4proto: c.u8('l4proto') };
        break;
      case SCAP_FD.UNIX_SOCK:
        c.need(16, 'unix socket source and destination');
        entry = { fd, ino, type, source: b.u64(c.pos), destination: b.u64(c.pos + 8), name: ((c.pos += 16), c.lstr('unix socket name')) };
        break;
      case SCAP_FD.FILE_V2: {
        const openFlags = c.u32('open flags');
        entry = { fd, ino, type, openFlags, name: c.lstr('file name') };
        break;
      }
      case SCAP_FD.UNKNOWN:
        entry = { fd, ino, type, name: '' };
        break;
      default:
        if (type <= SCAP_FD.PIDFD) entry = { fd, ino, type, name: c.lstr('fd name') };
        else entry = { fd, ino, type: SCAP_FD.UNSUPPORTED, name: `unknown-type:[${type}]` };
    }
    if (subLen) c.skipTo(start + subLen);
    if (key !== null) fds.push(entry);
  }
  return { tid, fds };
}

export interface ScapInterface {
  name: string;
  family: 4 | 6;
  addr: Uint8Array;
}

const SCAP_II = { IPV4: 1, IPV6: 2, IPV4_NOLINKSPEED: 3, IPV6_NOLINKSPEED: 4 } as const;

export function decodeIfList(b: Bytes, blockType: number): ScapInterface[] {
  const out: ScapInterface[] = [];
  const v2 = blockType >>> 0 === T.IL_V2;
  let pos = 0;
  while (b.buf.length - pos >= 4) {
    let entrySize = 0;
    let p = pos;
    if (v2) {
      entrySize = b.u32(p) + 4;
      p += 4;
    }
    if (p + 4 > b.buf.length) throw new BlockFault(p, 'expected an interface entry header');
    const type = b.u16(p);
    const nameLen = b.u16(p + 2);
    const addrLen = type === SCAP_II.IPV4 || type === SCAP_II.IPV4_NOLINKSPEED ? 4 : type === SCAP_II.IPV6 || type === SCAP_II.IPV6_NOLINKSPEED ? 16 : 0;
    if (!addrLen) throw new BlockFault(p, `expected an interface type 1..4, found ${type}`);
    const linkSpeed = type === SCAP_II.IPV4 || type === SCAP_II.IPV6 ? 8 : 0;
    const size = 4 + addrLen * 3 + linkSpeed + nameLen;
    if (p + size > b.buf.length) throw new BlockFault(p, `expected an interface entry of ${size} bytes`);
    out.push({ family: addrLen === 4 ? 4 : 6, addr: b.buf.subarray(p + 4, p + 4 + addrLen), name: b.str(p + 4 + addrLen * 3 + linkSpeed, nameLen) });
    pos = v2 ? pos + entrySize : p + size;
  }
  return out;
}

export interface ScapUser {
  kind: 'user' | 'group';
  uid: number;
  gid: number;
  name: string;
  home: string;
  shell: string;
}

export function decodeUserList(b: Bytes, blockType: number): ScapUser[] {
  const out: ScapUser[] = [];
  const v2 = blockType >>> 0 === T.UL_V2;
  const c = new Cursor(b, b.buf.length);
  while (b.buf.length - c.pos >= 4) {
    const start = c.pos;
    const subLen = v2 ? c.u32('the entry length') : 0;
    const type = c.u8('entry type');
    if (type === 0) {
      const uid = c.u32('uid');
      const gid = c.u32('gid');
      out.push({ kind: 'user', uid, gid, name: c.lstr('user name'), home: c.lstr('home'), shell: c.lstr('shell') });
    } else {
      const gid = c.u32('gid');
      out.push({ kind: 'group', uid: -1, gid, name: c.lstr('group name'), home: '', shell: '' });
    }
    if (subLen) c.skipTo(start + subLen);
  }
  return out;
}
