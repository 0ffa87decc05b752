// Builders for hand-made captures: IPv4/IPv6 + TCP packets (fragmented if asked), link headers,
// and pcap / pcapng files laid out from their specifications. Checksums are left zero: tshark does
// not verify them unless asked, and neither does capscope.

export interface TcpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: number;
  payload?: Buffer;
}

export const SYN = 0x02;
export const ACK = 0x10;
export const FIN = 0x01;
export const PSH = 0x08;

function v4(addr: string): Buffer {
  return Buffer.from(addr.split('.').map(Number));
}

function v6(addr: string): Buffer {
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  words.forEach((w, i) => b.writeUInt16BE(parseInt(w, 16), i * 2));
  return b;
}

export function tcpSegment(s: TcpSpec): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(s.sport, 0);
  h.writeUInt16BE(s.dport, 2);
  h.writeUInt32BE(s.seq >>> 0, 4);
  h.writeUInt32BE((s.ack ?? 0) >>> 0, 8);
  h[12] = 5 << 4;
  h[13] = s.flags;
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, s.payload ?? Buffer.alloc(0)]);
}

/** IPv4 packets carrying `l4`; split into fragments of `fragmentBytes` (a multiple of 8) if given. */
export function ipv4(src: string, dst: string, protocol: number, l4: Buffer, opts: { id?: number; fragmentBytes?: number } = {}): Buffer[] {
  const size = opts.fragmentBytes ?? l4.length;
  const out: Buffer[] = [];
  for (let at = 0; at < l4.length || at === 0; at += size) {
    const piece = l4.subarray(at, at + size);
    const more = at + size < l4.length;
    const h = Buffer.alloc(20);
    h[0] = 0x45;
    h.writeUInt16BE(20 + piece.length, 2);
    h.writeUInt16BE(opts.id ?? 1, 4);
    h.writeUInt16BE((more ? 0x2000 : 0) | (at / 8), 6);
    h[8] = 64;
    h[9] = protocol;
    v4(src).copy(h, 12);
    v4(dst).copy(h, 16);
    out.push(Buffer.concat([h, piece]));
    if (l4.length === 0) break;
  }
  return out;
}

/** IPv6 packets with a hop-by-hop options header, and a fragment header per piece if asked. */
export function ipv6(src: string, dst: string, protocol: number, l4: Buffer, opts: { id?: number; fragmentBytes?: number } = {}): Buffer[] {
  const hopByHop = (next: number) => Buffer.from([next, 0, 1, 4, 0, 0, 0, 0]); // PadN option
  const packet = (ext: Buffer, body: Buffer) => {
    const h = Buffer.alloc(40);
    h.writeUInt32BE(0x60000000, 0);
    h.writeUInt16BE(ext.length + body.length, 4);
    h[6] = 0; // hop-by-hop first
    h[7] = 64;
    v6(src).copy(h, 8);
    v6(dst).copy(h, 24);
    return Buffer.concat([h, ext, body]);
  };
  if (!opts.fragmentBytes) return [packet(hopByHop(protocol), l4)];
  const out: Buffer[] = [];
  for (let at = 0; at < l4.length; at += opts.fragmentBytes) {
    const piece = l4.subarray(at, at + opts.fragmentBytes);
    const more = at + opts.fragmentBytes < l4.length;
    const frag = Buffer.alloc(8);
    frag[0] = protocol;
    frag.writeUInt16BE(at | (more ? 1 : 0), 2);
    frag.writeUInt32BE(opts.id ?? 7, 4);
    out.push(packet(Buffer.concat([hopByHop(44), frag]), piece));
  }
  return out;
}

export function ethernet(ip: Buffer, vlans: number[] = []): Buffer {
  const version = ip[0]! >> 4;
  const macs = Buffer.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]);
  const tags = vlans.map((tpid, i) => {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(tpid, 0);
    t.writeUInt16BE(100 + i, 2);
    return t;
  });
  const type = Buffer.alloc(2);
  type.writeUInt16BE(version === 4 ? 0x0800 : 0x86dd);
  // dst, src, then per tag its TPID and TCI, then the type of what is inside.
  const parts: Buffer[] = [macs];
  for (const t of tags) parts.push(t.subarray(0, 2), t.subarray(2, 4));
  parts.push(type, ip);
  return Buffer.concat(parts);
}

export function sll2(ip: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE((ip[0]! >> 4) === 4 ? 0x0800 : 0x86dd, 0);
  h.writeUInt32BE(1, 4); // ifindex
  h.writeUInt16BE(772, 8); // ARPHRD_LOOPBACK
  h[10] = 0; // PACKET_HOST
  h[11] = 6;
  return Buffer.concat([h, ip]);
}

export interface Frame {
  sec: number;
  usec: number;
  data: Buffer;
  origLen?: number;
}

export function pcapFile(linkType: number, frames: Frame[], snapLen = 65535): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(snapLen, 16);
  h.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [h];
  for (const f of frames) {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(f.sec, 0);
    r.writeUInt32LE(f.usec, 4);
    r.writeUInt32LE(f.data.length, 8);
    r.writeUInt32LE(f.origLen ?? f.data.length, 12);
    parts.push(r, f.data);
  }
  return Buffer.concat(parts);
}

// ----- pcapng -----

export function option(code: number, value: Uint8Array, le: boolean): Buffer {
  const h = Buffer.alloc(4);
  if (le) {
    h.writeUInt16LE(code, 0);
    h.writeUInt16LE(value.length, 2);
  } else {
    h.writeUInt16BE(code, 0);
    h.writeUInt16BE(value.length, 2);
  }
  return Buffer.concat([h, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

export function endOfOptions(): Buffer {
  return Buffer.alloc(4);
}

export function block(type: number, body: Buffer, le: boolean): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const total = padded.length + 12;
  const head = Buffer.alloc(8);
  const tail = Buffer.alloc(4);
  if (le) {
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(total, 4);
    tail.writeUInt32LE(total, 0);
  } else {
    head.writeUInt32BE(type, 0);
    head.writeUInt32BE(total, 4);
    tail.writeUInt32BE(total, 0);
  }
  return Buffer.concat([head, padded, tail]);
}

function u16(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(v);
  else b.writeUInt16BE(v);
  return b;
}

function u32(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(v >>> 0);
  else b.writeUInt32BE(v >>> 0);
  return b;
}

export function shb(le: boolean, comment?: string): Buffer {
  const opts = comment ? Buffer.concat([option(1, Buffer.from(comment), le), endOfOptions()]) : Buffer.alloc(0);
  return block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d, le), u16(1, le), u16(0, le), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), opts]), le);
}

export function idb(le: boolean, linkType: number, opts: { tsresol?: number; tsoffset?: bigint; name?: string; snapLen?: number } = {}): Buffer {
  const options: Buffer[] = [];
  if (opts.name) options.push(option(2, Buffer.from(opts.name), le));
  if (opts.tsresol !== undefined) options.push(option(9, Buffer.from([opts.tsresol]), le));
  if (opts.tsoffset !== undefined) {
    const b = Buffer.alloc(8);
    if (le) b.writeBigInt64LE(opts.tsoffset);
    else b.writeBigInt64BE(opts.tsoffset);
    options.push(option(14, b, le));
  }
  if (options.length) options.push(endOfOptions());
  return block(1, Buffer.concat([u16(linkType, le), u16(0, le), u32(opts.snapLen ?? 0, le), ...options]), le);
}

/** An enhanced packet block; `units` is the timestamp in the interface's units. */
export function epb(le: boolean, iface: number, units: bigint, data: Buffer, comment?: string): Buffer {
  const opts = comment ? Buffer.concat([option(1, Buffer.from(comment), le), endOfOptions()]) : Buffer.alloc(0);
  const pad = Buffer.alloc((4 - (data.length % 4)) % 4);
  return block(6, Buffer.concat([u32(iface, le), u32(Number(units >> 32n), le), u32(Number(units & 0xffffffffn), le), u32(data.length, le), u32(data.length, le), data, pad, opts]), le);
}

export function obsoletePb(le: boolean, iface: number, units: bigint, data: Buffer): Buffer {
  const pad = Buffer.alloc((4 - (data.length % 4)) % 4);
  return block(2, Buffer.concat([u16(iface, le), u16(0, le), u32(Number(units >> 32n), le), u32(Number(units & 0xffffffffn), le), u32(data.length, le), u32(data.length, le), data, pad]), le);
}

export function spb(le: boolean, data: Buffer): Buffer {
  return block(3, Buffer.concat([u32(data.length, le), data]), le);
}

/** A name resolution block with one IPv4 record, and an interface statistics block: both skipped. */
export function nrb(le: boolean): Buffer {
  const record = Buffer.concat([u16(1, le), u16(4 + 10, le), Buffer.from([127, 0, 0, 1]), Buffer.from('localhost\0'), Buffer.alloc(2)]);
  return block(4, Buffer.concat([record, u16(0, le), u16(0, le)]), le);
}

export function isb(le: boolean, iface: number): Buffer {
  return block(5, Buffer.concat([u32(iface, le), u32(0, le), u32(0, le)]), le);
}
