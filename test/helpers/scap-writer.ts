// A small scap savefile writer for tests: section header, machine info, process lists (V1..V9),
// fd lists (V1, V2), interface and user lists, and event blocks of every kind (EV, EV_INT, EV_V2,
// EV_V2_LARGE, EVF, EVF_V2, EVF_V2_LARGE), laid out as libscap's scap_savefile.c reads them. It
// writes what sysdig reads (the tests check that), and on request what it should not: raw bytes
// for corrupt blocks, unknown event types, lengths that lie.

import { SCAP_BLOCK_TYPES as T } from '../../core/formats/scap/parser/block-types';
import { EF, eventInfo } from '../../core/formats/scap/parser/event-table';

type Block = keyof typeof T;

class Out {
  private parts: Buffer[] = [];
  constructor(readonly le: boolean) {}
  u8(v: number) { this.parts.push(Buffer.from([v & 0xff])); return this; }
  u16(v: number) { const b = Buffer.alloc(2); if (this.le) b.writeUInt16LE(v & 0xffff); else b.writeUInt16BE(v & 0xffff); this.parts.push(b); return this; }
  u32(v: number) { const b = Buffer.alloc(4); if (this.le) b.writeUInt32LE(v >>> 0); else b.writeUInt32BE(v >>> 0); this.parts.push(b); return this; }
  i64(v: number | bigint) { const b = Buffer.alloc(8); if (this.le) b.writeBigInt64LE(BigInt(v)); else b.writeBigInt64BE(BigInt(v)); this.parts.push(b); return this; }
  u64(v: number | bigint) { const b = Buffer.alloc(8); if (this.le) b.writeBigUInt64LE(BigInt(v)); else b.writeBigUInt64BE(BigInt(v)); this.parts.push(b); return this; }
  raw(b: Uint8Array) { this.parts.push(Buffer.from(b)); return this; }
  lstr(s: string | Uint8Array) { const b = typeof s === 'string' ? Buffer.from(s) : Buffer.from(s); this.u16(b.length); this.parts.push(b); return this; }
  get length() { return this.parts.reduce((n, p) => n + p.length, 0); }
  bytes() { return Buffer.concat(this.parts); }
}

/** Parameter encoders (the value bytes of one event parameter). */
export const P = {
  u8: (v: number) => Buffer.from([v & 0xff]),
  u16: (v: number, le = true) => { const b = Buffer.alloc(2); if (le) b.writeUInt16LE(v); else b.writeUInt16BE(v); return b; },
  u32: (v: number, le = true) => { const b = Buffer.alloc(4); if (le) b.writeUInt32LE(v >>> 0); else b.writeUInt32BE(v >>> 0); return b; },
  i32: (v: number, le = true) => { const b = Buffer.alloc(4); if (le) b.writeInt32LE(v); else b.writeInt32BE(v); return b; },
  i64: (v: number | bigint, le = true) => { const b = Buffer.alloc(8); if (le) b.writeBigInt64LE(BigInt(v)); else b.writeBigInt64BE(BigInt(v)); return b; },
  u64: (v: number | bigint, le = true) => { const b = Buffer.alloc(8); if (le) b.writeBigUInt64LE(BigInt(v)); else b.writeBigUInt64BE(BigInt(v)); return b; },
  /** A NUL-terminated string (CHARBUF, FSPATH). */
  str: (s: string) => Buffer.concat([Buffer.from(s), Buffer.from([0])]),
  /** NUL-separated list (args, env, cgroups), each entry NUL-terminated. */
  list: (items: string[]) => Buffer.concat(items.map((s) => Buffer.concat([Buffer.from(s), Buffer.from([0])]))),
  buf: (b: Uint8Array | string) => Buffer.from(b),
  sockaddr4: (ip: string, port: number, le = true) => Buffer.concat([Buffer.from([2]), ip4(ip), P.u16(port, le)]),
  tuple4: (sip: string, sport: number, dip: string, dport: number, le = true) => Buffer.concat([Buffer.from([2]), ip4(sip), P.u16(sport, le), ip4(dip), P.u16(dport, le)]),
  tuple6: (sip: string, sport: number, dip: string, dport: number, le = true) => Buffer.concat([Buffer.from([10]), ip6(sip), P.u16(sport, le), ip6(dip), P.u16(dport, le)]),
  tupleUnix: (source: bigint, dest: bigint, path: string, le = true) => Buffer.concat([Buffer.from([1]), P.u64(source, le), P.u64(dest, le), P.str(path)]),
};

export function ip4(s: string): Buffer {
  return Buffer.from(s.split('.').map(Number));
}

export function ip6(s: string): Buffer {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((w) => parseInt(w || '0', 16));
  const b = Buffer.alloc(16);
  words.forEach((w, i) => b.writeUInt16BE(w, i * 2));
  return b;
}

export interface ThreadSpec {
  tid: number;
  pid?: number;
  ptid?: number;
  comm: string;
  exe?: string;
  exepath?: string;
  args?: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  env?: string[];
  cgroups?: string[];
  root?: string;
  /** PPM_CL_* flags; a thread (tid != pid) defaults to CLONE_THREAD | CLONE_FILES, as scap writes them. */
  flags?: number;
}

export type FdSpec =
  | { fd: number; kind: 'file'; name: string; flags?: number }
  | { fd: number; kind: 'file-v1' | 'directory' | 'pipe' | 'event'; name: string }
  | { fd: number; kind: 'ipv4'; sip: string; sport: number; dip: string; dport: number; l4?: number }
  | { fd: number; kind: 'ipv4-server'; ip: string; port: number; l4?: number }
  | { fd: number; kind: 'ipv6'; sip: string; sport: number; dip: string; dport: number; l4?: number }
  | { fd: number; kind: 'unix'; source: bigint; dest: bigint; name: string };

export type EventBlock = 'EV' | 'EV_INT' | 'EV_V2' | 'EV_V2_LARGE' | 'EVF' | 'EVF_V2' | 'EVF_V2_LARGE';

export interface EventSpec {
  type: number;
  tid: number;
  ts: bigint;
  cpu?: number;
  params: Uint8Array[];
  block?: EventBlock;
  flags?: number;
  /** Override the length field of the event header (for corrupt-input tests). */
  lenOverride?: number;
  /** Override one parameter's declared length (index → length). */
  paramLenOverride?: [number, number];
}

export class ScapWriter {
  private readonly blocks: Buffer[] = [];
  readonly le: boolean;

  constructor(opts: { littleEndian?: boolean } = {}) {
    this.le = opts.littleEndian ?? true;
  }

  private block(type: number, body: Buffer): this {
    const pad = (4 - (body.length % 4)) % 4;
    const total = 8 + body.length + pad + 4;
    const o = new Out(this.le).u32(type).u32(total).raw(body).raw(Buffer.alloc(pad)).u32(total);
    this.blocks.push(o.bytes());
    return this;
  }

  /** Bytes appended as they are (a corrupt block, a cut). */
  raw(bytes: Uint8Array): this {
    this.blocks.push(Buffer.from(bytes));
    return this;
  }

  shb(opts: { major?: number; minor?: number; options?: Uint8Array } = {}): this {
    const o = new Out(this.le).u32(0x1a2b3c4d).u16(opts.major ?? 1).u16(opts.minor ?? 2).i64(-1);
    if (opts.options) o.raw(opts.options);
    return this.block(T.SHB, o.bytes());
  }

  machineInfo(mi: { hostname: string; numCpus?: number; memory?: number; bootTs?: bigint }): this {
    const name = Buffer.alloc(128);
    name.write(mi.hostname);
    const o = new Out(this.le).u32(mi.numCpus ?? 2).i64(mi.memory ?? 8 << 30).i64(0).raw(name).u64(mi.bootTs ?? 0n).u64(0).u64(0).u64(0);
    return this.block(T.MI, o.bytes());
  }

  procList(threads: ThreadSpec[], version: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 9, internalNumbers = false): this {
    const type = internalNumbers && version <= 3 ? [T.PL_V1_INT, T.PL_V2_INT, T.PL_V3_INT][version - 1]! : [T.PL_V1, T.PL_V2, T.PL_V3, T.PL_V4, T.PL_V5, T.PL_V6, T.PL_V7, T.PL_V8, T.PL_V9][version - 1]!;
    const body = new Out(this.le);
    for (const t of threads) {
      const e = new Out(this.le).i64(t.tid).i64(t.pid ?? t.tid).i64(t.ptid ?? 1);
      if (version >= 6) e.i64(t.pid ?? t.tid);
      if (version >= 8) e.i64(t.pid ?? t.tid);
      e.lstr(t.comm).lstr(t.exe ?? t.comm);
      if (version >= 7) e.lstr(t.exepath ?? t.exe ?? t.comm);
      e.lstr(P.list(t.args ?? [])).lstr(t.cwd ?? '/').i64(1024).u32(t.flags ?? ((t.pid ?? t.tid) !== t.tid ? 0x2001 : 0)).u32(t.uid ?? 0).u32(t.gid ?? 0);
      if (version >= 2) {
        e.u32(1000).u32(500).u32(0).u64(0).u64(0);
        if (version >= 3) e.lstr(P.list(t.env ?? []));
        if (version >= 4) {
          e.i64(t.tid).i64(t.pid ?? t.tid).lstr(P.list(t.cgroups ?? []));
          if (version >= 5) e.lstr(t.root ?? '/');
        }
      }
      if (version === 9) {
        // libs >= 0.10 fields: pidns_init_start_ts, tty, loginuid, exe_writable, three capability sets.
        e.u64(0).u32(0).u32(t.uid ?? 0).u8(0).u64(0).u64(0).u64(0);
        body.u32(e.length + 4);
      }
      body.raw(e.bytes());
    }
    return this.block(type, body.bytes());
  }

  fdList(tid: number, fds: FdSpec[], version: 1 | 2 = 2): this {
    const body = new Out(this.le).i64(tid);
    for (const f of fds) {
      const e = new Out(this.le).i64(f.fd).i64(0);
      switch (f.kind) {
        case 'file': e.u8(16).u32(f.flags ?? 0).lstr(f.name); break;
        case 'file-v1': e.u8(1).lstr(f.name); break;
        case 'directory': e.u8(2).lstr(f.name); break;
        case 'pipe': e.u8(7).lstr(f.name); break;
        case 'event': e.u8(9).lstr(f.name); break;
        case 'ipv4': e.u8(3).raw(ip4(f.sip)).raw(ip4(f.dip)).u16(f.sport).u16(f.dport).u8(f.l4 ?? 2); break;
        case 'ipv4-server': e.u8(5).raw(ip4(f.ip)).u16(f.port).u8(f.l4 ?? 2); break;
        case 'ipv6': e.u8(4).raw(ip6(f.sip)).raw(ip6(f.dip)).u16(f.sport).u16(f.dport).u8(f.l4 ?? 2); break;
        case 'unix': e.u8(8).u64(f.source).u64(f.dest).lstr(f.name); break;
      }
      if (version === 2) body.u32(e.length + 4);
      body.raw(e.bytes());
    }
    return this.block(version === 2 ? T.FDL_V2 : T.FDL, body.bytes());
  }

  ifList(ifs: { name: string; ip: string }[], version: 1 | 2 = 2): this {
    const body = new Out(this.le);
    for (const i of ifs) {
      const e = new Out(this.le).u16(1).u16(i.name.length).raw(ip4(i.ip)).raw(ip4('255.255.255.0')).raw(ip4('0.0.0.0')).u64(1000).raw(Buffer.from(i.name));
      if (version === 2) body.u32(e.length);
      body.raw(e.bytes());
    }
    return this.block(version === 2 ? T.IL_V2 : T.IL, body.bytes());
  }

  userList(users: { uid: number; gid: number; name: string }[], version: 1 | 2 = 2): this {
    const body = new Out(this.le);
    for (const u of users) {
      const e = new Out(this.le).u8(0).u32(u.uid).u32(u.gid).lstr(u.name).lstr(`/home/${u.name}`).lstr('/bin/sh');
      if (version === 2) body.u32(e.length + 4);
      body.raw(e.bytes());
    }
    return this.block(version === 2 ? T.UL_V2 : T.UL, body.bytes());
  }

  event(e: EventSpec): this {
    const kind = e.block ?? 'EV_V2';
    const v2 = kind.includes('V2');
    const withFlags = kind.startsWith('EVF');
    const large = ((eventInfo(e.type)?.flags ?? 0) & EF.LARGE_PAYLOAD) !== 0;
    const lenSize = large ? 4 : 2;
    const hdrLen = v2 ? 26 : 22;
    const dataLen = e.params.reduce((n, p) => n + p.length, 0);
    const len = e.lenOverride ?? hdrLen + e.params.length * lenSize + dataLen;
    const o = new Out(this.le).u16(e.cpu ?? 0);
    if (withFlags) o.u32(e.flags ?? 0);
    o.u64(e.ts).i64(e.tid).u32(len).u16(e.type);
    if (v2) o.u32(e.params.length);
    e.params.forEach((p, i) => {
      const l = e.paramLenOverride && e.paramLenOverride[0] === i ? e.paramLenOverride[1] : p.length;
      if (lenSize === 2) o.u16(l);
      else o.u32(l);
    });
    for (const p of e.params) o.raw(p);
    return this.block(T[kind as Block], o.bytes());
  }

  bytes(): Buffer {
    return Buffer.concat(this.blocks);
  }
}
