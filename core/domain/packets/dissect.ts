// One captured frame read as layers, the way Wireshark's packet details pane shows them: the link
// layer, IPv4 / IPv6 (extension headers walked, one IP-in-IP unwrapped), TCP / UDP / ICMP / ICMPv6,
// ARP, and the payload. Each field keeps where its bytes are, so the bytes pane can show them.
// Pure and total: a frame cut short ends the layers where its bytes end, with a note, never a throw.
// Where the network layer starts comes from the ingest's own link decoder, so the list and the
// index never disagree on what a frame is.

import { formatAddress, IPPROTO } from '../../formats/pcap/parser/ip';
import { decodeLink, LINKTYPE, linkTypeName, NET, type LinkResult } from '../../formats/pcap/parser/link-layer';
import type { PacketField, PacketLayer } from './contract';

export interface TcpOption {
  kind: 'mss' | 'ws' | 'sack-perm' | 'sack' | 'ts' | 'nop' | 'eol' | 'other';
  /** MSS value, window shift; the SACK blocks' edges; TSval and TSecr; the kind number of another. */
  values: number[];
}

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  urgent: number;
  /** Payload bytes on the wire, as the IP header states. */
  payloadLength: number;
  options: TcpOption[];
  /** Where the sequence and acknowledgement numbers are in the frame. */
  seqAt: number;
  ackAt: number;
}

export interface Dissection {
  layers: PacketLayer[];
  source: string | null;
  destination: string | null;
  protocol: string;
  /** The Info column for what is not TCP (TCP's needs its connection: ./tcp-info.ts). */
  info: string;
  tcp: TcpHeader | null;
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const hex = (n: number, digits: number) => `0x${n.toString(16).padStart(digits, '0')}`;
const mac = (b: Uint8Array, at: number) => Array.from(b.subarray(at, at + 6), (x) => x.toString(16).padStart(2, '0')).join(':');

const IP_PROTOCOL_NAMES: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 89: 'OSPF', 132: 'SCTP' };
const protocolName = (p: number) => IP_PROTOCOL_NAMES[p] ?? `protocol ${p}`;

/** The TCP flag names in the order Wireshark lists them, lowest bit first. */
const TCP_FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

export function tcpFlagNames(flags: number): string {
  const names = TCP_FLAG_NAMES.filter((_, i) => flags & (1 << i));
  return names.length > 0 ? names.join(', ') : '<None>';
}

const ICMP_TYPES: Record<number, string> = { 0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench', 5: 'Redirect', 8: 'Echo (ping) request', 11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request', 14: 'Timestamp reply' };
const ICMP_UNREACHABLE: Record<number, string> = { 0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable', 4: 'Fragmentation needed', 9: 'Network administratively prohibited', 10: 'Host administratively prohibited', 13: 'Communication administratively filtered' };
const ICMPV6_TYPES: Record<number, string> = { 1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem', 128: 'Echo (ping) request', 129: 'Echo (ping) reply', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation', 136: 'Neighbor Advertisement', 143: 'Multicast Listener Report Message v2' };

class Builder {
  readonly layers: PacketLayer[] = [];
  source: string | null = null;
  destination: string | null = null;
  protocol = 'Frame';
  info = '';
  tcp: TcpHeader | null = null;

  constructor(readonly data: Uint8Array) {}

  layer(name: string, start: number, length: number, summary = name): PacketLayer {
    const layer = { name, summary, start, length: Math.max(0, Math.min(length, this.data.length - start)), fields: [] };
    this.layers.push(layer);
    return layer;
  }

  /** Whether `n` bytes from `at` were captured; else the frame is said to end there. */
  has(at: number, n: number, what: string): boolean {
    if (at + n <= this.data.length) return true;
    this.layer(`[${what} cut short]`, at, this.data.length - at, `[${what}: the frame ends at byte ${this.data.length}, ${at + n - this.data.length} bytes short]`);
    return false;
  }

  result(): Dissection {
    return { layers: this.layers, source: this.source, destination: this.destination, protocol: this.protocol, info: this.info, tcp: this.tcp };
  }
}

function field(layer: PacketLayer, name: string, value: string | number, start: number, length: number): void {
  layer.fields.push({ name, value: String(value), start, length } satisfies PacketField);
}

/** The layers of one frame captured on a link of `linkType`, `origLen` bytes on the wire. */
export function dissectFrame(data: Uint8Array, linkType: number, origLen: number): Dissection {
  const b = new Builder(data);
  const link: LinkResult = { net: 0, offset: 0 };
  const supported = [LINKTYPE.NULL, LINKTYPE.ETHERNET, LINKTYPE.RAW_BSD, LINKTYPE.RAW_OPENBSD, LINKTYPE.RAW, LINKTYPE.LOOP, LINKTYPE.LINUX_SLL, LINKTYPE.IPV4, LINKTYPE.IPV6, LINKTYPE.LINUX_SLL2] as number[];
  if (!supported.includes(linkType)) {
    b.protocol = linkTypeName(linkType);
    b.info = `${linkTypeName(linkType)} (not decoded)`;
    return b.result();
  }
  decodeLink(linkType, data, link);
  linkLayer(b, linkType, link);
  if (link.net === NET.TRUNCATED) {
    b.info = 'Link header cut short';
    return b.result();
  }
  if (link.net === NET.OTHER) {
    if (!otherOverEthernet(b, linkType, link.offset)) b.info = `Not IP (${linkTypeName(linkType)})`;
    return b.result();
  }
  const wire = Math.max(origLen, data.length) - link.offset;
  network(b, link.net as 4 | 6, link.offset, wire, 0);
  return b.result();
}

function linkLayer(b: Builder, linkType: number, link: LinkResult): void {
  const d = b.data;
  if (linkType === LINKTYPE.ETHERNET && d.length >= 14) {
    const layer = b.layer('Ethernet II', 0, 14, `Ethernet II, Src: ${mac(d, 6)}, Dst: ${mac(d, 0)}`);
    field(layer, 'Destination', mac(d, 0), 0, 6);
    field(layer, 'Source', mac(d, 6), 6, 6);
    field(layer, 'Type', hex(u16(d, 12), 4), 12, 2);
    b.source = mac(d, 6);
    b.destination = mac(d, 0);
    b.protocol = 'Ethernet';
    // 802.1Q / 802.1ad tags between the addresses and the network layer.
    for (let at = 14; at + 4 <= link.offset && (u16(d, at - 2) === 0x8100 || u16(d, at - 2) === 0x88a8 || u16(d, at - 2) === 0x9100); at += 4) {
      const tci = u16(d, at);
      const tag = b.layer('802.1Q Virtual LAN', at, 4, `802.1Q Virtual LAN, PRI: ${tci >> 13}, DEI: ${(tci >> 12) & 1}, ID: ${tci & 0xfff}`);
      field(tag, 'Priority', tci >> 13, at, 2);
      field(tag, 'DEI', (tci >> 12) & 1, at, 2);
      field(tag, 'ID', tci & 0xfff, at, 2);
      field(tag, 'Type', hex(u16(d, at + 2), 4), at + 2, 2);
    }
  } else if (linkType === LINKTYPE.LINUX_SLL && d.length >= 16) {
    const layer = b.layer('Linux cooked capture v1', 0, 16);
    field(layer, 'Packet type', u16(d, 0), 0, 2);
    field(layer, 'Link-layer address type', u16(d, 2), 2, 2);
    field(layer, 'Link-layer address length', u16(d, 4), 4, 2);
    field(layer, 'Source', Array.from(d.subarray(6, 6 + Math.min(8, u16(d, 4))), (x) => x.toString(16).padStart(2, '0')).join(':'), 6, 8);
    field(layer, 'Protocol', hex(u16(d, 14), 4), 14, 2);
  } else if (linkType === LINKTYPE.LINUX_SLL2 && d.length >= 20) {
    const layer = b.layer('Linux cooked capture v2', 0, 20);
    field(layer, 'Protocol', hex(u16(d, 0), 4), 0, 2);
    field(layer, 'Interface index', u32(d, 4), 4, 4);
    field(layer, 'Packet type', d[10]!, 10, 1);
  } else if ((linkType === LINKTYPE.NULL || linkType === LINKTYPE.LOOP) && d.length >= 4) {
    const layer = b.layer(linkType === LINKTYPE.NULL ? 'Null/Loopback' : 'OpenBSD loopback', 0, 4);
    field(layer, 'Family', link.net === NET.IPV4 ? 'IP' : link.net === NET.IPV6 ? 'IPv6' : 'other', 0, 4);
  }
}

/** The Ethernet type naming what follows a link header that has one (Ethernet, Linux cooked), or null. */
function etherTypeBefore(d: Uint8Array, linkType: number, at: number): number | null {
  if (linkType === LINKTYPE.LINUX_SLL2) return d.length >= 2 ? u16(d, 0) : null;
  if ((linkType === LINKTYPE.ETHERNET && at >= 14) || (linkType === LINKTYPE.LINUX_SLL && at >= 16)) return u16(d, at - 2);
  return null;
}

/** ARP, or another protocol over a link that names it by Ethernet type: said by its type. */
function otherOverEthernet(b: Builder, linkType: number, at: number): boolean {
  const d = b.data;
  const type = etherTypeBefore(d, linkType, at);
  if (type === null) return false;
  if (type !== 0x0806) {
    b.info = `Ethernet type ${hex(type, 4)}`;
    return true;
  }
  b.protocol = 'ARP';
  if (!b.has(at, 28, 'ARP')) return true;
  const op = u16(d, at + 6);
  const spa = formatAddress(4, d, at + 14);
  const tpa = formatAddress(4, d, at + 24);
  const layer = b.layer('Address Resolution Protocol', at, 28, `Address Resolution Protocol (${op === 1 ? 'request' : op === 2 ? 'reply' : `opcode ${op}`})`);
  field(layer, 'Opcode', op, at + 6, 2);
  field(layer, 'Sender MAC address', mac(d, at + 8), at + 8, 6);
  field(layer, 'Sender IP address', spa, at + 14, 4);
  field(layer, 'Target MAC address', mac(d, at + 18), at + 18, 6);
  field(layer, 'Target IP address', tpa, at + 24, 4);
  b.info = op === 1 ? `Who has ${tpa}? Tell ${spa}` : op === 2 ? `${spa} is at ${mac(d, at + 8)}` : `ARP opcode ${op}`;
  return true;
}

/** IPv4 or IPv6 at `at`, `wire` bytes of it on the wire; then its payload. */
function network(b: Builder, version: 4 | 6, at: number, wire: number, depth: number): void {
  const d = b.data;
  let protocol: number;
  let start: number;
  let payloadWire: number;
  let fragment: string | null = null;
  if (version === 4) {
    if (!b.has(at, 20, 'IPv4 header')) return;
    const ihl = (d[at]! & 0x0f) * 4;
    let total = u16(d, at + 2);
    if (total === 0) total = wire;
    const src = formatAddress(4, d, at + 12);
    const dst = formatAddress(4, d, at + 16);
    protocol = d[at + 9]!;
    const flagsOffset = u16(d, at + 6);
    const layer = b.layer('Internet Protocol Version 4', at, ihl, `Internet Protocol Version 4, Src: ${src}, Dst: ${dst}`);
    field(layer, 'Version', 4, at, 1);
    field(layer, 'Header Length', `${ihl} bytes`, at, 1);
    field(layer, 'Differentiated Services Field', hex(d[at + 1]!, 2), at + 1, 1);
    field(layer, 'Total Length', total, at + 2, 2);
    field(layer, 'Identification', `${hex(u16(d, at + 4), 4)} (${u16(d, at + 4)})`, at + 4, 2);
    field(layer, 'Flags', `${hex(flagsOffset >> 13, 1)}${flagsOffset & 0x4000 ? ", Don't fragment" : ''}${flagsOffset & 0x2000 ? ', More fragments' : ''}`, at + 6, 1);
    field(layer, 'Fragment Offset', (flagsOffset & 0x1fff) * 8, at + 6, 2);
    field(layer, 'Time to Live', d[at + 8]!, at + 8, 1);
    field(layer, 'Protocol', `${protocolName(protocol)} (${protocol})`, at + 9, 1);
    field(layer, 'Header Checksum', hex(u16(d, at + 10), 4), at + 10, 2);
    field(layer, 'Source Address', src, at + 12, 4);
    field(layer, 'Destination Address', dst, at + 16, 4);
    b.source = src;
    b.destination = dst;
    b.protocol = 'IPv4';
    if (ihl < 20 || total < ihl) {
      b.info = `Bogus IPv4 header (header length ${ihl}, total length ${total})`;
      return;
    }
    start = at + ihl;
    payloadWire = total - ihl;
    if (flagsOffset & 0x3fff) fragment = `Fragmented IP protocol (proto=${protocolName(protocol)} ${protocol}, off=${(flagsOffset & 0x1fff) * 8}, ID=${u16(d, at + 4).toString(16).padStart(4, '0')})`;
  } else {
    if (!b.has(at, 40, 'IPv6 header')) return;
    const src = formatAddress(6, d, at + 8);
    const dst = formatAddress(6, d, at + 24);
    let payload = u16(d, at + 4);
    if (payload === 0) payload = Math.max(0, wire - 40);
    const layer = b.layer('Internet Protocol Version 6', at, 40, `Internet Protocol Version 6, Src: ${src}, Dst: ${dst}`);
    field(layer, 'Version', 6, at, 1);
    field(layer, 'Traffic Class', hex((u16(d, at) >> 4) & 0xff, 2), at, 2);
    field(layer, 'Flow Label', hex(u32(d, at) & 0xfffff, 5), at + 1, 3);
    field(layer, 'Payload Length', payload, at + 4, 2);
    field(layer, 'Next Header', `${protocolName(d[at + 6]!)} (${d[at + 6]})`, at + 6, 1);
    field(layer, 'Hop Limit', d[at + 7]!, at + 7, 1);
    field(layer, 'Source Address', src, at + 8, 16);
    field(layer, 'Destination Address', dst, at + 24, 16);
    b.source = src;
    b.destination = dst;
    b.protocol = 'IPv6';
    protocol = d[at + 6]!;
    start = at + 40;
    const end = at + 40 + payload;
    // Extension headers, each a field of the IPv6 layer.
    for (let guard = 0; guard < 16; guard++) {
      const ext = protocol === IPPROTO.HOPOPTS || protocol === IPPROTO.ROUTING || protocol === IPPROTO.DSTOPTS || protocol === IPPROTO.MOBILITY || protocol === IPPROTO.HIP || protocol === IPPROTO.SHIM6;
      if (!ext && protocol !== IPPROTO.AH && protocol !== IPPROTO.FRAGMENT) break;
      if (!b.has(start, protocol === IPPROTO.FRAGMENT ? 8 : 2, 'IPv6 extension header')) return;
      const len = protocol === IPPROTO.FRAGMENT ? 8 : protocol === IPPROTO.AH ? (d[start + 1]! + 2) * 4 : (d[start + 1]! + 1) * 8;
      if (protocol === IPPROTO.FRAGMENT) {
        const offsetFlags = u16(d, start + 2);
        if ((offsetFlags & 0xfff8) !== 0 || (offsetFlags & 1) !== 0) fragment = `IPv6 fragment (off=${offsetFlags & 0xfff8} more=${(offsetFlags & 1) === 1 ? 'y' : 'n'} ident=${hex(u32(d, start + 4), 8)} nxt=${d[start]})`;
      }
      field(layer, `Extension header: ${protocolName(protocol)} (${protocol})`, `${len} bytes`, start, len);
      layer.length = Math.min(start + len, d.length) - at;
      protocol = d[start]!;
      start += len;
    }
    payloadWire = Math.max(0, end - start);
  }
  if (fragment) {
    b.info = fragment;
    b.layer('Fragment data', start, d.length - start, `Fragment data (${Math.max(0, d.length - start)} bytes captured)`);
    return;
  }
  if ((protocol === IPPROTO.IPIP || protocol === IPPROTO.IPV6) && depth === 0 && start < d.length) {
    network(b, protocol === IPPROTO.IPIP ? 4 : 6, start, payloadWire, depth + 1);
    return;
  }
  transport(b, protocol, start, payloadWire);
}

function transport(b: Builder, protocol: number, at: number, wire: number): void {
  const d = b.data;
  switch (protocol) {
    case IPPROTO.TCP:
      return tcp(b, at, wire);
    case IPPROTO.UDP: {
      b.protocol = 'UDP';
      if (!b.has(at, 8, 'UDP header')) return;
      const srcPort = u16(d, at);
      const dstPort = u16(d, at + 2);
      const udpLength = u16(d, at + 4);
      const length = udpLength >= 8 && udpLength <= wire ? udpLength : wire;
      const layer = b.layer('User Datagram Protocol', at, 8, `User Datagram Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}`);
      field(layer, 'Source Port', srcPort, at, 2);
      field(layer, 'Destination Port', dstPort, at + 2, 2);
      field(layer, 'Length', udpLength, at + 4, 2);
      field(layer, 'Checksum', hex(u16(d, at + 6), 4), at + 6, 2);
      b.info = `${srcPort} → ${dstPort} Len=${length - 8}`;
      payload(b, at + 8, length - 8);
      return;
    }
    case IPPROTO.ICMP:
    case IPPROTO.ICMPV6: {
      const v6 = protocol === IPPROTO.ICMPV6;
      b.protocol = v6 ? 'ICMPv6' : 'ICMP';
      if (!b.has(at, 4, `${b.protocol} header`)) return;
      const type = d[at]!;
      const code = d[at + 1]!;
      const name = (v6 ? ICMPV6_TYPES : ICMP_TYPES)[type] ?? `type ${type}`;
      const layer = b.layer(v6 ? 'Internet Control Message Protocol v6' : 'Internet Control Message Protocol', at, Math.max(0, d.length - at));
      field(layer, 'Type', `${type} (${name})`, at, 1);
      field(layer, 'Code', code, at + 1, 1);
      field(layer, 'Checksum', hex(u16(d, at + 2), 4), at + 2, 2);
      const echo = v6 ? type === 128 || type === 129 : type === 0 || type === 8;
      if (echo && at + 8 <= d.length) {
        const id = u16(d, at + 4);
        const seq = u16(d, at + 6);
        field(layer, 'Identifier', `${id} (${hex(id, 4)})`, at + 4, 2);
        field(layer, 'Sequence Number', seq, at + 6, 2);
        const swapped = ((seq & 0xff) << 8) | (seq >> 8);
        b.info = `${name}  id=${hex(id, 4)}, seq=${seq}/${swapped}`;
      } else {
        const detail = !v6 && type === 3 ? ICMP_UNREACHABLE[code] : undefined;
        b.info = detail ? `${name} (${detail})` : name;
      }
      return;
    }
    default:
      b.info = `${protocolName(protocol)} (${protocol})`;
      payload(b, at, wire);
  }
}

function tcp(b: Builder, at: number, wire: number): void {
  const d = b.data;
  b.protocol = 'TCP';
  if (!b.has(at, 20, 'TCP header')) return;
  const headerLength = (d[at + 12]! >> 4) * 4;
  const h: TcpHeader = {
    srcPort: u16(d, at),
    dstPort: u16(d, at + 2),
    seq: u32(d, at + 4),
    ack: u32(d, at + 8),
    flags: d[at + 13]!,
    window: u16(d, at + 14),
    urgent: u16(d, at + 18),
    payloadLength: Math.max(0, wire - headerLength),
    options: [],
    seqAt: at + 4,
    ackAt: at + 8,
  };
  const layer = b.layer('Transmission Control Protocol', at, headerLength, `Transmission Control Protocol, Src Port: ${h.srcPort}, Dst Port: ${h.dstPort}, Len: ${h.payloadLength}`);
  field(layer, 'Source Port', h.srcPort, at, 2);
  field(layer, 'Destination Port', h.dstPort, at + 2, 2);
  field(layer, 'Sequence Number (raw)', h.seq, at + 4, 4);
  field(layer, 'Acknowledgment Number (raw)', h.ack, at + 8, 4);
  field(layer, 'Header Length', `${headerLength} bytes`, at + 12, 1);
  field(layer, 'Flags', `${hex(((d[at + 12]! & 0x0f) << 8) | h.flags, 3)} (${tcpFlagNames(h.flags)})`, at + 12, 2);
  field(layer, 'Window', h.window, at + 14, 2);
  field(layer, 'Checksum', hex(u16(d, at + 16), 4), at + 16, 2);
  field(layer, 'Urgent Pointer', h.urgent, at + 18, 2);
  if (headerLength < 20) {
    b.info = `Bogus TCP header length (${headerLength}, must be at least 20)`;
    return;
  }
  b.tcp = h;
  const end = Math.min(at + headerLength, d.length);
  for (let o = at + 20; o < end; ) {
    const kind = d[o]!;
    if (kind === 0 || kind === 1) {
      h.options.push({ kind: kind === 0 ? 'eol' : 'nop', values: [] });
      field(layer, 'Option', kind === 0 ? 'End of Option List' : 'No-Operation', o, 1);
      if (kind === 0) break;
      o++;
      continue;
    }
    const len = o + 1 < end ? d[o + 1]! : 0;
    if (len < 2 || o + len > end) {
      field(layer, 'Option', `kind ${kind}, bad length ${len}`, o, end - o);
      break;
    }
    const option = tcpOption(d, kind, o, len);
    h.options.push(option);
    field(layer, 'Option', optionText(option), o, len);
    o += len;
  }
  if (at + headerLength > d.length) return;
  payload(b, at + headerLength, h.payloadLength);
}

function tcpOption(d: Uint8Array, kind: number, at: number, len: number): TcpOption {
  if (kind === 2 && len === 4) return { kind: 'mss', values: [u16(d, at + 2)] };
  if (kind === 3 && len === 3) return { kind: 'ws', values: [Math.min(14, d[at + 2]!)] };
  if (kind === 4 && len === 2) return { kind: 'sack-perm', values: [] };
  if (kind === 8 && len === 10) return { kind: 'ts', values: [u32(d, at + 2), u32(d, at + 6)] };
  if (kind === 5 && (len - 2) % 8 === 0) {
    const edges: number[] = [];
    for (let i = at + 2; i < at + len; i += 4) edges.push(u32(d, i));
    return { kind: 'sack', values: edges };
  }
  return { kind: 'other', values: [kind] };
}

function optionText(o: TcpOption): string {
  switch (o.kind) {
    case 'mss':
      return `Maximum segment size: ${o.values[0]} bytes`;
    case 'ws':
      return `Window scale: ${o.values[0]} (multiply by ${2 ** o.values[0]!})`;
    case 'sack-perm':
      return 'SACK permitted';
    case 'ts':
      return `Timestamps: TSval ${o.values[0]}, TSecr ${o.values[1]}`;
    case 'sack':
      return `SACK: ${o.values.join(' ')}`;
    default:
      return `kind ${o.values[0]}`;
  }
}

/** The payload, as text lines when it reads as an HTTP/1 message's head, else as data. */
function payload(b: Builder, at: number, wire: number): void {
  const d = b.data;
  const captured = Math.max(0, Math.min(d.length, at + wire) - at);
  if (wire <= 0) return;
  const head = httpHead(d, at, captured);
  if (head) {
    const layer = b.layer('Hypertext Transfer Protocol', at, captured, 'Hypertext Transfer Protocol');
    for (const line of head) field(layer, 'Line', line.text, line.start, line.length);
    return;
  }
  b.layer('Data', at, captured, `Data (${wire} bytes${captured < wire ? `, ${captured} captured` : ''})`);
}

const HTTP_START = /^(?:[A-Z]+ \S+ HTTP\/\d\.\d|HTTP\/\d\.\d \d{3}(?: .*)?)$/;

/** The lines of an HTTP/1 message's head starting at `at` (up to its blank line), or null. */
function httpHead(d: Uint8Array, at: number, length: number): { text: string; start: number; length: number }[] | null {
  const lines: { text: string; start: number; length: number }[] = [];
  let start = at;
  const end = at + length;
  for (let i = at; i < end && lines.length < 200; i++) {
    if (d[i] !== 0x0a) continue;
    const stop = i > start && d[i - 1] === 0x0d ? i - 1 : i;
    const text = Buffer.from(d.subarray(start, stop)).toString('latin1');
    if (lines.length === 0 && !HTTP_START.test(text)) return null;
    // The blank line that ends the head, written as Wireshark writes it.
    lines.push({ text: text === '' ? '\\r\\n' : text, start, length: i + 1 - start });
    start = i + 1;
    if (text === '') break;
  }
  return lines.length > 0 ? lines : null;
}
