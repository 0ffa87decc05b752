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
}

/**
 * The slice's bytes, block by block. `wanted` yields event block offsets in ascending order; the
 * walk stops at the end of the file or at a block it cannot frame (an error naming its offset).
 */
export async function* scapSlice(reader: ByteReader, wanted: Iterator<number>, count: SliceCount): AsyncGenerator<Uint8Array> {
  let next = wanted.next();
  let littleEndian = true;
  while (!(await reader.atEnd())) {
    const at = reader.offset;
    const head = await reader.peek(12);
    if (head.length < 8) throw new Error(`a block header at byte ${at} (8 bytes), found ${head.length}`);
    const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const typeLe = v.getUint32(0, true);
    if (typeLe === T.SHB && head.length >= 12) littleEndian = v.getUint32(8, true) === SHB_MAGIC;
    const type = v.getUint32(0, littleEndian);
    const length = v.getUint32(4, littleEndian);
    if (length < 12 || length % 4 !== 0) throw new Error(`a block length at byte ${at + 4} (a multiple of 4, at least 12), found ${length}`);
    if (EVENT_BLOCKS.has(type)) {
      while (!next.done && next.value < at) next = wanted.next();
      if (next.done || next.value !== at) {
        if ((await reader.skip(length)) !== length) throw new Error(`the ${length} bytes of the event block at byte ${at}: the file ends first`);
        continue;
      }
      count.events++;
    }
    const bytes = (await reader.read(length)).slice();
    if (bytes.length !== length) throw new Error(`the ${length} bytes of the block at byte ${at}: the file ends first`);
    count.bytes += length;
    yield bytes;
  }
}
