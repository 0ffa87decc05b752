// Is this a packet capture? Classic pcap by its magic (four byte-order / resolution variants), or
// pcapng by a section header followed by a pcapng block. The format's two variants are named apart
// ('pcap', 'pcapng'): that is what `capscope info` and the sources table report.

import type { FormatSniffer } from '../../../../parsers/source/format-sniffer';
import { isSectionHeader, readSectionHeader, unclaimedSectionHeader } from '../../../../parsers/source/section-header';
import { isPcapngBlockType, PCAP_GLOBAL_HEADER_BYTES, PCAP_KUZNETZOV_MAGICS, PCAP_MAGICS } from './magic';

export const sniffPacketCapture: FormatSniffer = (prefix, complete) => {
  const header = readSectionHeader(prefix, complete);
  if (header !== null) {
    if (!isSectionHeader(header)) return header;
    // A section header alone is pcapng's own empty section (scap's readers want state blocks after it).
    if (header.nextBlockType !== null && !isPcapngBlockType(header.nextBlockType)) return unclaimedSectionHeader(header);
    return { kind: 'evidence', format: 'pcapng', detail: `pcapng ${header.major}.${header.minor}, ${header.littleEndian ? 'little' : 'big'}-endian` };
  }
  for (const m of PCAP_MAGICS) {
    if (!startsWith(prefix, m.bytes)) continue;
    if (prefix.length < PCAP_GLOBAL_HEADER_BYTES && !complete) return { kind: 'need-more', bytes: PCAP_GLOBAL_HEADER_BYTES };
    if (prefix.length < PCAP_GLOBAL_HEADER_BYTES) {
      return { kind: 'rejected', found: `a pcap header cut short (${prefix.length} of ${PCAP_GLOBAL_HEADER_BYTES} bytes)` };
    }
    const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    const major = view.getUint16(4, m.littleEndian);
    const minor = view.getUint16(6, m.littleEndian);
    const linkType = view.getUint32(20, m.littleEndian) & 0x0fffffff;
    const detail = `pcap ${major}.${minor}, ${m.littleEndian ? 'little' : 'big'}-endian, ${m.nanoseconds ? 'nanosecond' : 'microsecond'} timestamps, link type ${linkType}`;
    return { kind: 'evidence', format: 'pcap', detail };
  }
  if (PCAP_KUZNETZOV_MAGICS.some((m) => startsWith(prefix, m))) {
    return { kind: 'rejected', found: "a modified (Kuznetzov) pcap file, which capscope does not read: convert it with 'editcap -F pcap'" };
  }
  return null;
};

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}
