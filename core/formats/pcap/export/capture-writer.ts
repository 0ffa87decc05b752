// Writes packets back out as a capture file Wireshark, tshark and tcpdump open: classic pcap with
// nanosecond timestamps (one link type for the whole file), or pcapng with one interface
// description per interface the packets came from (if_tsresol 9: nanoseconds). The packets'
// bytes are the captured bytes of the original records, unchanged.

/** A packet to write: its interface (in the interfaces list), time, captured bytes, wire length. */
export interface PacketOut {
  interfaceIndex: number;
  tsNs: bigint;
  data: Uint8Array;
  origLen: number;
}

export interface InterfaceOut {
  linkType: number;
  snapLen: number;
  name: string | null;
}

const NS_PCAP_MAGIC = 0xa1b23c4d;

/** The pcap global header: version 2.4, nanosecond timestamps, this link type and snapshot length. */
export function pcapHeader(linkType: number, snapLen: number): Uint8Array {
  const b = new DataView(new ArrayBuffer(24));
  b.setUint32(0, NS_PCAP_MAGIC, true);
  b.setUint16(4, 2, true);
  b.setUint16(6, 4, true);
  b.setInt32(8, 0, true);
  b.setUint32(12, 0, true);
  b.setUint32(16, snapLen >>> 0, true);
  b.setUint32(20, linkType >>> 0, true);
  return new Uint8Array(b.buffer);
}

export function pcapRecord(p: PacketOut): Uint8Array {
  const out = new Uint8Array(16 + p.data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, Number(p.tsNs / 1_000_000_000n), true);
  v.setUint32(4, Number(p.tsNs % 1_000_000_000n), true);
  v.setUint32(8, p.data.length, true);
  v.setUint32(12, p.origLen, true);
  out.set(p.data, 16);
  return out;
}

const pad4 = (n: number) => (n + 3) & ~3;
const encoder = new TextEncoder();

/** A pcapng block: type, total length, body (padded to 4 bytes), total length again. */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  out.set(body, 8);
  v.setUint32(total - 4, total, true);
  return out;
}

function options(list: { code: number; value: Uint8Array }[]): Uint8Array {
  const size = list.reduce((n, o) => n + 4 + pad4(o.value.length), 0) + 4;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  let at = 0;
  for (const o of list) {
    v.setUint16(at, o.code, true);
    v.setUint16(at + 2, o.value.length, true);
    out.set(o.value, at + 4);
    at += 4 + pad4(o.value.length);
  }
  // opt_endofopt: code 0, length 0 (the last four bytes, already zero).
  return out;
}

/** A section header block (little-endian, version 1.0, length unknown) naming the writer. */
export function pcapngSectionHeader(): Uint8Array {
  const head = new Uint8Array(16);
  const v = new DataView(head.buffer);
  v.setUint32(0, 0x1a2b3c4d, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 0, true);
  v.setBigInt64(8, -1n, true);
  const opts = options([{ code: 4, value: encoder.encode('capscope') }]);
  return block(0x0a0d0d0a, concat([head, opts]));
}

/** An interface description block with nanosecond timestamps (if_tsresol = 9). */
export function pcapngInterface(i: InterfaceOut): Uint8Array {
  const head = new Uint8Array(8);
  const v = new DataView(head.buffer);
  v.setUint16(0, i.linkType, true);
  v.setUint32(4, i.snapLen >>> 0, true);
  const list = [{ code: 9, value: Uint8Array.of(9) }];
  if (i.name) list.unshift({ code: 2, value: encoder.encode(i.name) });
  return block(0x00000001, concat([head, options(list)]));
}

/** An enhanced packet block. */
export function pcapngPacket(p: PacketOut): Uint8Array {
  const body = new Uint8Array(20 + pad4(p.data.length));
  const v = new DataView(body.buffer);
  v.setUint32(0, p.interfaceIndex, true);
  v.setUint32(4, Number(p.tsNs >> 32n), true);
  v.setUint32(8, Number(p.tsNs & 0xffffffffn), true);
  v.setUint32(12, p.data.length, true);
  v.setUint32(16, p.origLen, true);
  body.set(p.data, 20);
  return block(0x00000006, body);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
