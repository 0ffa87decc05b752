// Reads chosen packet records back out of a capture's uncompressed bytes, by the file offsets the
// index kept (packets.file_offset: a pcap record header, or a pcapng packet block): one forward
// pass, skipping what lies between, so a gzip'd capture costs one decompression.

import type { ByteReader } from '../../../../parsers/source/byte-reader';

export interface PacketRef {
  fileOffset: number;
  capLen: number;
}

/** Bytes before a record's data: pcap's record header; pcapng's packet block head by block type. */
function dataStart(format: 'pcap' | 'pcapng', head: Uint8Array): number {
  if (format === 'pcap') return 16;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  // The block type in the section's byte order: 3 (simple packet) either way round, else 28
  // (enhanced packet, 6, and the obsolete packet block, 2, have the same head).
  const type = v.getUint32(0, true);
  return type === 3 || type === 0x03000000 ? 12 : 28;
}

/**
 * The captured bytes of each packet, in file order (refs sorted by offset). Throws with the offset
 * when the file no longer holds a record where the index said.
 */
export async function* packetData(reader: ByteReader, format: 'pcap' | 'pcapng', refs: Iterable<PacketRef>): AsyncGenerator<Uint8Array> {
  for (const ref of refs) {
    if (ref.fileOffset < reader.offset) throw new Error(`packet records out of file order at byte ${ref.fileOffset}`);
    await reader.skip(ref.fileOffset - reader.offset);
    if (reader.offset !== ref.fileOffset) throw new Error(`the file ends at byte ${reader.offset}, before the packet record at byte ${ref.fileOffset}`);
    const head = await reader.peek(28);
    const start = dataStart(format, head);
    await reader.skip(start);
    const data = await reader.read(ref.capLen);
    if (data.length !== ref.capLen) throw new Error(`the packet record at byte ${ref.fileOffset} is cut short: ${data.length} of ${ref.capLen} bytes`);
    yield data;
  }
}
