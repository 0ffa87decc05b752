// Reads a scap savefile block by block from a ByteReader, never holding more than the block at
// hand (blocks of many MB are normal: a container-metadata event can be tens of MB). State blocks
// may come anywhere (a new section, a merged file), so every block type is handled wherever it is.
//
// Faults never throw past this reader. Those inside a sound block (an unknown event type, a
// parameter longer than its event, a corrupt process entry) become diagnostics and the reading goes
// on after the block; a stored value out of range (an fd or id beyond ±2^53) gives up only its
// entry or its value. Those that leave the next block unlocatable (a truncated block, a length of 0
// or past the end, a wrong trailer) stop the reading and are returned as the result's fault;
// everything before them has already been handed out. Errors of the byte source itself (a cut gzip stream, a
// cancel) propagate to the caller.

import { DiagnosticCap, type Diagnostic } from '../../../../common/diagnostics';
import type { ByteReader } from '../../../../parsers/source/byte-reader';
import { SCAP_BLOCK_TYPES as T, scapBlockName } from './block-types';
import { Bytes } from './bytes';
import { SCAP_DIAGNOSTICS as D, type ScapFaultName } from './diagnostics';
import { decodeEventBlock, EVENT_BLOCK, eventBlockShape, type ScapEvent } from './event';
import {
  BlockFault,
  decodeFdList,
  type OutOfRange,
  decodeIfList,
  decodeMachineInfo,
  decodeProcList,
  decodeUserList,
  type MachineInfo,
  type ScapFd,
  type ScapInterface,
  type ScapThread,
  type ScapUser,
} from './state-blocks';

export interface ScapHandlers {
  section?(h: { major: number; minor: number; littleEndian: boolean; offset: number }): void;
  machine?(mi: MachineInfo, offset: number): void;
  procList?(threads: ScapThread[], offset: number): void;
  fdList?(tid: number, fds: ScapFd[], offset: number): void;
  ifList?(ifs: ScapInterface[], offset: number): void;
  userList?(users: ScapUser[], offset: number): void;
  /** Called synchronously for each event; the event's bytes are only valid during the call. */
  event(ev: ScapEvent): void;
  /** A code of SCAP_DIAGNOSTICS (core/formats/scap/parser/diagnostics.ts). */
  diagnostic(offset: number | null, d: Diagnostic): void;
}

export interface ScapReadOptions {
  /** Blocks larger than this are skipped with a diagnostic instead of being read into memory. */
  maxBlockBytes?: number;
}

/** A fault that stopped the reading: where, what was expected there and what was found. */
export interface ScapFault {
  /** Its code in SCAP_DIAGNOSTICS. */
  name: ScapFaultName;
  offset: number;
  expected: string;
  found: string;
}

export interface ScapReadResult {
  bytes: number;
  events: number;
  /** Set when a fault stopped the reading before the end of the stream. */
  fault: ScapFault | null;
}

const SHB_MAGIC = 0x1a2b3c4d;
const READ_BYTES = 1 << 20;
const DEFAULT_MAX_BLOCK = 256 * 1024 * 1024;
/** Unknown event types are reported once per type, with a count at the end. */
const MAX_SAME_DIAGNOSTICS = 5;

// The diagnostics made for a block, as functions of their values rather than closures over the
// reading loop's variables (which would make the loop allocate a context for every block).
const unknownBlock = (type: number, length: number) => () => D.emit('unknown-block-type', { type: `0x${type.toString(16)}`, length });
const blockFault = (block: string, blockOffset: number, fault: string) => () => D.emit('block-fault', { block, blockOffset, fault });

export async function readScap(reader: ByteReader, h: ScapHandlers, options: ScapReadOptions = {}): Promise<ScapReadResult> {
  const maxBlock = options.maxBlockBytes ?? DEFAULT_MAX_BLOCK;
  const start = reader.offset;
  let buf: Uint8Array = new Uint8Array(0);
  let pos = 0;
  /** Stream offset of buf[0]. */
  let base = start;
  let le = true;
  let events = 0;
  let sawSection = false;
  const unknownTypes = new Map<number, number>();
  const faults = new DiagnosticCap(MAX_SAME_DIAGNOSTICS, (offset, d) => h.diagnostic(offset, d));

  /** Makes n bytes available at pos; false at the end of the stream. */
  const need = async (n: number): Promise<boolean> => {
    while (buf.length - pos < n) {
      const more = await reader.read(Math.max(READ_BYTES, n - (buf.length - pos)));
      if (more.length === 0) return false;
      const left = buf.length - pos;
      if (left === 0) buf = more;
      else {
        const joined = new Uint8Array(left + more.length);
        joined.set(buf.subarray(pos), 0);
        joined.set(more, left);
        buf = joined;
      }
      base += pos;
      pos = 0;
    }
    return true;
  };
  const at = () => base + pos;
  // The blocks of one buffer share one view of it (a view per block cost more than its reads).
  let shared = new Bytes(buf, le);
  const bytes = (): Bytes => (shared.buf === buf && shared.le === le ? shared : (shared = new Bytes(buf, le)));
  const bytesLeft = () => buf.length - pos;
  const finish = (fault: ScapFault | null): ScapReadResult => {
    for (const [type, n] of unknownTypes) if (n > 1) h.diagnostic(null, D.emit('unknown-event-type-count', { count: n, type }));
    for (const [kind, count] of faults.drainUnlisted()) h.diagnostic(null, D.emit('faults-not-listed', { count, kind }));
    return { bytes: at() - start, events, fault };
  };
  const stop = (name: ScapFaultName, offset: number, expected: string, found: string) => finish({ name, offset, expected, found });

  // The block being decoded, for outOfRange (one function for all blocks: a closure made per block
  // was garbage made per event).
  let reportAt = 0;
  let reportType = 0;
  const outOfRange = (f: OutOfRange) => {
    const blockOffset = reportAt;
    const type = reportType;
    const offset = blockOffset + 8 + f.at;
    const blockName = (type === T.SHB ? 'SHB' : scapBlockName(type)) ?? `block type 0x${type.toString(16)}`;
    faults.report(`${f.field} out of range`, offset, () => D.emit('value-out-of-range', { block: blockName, blockOffset, field: f.field, value: f.value, outcome: f.outcome }));
  };

  for (;;) {
    const blockOffset = at();
    // Awaited only when the buffer runs out: an await per block cost more than decoding the block.
    if (buf.length - pos < 8 && !(await need(8))) {
      if (bytesLeft() > 0) {
        const found = bytesLeft();
        pos = buf.length;
        return stop('block-truncated', blockOffset, 'a block header (8 bytes)', `${found} bytes and the end of the data (the capture is truncated)`);
      }
      if (!sawSection) return stop('no-section-header', blockOffset, 'a scap section header block', 'no data');
      return finish(null);
    }
    let hb = bytes();
    const type = hb.u32(pos);
    if (type === T.SHB) {
      // The section header says the byte order of everything after it, including its own length.
      if (!(await need(12))) return truncated(blockOffset, 'a section header block', 12);
      hb = new Bytes(buf, true);
      if (hb.u32(pos + 8) === SHB_MAGIC) le = true;
      else if (new Bytes(buf, false).u32(pos + 8) === SHB_MAGIC) le = false;
      else return stop('bad-byte-order', blockOffset + 8, 'the byte-order magic 0x1a2b3c4d', `0x${hb.u32(pos + 8).toString(16)}`);
      hb = new Bytes(buf, le);
    } else if (!sawSection) {
      return stop('no-section-header', blockOffset, 'a section header block (type 0x0a0d0d0a)', `block type 0x${type.toString(16)}`);
    }
    const length = hb.u32(pos + 4);
    if (length < 12) {
      const name = type === T.SHB ? 'SHB' : scapBlockName(type);
      return stop('bad-block-length', blockOffset + 4, `a block length of at least 12 for this ${name ?? `block of type 0x${type.toString(16)}`}`, `${length} (nothing after it can be located)`);
    }
    if (length > maxBlock) {
      // Skipped unread so memory stays bounded; a length this big usually means a corrupt header.
      const name = type === T.SHB ? 'SHB' : scapBlockName(type);
      h.diagnostic(blockOffset + 4, D.emit('block-too-large', { block: name ?? `block type 0x${type.toString(16)}`, length, max: maxBlock }));
      const inBuf = Math.min(bytesLeft(), length);
      pos += inBuf;
      const skipped = await reader.skip(length - inBuf);
      base += skipped;
      if (inBuf + skipped < length) return truncated(blockOffset, `the ${length} bytes of this block`, length, inBuf + skipped);
      continue;
    }
    if (bytesLeft() < length && !(await need(length))) return truncated(blockOffset, `the ${length} bytes of this ${(type === T.SHB ? 'SHB' : scapBlockName(type)) ?? 'block'}`, length, bytesLeft());
    const b = bytes();
    const trailer = b.u32(pos + length - 4);
    if (trailer !== length) {
      const name = type === T.SHB ? 'SHB' : scapBlockName(type);
      return stop('bad-trailer', blockOffset + length - 4, `the trailing length ${length} of the ${name ?? 'block'} that starts at byte ${blockOffset}`, `${trailer} (the blocks after it cannot be located)`);
    }
    const bodyAt = pos + 8;
    const bodyEnd = pos + length - 4;
    pos += length;
    reportAt = blockOffset;
    reportType = type;
    try {
      if (eventBlockShape(type) & EVENT_BLOCK) {
        const decoded = decodeEventBlock(b, bodyAt, bodyEnd, type, events + 1, blockOffset, outOfRange);
        if (typeof decoded !== 'number') {
          events++;
          h.event(decoded);
        } else {
          const n = (unknownTypes.get(decoded) ?? 0) + 1;
          unknownTypes.set(decoded, n);
          if (n === 1) h.diagnostic(blockOffset, D.emit('unknown-event-type', { type: decoded }));
        }
        continue;
      }
      const name = type === T.SHB ? 'SHB' : scapBlockName(type);
      const bb = new Bytes(buf.subarray(bodyAt, bodyEnd), le);
      try {
        if (type === T.SHB) {
          if (bodyEnd - bodyAt < 16) throw new BlockFault(0, `expected a section header body of 16 bytes, found ${bodyEnd - bodyAt}`);
          sawSection = true;
          h.section?.({ major: bb.u16(4), minor: bb.u16(6), littleEndian: le, offset: blockOffset });
          continue;
        }
        switch (name) {
          case 'MI':
          case 'MI_INT':
            h.machine?.(decodeMachineInfo(bb, outOfRange), blockOffset);
            break;
          case 'PL_V1': case 'PL_V1_INT': case 'PL_V2': case 'PL_V2_INT': case 'PL_V3': case 'PL_V3_INT':
          case 'PL_V4': case 'PL_V5': case 'PL_V6': case 'PL_V7': case 'PL_V8': case 'PL_V9':
            h.procList?.(decodeProcList(bb, type, outOfRange), blockOffset);
            break;
          case 'FDL':
          case 'FDL_INT':
          case 'FDL_V2': {
            const list = decodeFdList(bb, type, outOfRange);
            if (list) h.fdList?.(list.tid, list.fds, blockOffset);
            break;
          }
          case 'IL':
          case 'IL_INT':
          case 'IL_V2':
            h.ifList?.(decodeIfList(bb, type), blockOffset);
            break;
          case 'UL':
          case 'UL_INT':
          case 'UL_V2':
            h.userList?.(decodeUserList(bb, type), blockOffset);
            break;
          default:
            faults.report(`unknown block type 0x${type.toString(16)}`, blockOffset, unknownBlock(type, length));
        }
      } catch (err) {
        if (err instanceof BlockFault) (err as BlockFault & { block?: string }).block = name;
        throw err;
      }
    } catch (err) {
      if (!(err instanceof BlockFault)) throw err;
      // The block's own length is sound (its trailer matched), so reading goes on after it.
      const name = (err as BlockFault & { block?: string }).block ?? (type === T.SHB ? 'SHB' : scapBlockName(type)) ?? 'block';
      faults.report(`${name} fault`, blockOffset + 8 + err.at, blockFault(name, blockOffset, err.message));
    }
  }

  function truncated(blockOffset: number, expected: string, length: number, found = bytesLeft()): ScapReadResult {
    pos = buf.length;
    return stop('block-truncated', blockOffset, `${expected} (${length} bytes from byte ${blockOffset})`, `${found} bytes and the end of the data (the capture is truncated)`);
  }
}
