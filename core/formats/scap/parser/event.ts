// One event block → one event: the header (time, thread, type), and where each parameter's bytes
// are. Values are decoded on demand (params.ts), so that events nobody looks at cost little.
//
// Block layouts (libscap scap_savefile.c): u16 cpu id, then u32 flags for the EVF blocks, then
// the event header {u64 ts, u64 tid, u32 len, u16 type, u32 nparams}, without nparams in the V1
// blocks (EV, EV_INT, EVF), then one length per parameter (u32 for events whose table entry says
// LARGE_PAYLOAD, else u16), then the parameter bytes. `len` counts from the header's first byte.

import { SCAP_BLOCK_TYPES as T } from './block-types';
import type { Bytes } from './bytes';
import { BlockFault, OUT_OF_RANGE_OUTCOME, type OutOfRangeSink } from './state-blocks';
import { EF, EVENT_TYPE_COUNT, eventInfo, PPME, type EventInfo } from './event-table';

/** An event as the reader hands it to its handler: valid only during the call (the object, its arrays and its bytes are the next event's after it). */
export interface ScapEvent {
  /** 1-based number among the events of the file (as sysdig numbers them). */
  num: number;
  /** Offset of the event's block in the uncompressed stream. */
  offset: number;
  cpu: number;
  /** EVF flags (0 for blocks without flags). */
  flags: number;
  /** ns since the epoch. */
  ts: bigint;
  tid: number;
  type: number;
  info: EventInfo;
  /** The bytes the event lives in (valid only during the handler call). */
  b: Bytes;
  /** Offsets (in b.buf) and lengths of the parameters. */
  paramAt: number[];
  paramLen: number[];
}

export const EVENT_BLOCK_TYPES = new Set<number>([T.EV, T.EV_INT, T.EV_V2, T.EV_V2_LARGE, T.EVF, T.EVF_V2, T.EVF_V2_LARGE]);

/** What a block type says of its event: EVENT_BLOCK (an event block at all), V2 (a parameter count), FLAGS (EVF flags). */
export const EVENT_BLOCK = 1;
const V2 = 2;
const FLAGS = 4;
/** By a switch: read per block, where Set lookups cost more. */
export function eventBlockShape(blockType: number): number {
  switch (blockType) {
    case T.EV: case T.EV_INT: return EVENT_BLOCK;
    case T.EV_V2: case T.EV_V2_LARGE: return EVENT_BLOCK | V2;
    case T.EVF: return EVENT_BLOCK | FLAGS;
    case T.EVF_V2: case T.EVF_V2_LARGE: return EVENT_BLOCK | V2 | FLAGS;
    default: return 0;
  }
}


/**
 * The event decoded last: one object filled again for each event, as its param arrays are (a
 * handler that keeps an event copies it).
 */
const EVENT: ScapEvent = { num: 0, offset: 0, cpu: 0, flags: 0, ts: 0n, tid: 0, type: 0, info: undefined as unknown as EventInfo, b: undefined as unknown as Bytes, paramAt: [], paramLen: [] };

/** The event (valid until the next is decoded), or the number of an event type the table does not know. */
export type DecodedEvent = ScapEvent | number;

/**
 * Per parameter count, the arrays of the event being decoded: an event is only valid during the
 * reader's call of its handler (its bytes are the reader's buffer), so its offsets and lengths are
 * written into the same arrays each time rather than into two new ones (a capture has millions of
 * events: their garbage was a tenth of the ingest's time). A handler that keeps an event copies it.
 */
const PARAM_ARRAYS: { at: number[]; len: number[] }[] = [];
function paramArrays(n: number): { at: number[]; len: number[] } {
  let a = PARAM_ARRAYS[n];
  if (a === undefined) {
    a = { at: new Array<number>(n).fill(0), len: new Array<number>(n).fill(0) };
    if (n < 4096) PARAM_ARRAYS[n] = a;
  }
  return a;
}

/** 2^63: a time at or past it does not fit the index's signed 64-bit integers. */
const TIME_LIMIT = 1n << 63n;

/**
 * Per event type, the parameters whose value the index stores as an integer (fds, pids and results,
 * read signed): each is checked as the event is read, so that one beyond ±2^53 is reported here
 * rather than rounded (paramInt gives undefined for it: unknown).
 */
const STORED_PARAMS: readonly (readonly number[])[] = Array.from({ length: EVENT_TYPE_COUNT }, (_, type) =>
  (eventInfo(type)?.params ?? []).flatMap((p, i) => (p.type === 'FD' || p.type === 'PID' || p.type === 'ERRNO' || (i === 0 && p.name === 'res') ? [i] : [])),
);

/**
 * Decodes the event block whose body is b.buf[body, end); offsets in the event are absolute in
 * b.buf (the reader's buffer: no copy). Throws BlockFault (offset relative to the body) when the
 * lengths do not add up, or the thread id or time is out of range (the event cannot be placed);
 * reports a stored parameter out of range to `report` (offset relative to the body) and goes on.
 */
export function decodeEventBlock(b: Bytes, body: number, end: number, blockType: number, num: number, offset: number, report: OutOfRangeSink): DecodedEvent {
  const shape = eventBlockShape(blockType);
  const v2 = (shape & V2) !== 0;
  const hasFlags = (shape & FLAGS) !== 0;
  const hdrAt = body + 2 + (hasFlags ? 4 : 0);
  const hdrLen = v2 ? 26 : 22;
  if (end - body < hdrAt - body + hdrLen) throw new BlockFault(0, `expected an event header of ${hdrAt - body + hdrLen} bytes, found a block body of ${end - body}`);
  const cpu = b.u16(body);
  const flags = hasFlags ? b.u32(body + 2) : 0;
  let len = b.u32(hdrAt + 16);
  const type = b.u16(hdrAt + 20);
  const info = eventInfo(type);
  if (!info) return type;
  // Old captures wrote wrong lengths for these two (libscap corrects them the same way).
  if (!v2 && (type === PPME.NOTIFICATION_E || type === PPME.INFRASTRUCTURE_EVENT_E)) len -= 3;
  const evEnd = hdrAt + len;
  if (len < hdrLen || evEnd > end) throw new BlockFault(hdrAt + 16 - body, `expected an event length between ${hdrLen} and ${end - hdrAt} (the block's room), found ${len}`);
  const lenSize = info.flags & EF.LARGE_PAYLOAD ? 4 : 2;
  const lensAt = hdrAt + hdrLen;
  let nparams: number;
  if (v2) {
    nparams = b.u32(hdrAt + 22);
    if (lensAt + nparams * lenSize > evEnd) throw new BlockFault(hdrAt + 22 - body, `expected at most ${Math.floor((evEnd - lensAt) / lenSize)} parameters for the event's length, found ${nparams}`);
  } else {
    nparams = inferParamCount(b, lensAt, evEnd, lenSize, info.params.length, body);
  }
  const arrays = paramArrays(nparams);
  const paramAt = arrays.at;
  const paramLen = arrays.len;
  let at = lensAt + nparams * lenSize;
  for (let i = 0; i < nparams; i++) {
    const l = lenSize === 2 ? b.u16(lensAt + i * 2) : b.u32(lensAt + i * 4);
    if (at + l > evEnd) throw new BlockFault(lensAt + i * lenSize - body, `expected parameter ${i + 1} (${info.params[i]?.name ?? '?'}) of ${info.name} to fit in the event (${evEnd - at} bytes left), found a length of ${l}`);
    paramAt[i] = at;
    paramLen[i] = l;
    at += l;
  }
  const ts = b.u64(hdrAt);
  if (ts >= TIME_LIMIT) throw new BlockFault(hdrAt - body, `expected a time below 2^63 ns, found ${ts}`);
  const tid = b.exact64(hdrAt + 8, true);
  if (tid === null) throw new BlockFault(hdrAt + 8 - body, `expected a thread id within ±2^53, found ${b.i64(hdrAt + 8)}`);
  for (const i of STORED_PARAMS[type]!) {
    if (i >= nparams || paramLen[i] !== 8 || b.exact64(paramAt[i]!, true) !== null) continue;
    report({ at: paramAt[i]! - body, field: `${info.name} ${info.params[i]!.name}`, value: String(b.i64(paramAt[i]!)), outcome: OUT_OF_RANGE_OUTCOME.unknown });
  }
  const ev = EVENT;
  ev.num = num;
  ev.offset = offset;
  ev.cpu = cpu;
  ev.flags = flags;
  ev.ts = ts;
  ev.tid = tid;
  ev.type = type;
  ev.info = info;
  ev.b = b;
  ev.paramAt = paramAt;
  ev.paramLen = paramLen;
  return ev;
}

/**
 * V1 events carry no parameter count. Like libscap, start from the table's count and take the
 * largest count whose lengths add up exactly to the event's length.
 */
function inferParamCount(b: Bytes, lensAt: number, end: number, lenSize: number, tableCount: number, body: number): number {
  for (let n = tableCount; n >= 0; n--) {
    let at = lensAt + n * lenSize;
    if (at > end) continue;
    for (let i = 0; i < n; i++) at += lenSize === 2 ? b.u16(lensAt + i * 2) : b.u32(lensAt + i * 4);
    if (at === end) return n;
    if (at < end) break;
  }
  throw new BlockFault(lensAt - body, `expected parameter lengths that add up to the event's length (a V1 event has no parameter count), found none that do`);
}
