// A slice of a syscall capture that sysdig reads: every block of the original but the event blocks
// verbatim (the section header, machine info, process, fd, interface and user lists: the state the
// events are read against), then only the chosen event blocks, in their order, byte for byte. The
// chosen ones are named by the offsets the index kept (events.file_offset).

import type { ByteReader } from '../../../../parsers/source/byte-reader';
import { SCAP_BLOCK_TYPES as T } from '../parser/block-types';

const EVENT_BLOCKS = new Set<number>([T.EV, T.EV_INT, T.EV_V2, T.EV_V2_LARGE, T.EVF, T.EVF_V2, T.EVF_V2_LARGE]);
const SHB_MAGIC = 0x1a2b3c4d;

export interface SliceCount {
  events: number;
  bytes: number;
  /** Where the original stopped being readable (a cut or damaged tail), if it did: the slice ends there, as the index did. */
  stoppedAt?: { offset: number; why: string };
}

/**
 * The slice's bytes, block by block. `wanted` yields event block offsets in ascending order. The
 * walk ends at the end of the file, or where a block cannot be framed or read whole (a capture
 * cut short): the slice then holds what came before, and `count.stoppedAt` says where and why.
 */
export async function* scapSlice(reader: ByteReader, wanted: Iterator<number>, count: SliceCount): AsyncGenerator<Uint8Array> {
  let next = wanted.next();
  let littleEndian = true;
  const stop = (offset: number, why: string) => {
    count.stoppedAt = { offset, why };
  };
  for (;;) {
    const at = reader.offset;
    let head: Uint8Array;
    try {
      if (await reader.atEnd()) return;
      head = await reader.peek(12);
    } catch (err) {
      return stop(at, err instanceof Error ? err.message : String(err));
    }
    if (head.length < 8) return stop(at, `a block header (8 bytes), found ${head.length}`);
    const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const typeLe = v.getUint32(0, true);
    if (typeLe === T.SHB && head.length >= 12) littleEndian = v.getUint32(8, true) === SHB_MAGIC;
    const type = v.getUint32(0, littleEndian);
    const length = v.getUint32(4, littleEndian);
    if (length < 12 || length % 4 !== 0) return stop(at + 4, `a block length (a multiple of 4, at least 12), found ${length}`);
    let keep = true;
    if (EVENT_BLOCKS.has(type)) {
      while (!next.done && next.value < at) next = wanted.next();
      keep = !next.done && next.value === at;
    }
    let bytes: Uint8Array | null = null;
    try {
      if (keep) bytes = (await reader.read(length)).slice();
      else if ((await reader.skip(length)) !== length) return stop(at, `the ${length} bytes of its block: the file ends first`);
    } catch (err) {
      return stop(at, err instanceof Error ? err.message : String(err));
    }
    if (bytes === null) continue;
    if (bytes.length !== length) return stop(at, `the ${length} bytes of its block: the file ends first`);
    if (EVENT_BLOCKS.has(type)) count.events++;
    count.bytes += length;
    yield bytes;
  }
}
