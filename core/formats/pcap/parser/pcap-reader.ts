// Classic pcap (libpcap 2.4): a 24-byte file header, then records of a 16-byte header and the
// captured bytes. All four magic variants: micro- or nanosecond timestamps, either byte order.
//
// This replaces the `pcap-parser` package the product design named: that package knows neither the
// nanosecond magic nor truncated files, and pushes events without backpressure (see
// docs/benchmarks.md for the measured difference on the same file).

import { ByteWindow } from './byte-window';
import { CaptureFault } from './capture-fault';
import { PCAP_DIAGNOSTICS as D } from './diagnostics';
import { PCAP_GLOBAL_HEADER_BYTES, PCAP_MAGICS } from './magic';
import { MAX_PACKET_BYTES, MAX_RECORD_BYTES, type CapturedPacket, type CaptureVisitor } from './packet';
import type { ByteReader } from '../../../../parsers/source/byte-reader';

const RECORD_HEADER_BYTES = 16;

export interface PcapHeader {
  littleEndian: boolean;
  nanoseconds: boolean;
  snapLen: number;
  linkType: number;
}

export function parsePcapHeader(head: Uint8Array): PcapHeader | null {
  if (head.length < PCAP_GLOBAL_HEADER_BYTES) return null;
  const magic = PCAP_MAGICS.find((m) => m.bytes.every((b, i) => head[i] === b));
  if (!magic) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const le = magic.littleEndian;
  // The top bits of the link-type field carry FCS information (pcap spec); the type is the low 16.
  return { littleEndian: le, nanoseconds: magic.nanoseconds, snapLen: view.getUint32(16, le), linkType: view.getUint32(20, le) & 0xffff };
}

/** Reads every record, calling the visitor; throws a CaptureFault where the file stops making sense. */
export async function readPcap(reader: ByteReader, visit: CaptureVisitor): Promise<PcapHeader> {
  const win = new ByteWindow(reader);
  if (!(await win.ensure(PCAP_GLOBAL_HEADER_BYTES))) throw new CaptureFault('capture-truncated', 0, `a ${PCAP_GLOBAL_HEADER_BYTES}-byte pcap file header`, `${win.available} bytes`);
  const header = parsePcapHeader(win.buf.subarray(win.pos, win.pos + PCAP_GLOBAL_HEADER_BYTES));
  if (!header) throw new CaptureFault('bad-magic', 0, 'a pcap magic number', 'something else');
  win.pos += PCAP_GLOBAL_HEADER_BYTES;
  visit.interface({ id: 0, linkType: header.linkType, snapLen: header.snapLen, name: null, unitsPerSecond: header.nanoseconds ? 1_000_000_000n : 1_000_000n, offsetSeconds: 0n, comments: [] });

  const le = header.littleEndian;
  const fracToNs = header.nanoseconds ? 1 : 1000;
  // A caplen above this is a corrupt record header, not a packet; between the snapshot length and
  // this it is merely odd (some writers leave snaplen 0 or too small) and the packet is kept.
  const sane = Math.min(MAX_RECORD_BYTES, Math.max(header.snapLen, MAX_PACKET_BYTES));
  let overSnap = 0;
  let firstOverSnap = -1;
  let frame = 0;
  let view = new DataView(win.buf.buffer, win.buf.byteOffset, win.buf.byteLength);
  const packet: CapturedPacket = { frame: 0, offset: 0, dataOffset: 0, tsSec: 0, tsNsec: 0, linkType: header.linkType, interfaceId: 0, data: win.buf, origLen: 0, comments: null };

  for (;;) {
    if (win.available < RECORD_HEADER_BYTES) {
      const buf = win.buf;
      const got = await win.ensure(RECORD_HEADER_BYTES);
      if (win.buf !== buf) view = new DataView(win.buf.buffer, win.buf.byteOffset, win.buf.byteLength);
      if (!got) {
        if (win.available === 0) break;
        throw new CaptureFault('capture-truncated', win.offset, `a ${RECORD_HEADER_BYTES}-byte packet record header`, `the end of the data after ${win.available} bytes (the file is cut short)`);
      }
    }
    const at = win.pos;
    const recordOffset = win.offset;
    const capLen = view.getUint32(at + 8, le);
    const origLen = view.getUint32(at + 12, le);
    if (capLen > sane) {
      throw new CaptureFault('bad-record-length', recordOffset, `a packet record of at most ${sane} bytes (snapshot length ${header.snapLen})`, `a captured length of ${capLen} (a corrupt record header)`);
    }
    if (capLen > header.snapLen && header.snapLen > 0) {
      if (overSnap++ === 0) firstOverSnap = recordOffset;
    }
    if (win.available < RECORD_HEADER_BYTES + capLen) {
      const buf = win.buf;
      const got = await win.ensure(RECORD_HEADER_BYTES + capLen);
      if (win.buf !== buf) view = new DataView(win.buf.buffer, win.buf.byteOffset, win.buf.byteLength);
      if (!got) {
        throw new CaptureFault('capture-truncated', recordOffset, `${capLen} bytes of packet data after the record header`, `${win.available - RECORD_HEADER_BYTES} (the last packet is cut short)`);
      }
    }
    const p = win.pos;
    const frac = view.getUint32(p + 4, le) * fracToNs;
    packet.frame = ++frame;
    packet.offset = recordOffset;
    packet.dataOffset = recordOffset + RECORD_HEADER_BYTES;
    packet.tsSec = view.getUint32(p, le) + (frac >= 1e9 ? Math.floor(frac / 1e9) : 0);
    packet.tsNsec = frac >= 1e9 ? frac % 1e9 : frac;
    packet.origLen = origLen;
    packet.data = win.buf.subarray(p + RECORD_HEADER_BYTES, p + RECORD_HEADER_BYTES + capLen);
    win.pos = p + RECORD_HEADER_BYTES + capLen;
    visit.packet(packet);
  }
  if (overSnap > 0) {
    visit.diagnostic({ offset: firstOverSnap, ...D.emit('record-over-snaplen', { snapLen: header.snapLen, count: overSnap }) });
  }
  return header;
}
