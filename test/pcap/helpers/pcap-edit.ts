// Reads and writes classic little-endian pcap files record by record, to make the hard cases out of
// real captures: drop, swap, duplicate and cut packets, rewrite TCP sequence numbers. Written
// independently of capscope's reader so that a bug there cannot hide here; tshark judges the result.

import fs from 'node:fs';

export interface PcapRecord {
  sec: number;
  frac: number;
  origLen: number;
  data: Buffer;
}

export interface PcapFile {
  header: Buffer;
  records: PcapRecord[];
}

export function readPcapFile(file: string): PcapFile {
  const buf = fs.readFileSync(file);
  if (buf.readUInt32LE(0) !== 0xa1b2c3d4 && buf.readUInt32LE(0) !== 0xa1b23c4d) throw new Error(`${file}: not a little-endian pcap`);
  const records: PcapRecord[] = [];
  let at = 24;
  while (at + 16 <= buf.length) {
    const capLen = buf.readUInt32LE(at + 8);
    records.push({ sec: buf.readUInt32LE(at), frac: buf.readUInt32LE(at + 4), origLen: buf.readUInt32LE(at + 12), data: Buffer.from(buf.subarray(at + 16, at + 16 + capLen)) });
    at += 16 + capLen;
  }
  return { header: Buffer.from(buf.subarray(0, 24)), records };
}

export function pcapBytes(p: PcapFile): Buffer {
  const parts: Buffer[] = [p.header];
  for (const r of p.records) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(r.sec, 0);
    h.writeUInt32LE(r.frac, 4);
    h.writeUInt32LE(r.data.length, 8);
    h.writeUInt32LE(r.origLen, 12);
    parts.push(h, r.data);
  }
  return Buffer.concat(parts);
}

export function writePcapFile(file: string, p: PcapFile): void {
  fs.writeFileSync(file, pcapBytes(p));
}

/** TCP fields of an Ethernet + IPv4 frame (what tcpdump writes on lo), or null for anything else. */
export interface TcpView {
  tcpAt: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payloadLength: number;
}

export function tcpOf(r: PcapRecord): TcpView | null {
  const d = r.data;
  if (d.length < 34 || d.readUInt16BE(12) !== 0x0800 || d[23] !== 6) return null;
  const ihl = (d[14]! & 0x0f) * 4;
  const tcpAt = 14 + ihl;
  const totalLength = d.readUInt16BE(16);
  const hl = (d[tcpAt + 12]! >> 4) * 4;
  return {
    tcpAt,
    srcPort: d.readUInt16BE(tcpAt),
    dstPort: d.readUInt16BE(tcpAt + 2),
    seq: d.readUInt32BE(tcpAt + 4),
    ack: d.readUInt32BE(tcpAt + 8),
    flags: d[tcpAt + 13]!,
    payloadLength: totalLength - ihl - hl,
  };
}

/** Adds `delta` (mod 2^32) to the sequence numbers sent by `port` and to the acks sent to it. */
export function shiftSequence(p: PcapFile, port: number, delta: number): void {
  for (const r of p.records) {
    const t = tcpOf(r);
    if (!t) continue;
    if (t.srcPort === port) r.data.writeUInt32BE((t.seq + delta) >>> 0, t.tcpAt + 4);
    if (t.dstPort === port && t.flags & 0x10) r.data.writeUInt32BE((t.ack + delta) >>> 0, t.tcpAt + 8);
  }
}
