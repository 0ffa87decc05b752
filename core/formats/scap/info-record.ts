// An event's info text ("fd=3(<f>/etc/hosts) size=4096", the events' `info` column) is not made
// on the ingest's thread: the event's raw parameter bytes and the names of its fd parameters (all
// the text depends on) go into the row batch as a record, and the writer's thread makes the text
// in C (core/index/native/scap-info.c, which says the record's layout) as it stores the batch. The
// text was a fifth of the ingest thread's time (docs/benchmarks.md, issue 20).
//
// EventProcessor.infoText stays the reference the C text is held to (test/scap/info-record.test.ts)
// and writes the records C does not read: a big-endian capture's (the text itself, flagged).

import { errnoNames } from '../../../common/errno';
import type { RowBatchEncoder } from '../../index/row-batch';
import { EF, EVENT_TYPE_COUNT, eventInfo, type ParamInfo, type ParamType } from './parser/event-table';
import type { ScapEvent } from './parser/event';
import { fdTypeChar, type FdInfo } from './parser/fds';
import { INTEGER_TYPES, SIGNED } from './parser/params';
import { infoText } from './event-processor';

/** How scap-info.c writes a param (its K_* kinds). */
const PARAM_KIND: Partial<Record<ParamType, number>> = {
  CHARBUF: 1, FSPATH: 1, FSRELPATH: 1, BYTEBUF: 2, ERRNO: 3, CHARBUFARRAY: 4, SOCKADDR: 5, SOCKTUPLE: 6, FDLIST: 7, DYN: 8, IPV4ADDR: 9, IPV6ADDR: 10,
};
/** A BYTEBUF's text shows 40 bytes and whether there were more: 41 say both. */
const BYTEBUF_KEPT = 41;

let tableBlob: Uint8Array | null = null;

/** The event table and errno names as scap_info_table() takes them (scap-info.c, tableFrom). */
export function infoTableBlob(): Uint8Array {
  if (tableBlob) return tableBlob;
  const out: number[] = [];
  const u8 = (v: number) => out.push(v & 0xff);
  const u16 = (v: number) => out.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const name = (s: string) => {
    const b = Buffer.from(s);
    if (b.length > 255) throw new Error(`scap info table: a name of ${b.length} bytes (${s.slice(0, 40)})`);
    u8(b.length);
    for (const x of b) out.push(x);
  };
  const f64 = new Float64Array(1);
  const f64Bytes = new Uint8Array(f64.buffer);
  const param = (p: ParamInfo) => {
    u8(PARAM_KIND[p.type] ?? 0);
    u8(p.format === 'HEX' ? 1 : p.format === 'OCT' ? 2 : 0);
    u8((SIGNED.has(p.type) ? 1 : 0) | (INTEGER_TYPES.has(p.type) ? 2 : 0) | (p.type.startsWith('ENUMFLAGS') ? 4 : 0));
    name(p.name);
    const flags = p.flags ?? [];
    u16(flags.length);
    for (const [n, v] of flags) {
      name(n);
      f64[0] = v;
      for (const x of f64Bytes) out.push(x);
    }
    const dyn = p.dynamic ?? [];
    u8(dyn.length);
    for (const d of dyn) param(d);
  };
  u32(0x31495343);
  u32(EVENT_TYPE_COUNT);
  for (let type = 0; type < EVENT_TYPE_COUNT; type++) {
    const params = eventInfo(type)?.params ?? [];
    if (params.length > 255) throw new Error(`scap info table: event ${type} has ${params.length} params`);
    u8(params.length);
    for (const p of params) param(p);
  }
  const errnos = errnoNames();
  u32(Math.max(0, ...errnos.map(([n]) => n)) + 1);
  u32(errnos.length);
  for (const [n, s] of errnos) {
    u32(n);
    name(s);
  }
  return (tableBlob = Uint8Array.from(out));
}

/** Per event type: its FD params' indexes, its BYTEBUF params' and the bytes of a param's length. */
interface TypeShape {
  fdParams: Int32Array;
  bytebufs: Int32Array;
  lenSize: number;
}
const SHAPES: (TypeShape | undefined)[] = new Array(EVENT_TYPE_COUNT);

function shapeOf(type: number): TypeShape {
  let s = SHAPES[type];
  if (s) return s;
  const info = eventInfo(type);
  const params = info?.params ?? [];
  const indexes = (t: ParamType) => Int32Array.from(params.flatMap((p, i) => (p.type === t ? [i] : [])));
  s = { fdParams: indexes('FD'), bytebufs: indexes('BYTEBUF'), lenSize: (info?.flags ?? 0) & EF.LARGE_PAYLOAD ? 4 : 2 };
  SHAPES[type] = s;
  return s;
}

/** An fd's "<f>/etc/hosts" as UTF-8, kept on the fd (FdInfo.note) while its type and name stay. */
function noteOf(f: FdInfo): Uint8Array {
  const n = f.note;
  if (n != null && n.name === f.name && n.type === f.type && n.l4proto === f.l4proto) return n.bytes;
  const bytes = Buffer.from(`<${fdTypeChar(f)}>${f.name}`);
  f.note = { name: f.name, type: f.type, l4proto: f.l4proto, bytes };
  return bytes;
}

const MAX_NOTE = 0xffff;
/** An event's notes: at most one per param (scratch, reused). */
const noteParams = new Int32Array(256);
const notes: (Uint8Array | null)[] = new Array(256).fill(null);

/**
 * Writes ev's info record as the batch's next value (kind 'i'). `fds` is the fd table the text's
 * fd names come from (as it stands after the event). What the record does not carry (a big-endian
 * capture's events, an fd name longer than 64 KiB) it holds as the text itself (infoText's).
 */
export function writeInfoRecord(batch: RowBatchEncoder, ev: ScapEvent, fds: Map<number, FdInfo>): void {
  const b = ev.b;
  if (!b.le) return writeText(batch, ev.type, infoText(ev, fds));
  const paramAt = ev.paramAt;
  const paramLen = ev.paramLen;
  const given = paramAt.length;
  const n = Math.min(given, ev.info.params.length);
  const shape = shapeOf(ev.type);
  let noteCount = 0;
  let noteBytes = 0;
  const fdParams = shape.fdParams;
  for (let k = 0; k < fdParams.length; k++) {
    const i = fdParams[k]!;
    if (i >= n || paramLen[i] !== 8) continue;
    const v = b.exact64(paramAt[i]!, true);
    const f = v !== null && v >= 0 ? fds.get(v) : undefined;
    if (f === undefined) continue;
    const note = noteOf(f);
    if (note.length > MAX_NOTE) return writeText(batch, ev.type, infoText(ev, fds));
    noteParams[noteCount] = i;
    notes[noteCount++] = note;
    noteBytes += 3 + note.length;
  }
  // The params' lengths and bytes as the block has them, in one copy, unless a buffer holds more
  // than its text shows or the block has params the table does not.
  let whole = n === given;
  const bytebufs = shape.bytebufs;
  for (let k = 0; k < bytebufs.length && whole; k++) {
    const i = bytebufs[k]!;
    if (i < n && paramLen[i]! > BYTEBUF_KEPT) whole = false;
  }
  const lenSize = whole ? shape.lenSize : 4;
  const first = n > 0 ? paramAt[0]! : 0;
  const end = n > 0 ? paramAt[n - 1]! + paramLen[n - 1]! : 0;
  const d = batch.reserveData(5 + noteBytes + n * lenSize + (end - first));
  const start = batch.dataOffset;
  let o = start;
  d[o++] = ev.type & 0xff;
  d[o++] = ev.type >> 8;
  d[o++] = lenSize === 2 ? 2 : 0;
  d[o++] = n;
  d[o++] = noteCount;
  for (let k = 0; k < noteCount; k++) {
    const note = notes[k]!;
    notes[k] = null;
    d[o++] = noteParams[k]!;
    d[o++] = note.length & 0xff;
    d[o++] = note.length >> 8;
    d.set(note, o);
    o += note.length;
  }
  const src = b.buf;
  if (whole) o = copy(src, first - n * lenSize, end, d, o);
  else {
    for (let i = 0; i < n; i++) {
      const len = paramLen[i]! > BYTEBUF_KEPT && ev.info.params[i]!.type === 'BYTEBUF' ? BYTEBUF_KEPT : paramLen[i]!;
      d[o++] = len & 0xff;
      d[o++] = (len >>> 8) & 0xff;
      d[o++] = (len >>> 16) & 0xff;
      d[o++] = len >>> 24;
    }
    for (let i = 0; i < n; i++) {
      const at = paramAt[i]!;
      const len = paramLen[i]! > BYTEBUF_KEPT && ev.info.params[i]!.type === 'BYTEBUF' ? BYTEBUF_KEPT : paramLen[i]!;
      o = copy(src, at, at + len, d, o);
    }
  }
  batch.commitData(o - start);
}

/** Copies src[from, to) to d at o: by hand below 256 bytes, where a view for set() costs more (and is garbage). */
function copy(src: Uint8Array, from: number, to: number, d: Uint8Array, o: number): number {
  if (to - from < 256) {
    for (let i = from; i < to; i++) d[o++] = src[i]!;
    return o;
  }
  d.set(src.subarray(from, to), o);
  return o + to - from;
}

/** A record that is the text itself (flag 1). */
function writeText(batch: RowBatchEncoder, type: number, text: string): void {
  const d = batch.reserveData(4 + text.length * 3);
  const start = batch.dataOffset;
  d[start] = type & 0xff;
  d[start + 1] = type >> 8;
  d[start + 2] = 1;
  d[start + 3] = 0;
  const n = d.write(text, start + 4, 'utf8');
  batch.commitData(4 + n);
}
