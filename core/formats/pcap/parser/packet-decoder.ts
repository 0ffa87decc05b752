// One captured packet, from link layer to transport: TCP and UDP go to the flow table, ICMP and
// everything else is counted. Nothing here throws on hostile bytes: a packet that makes no sense is
// counted as malformed (with where the first one was) and the next one is read.

import type { Dir, FlowStream } from './flow-stream';
import { FlowTable } from './flow-table';
import { IP_RESULT, IpDecoder, IPPROTO } from './ip';
import { decodeLink, isSupportedLinkType, NET, type LinkResult } from './link-layer';
import type { CapturedPacket } from './packet';
import { decodeTcp, decodeUdp, type TransportSegment } from './transport';

/** What a packet turned out to be (the `proto` column of the packet table). */
export type PacketKind = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'ip' | 'fragment' | 'other' | 'malformed' | 'unsupported';

/** Per-packet result, reused between calls. */
export interface DecodedPacket {
  kind: PacketKind;
  stream: FlowStream | null;
  dir: Dir;
  tcpFlags: number;
  payloadLength: number;
}

interface Counted {
  count: number;
  firstOffset: number;
}

export interface DecodeStats {
  packets: number;
  byKind: Record<PacketKind, number>;
  /** Packets of link types capscope does not read, by link type. */
  unsupported: Map<number, Counted>;
  malformed: Counted;
}

export class PacketDecoder {
  readonly ip = new IpDecoder();
  readonly stats: DecodeStats = {
    packets: 0,
    byKind: { tcp: 0, udp: 0, icmp: 0, icmpv6: 0, ip: 0, fragment: 0, other: 0, malformed: 0, unsupported: 0 },
    unsupported: new Map(),
    malformed: { count: 0, firstOffset: -1 },
  };
  private readonly link: LinkResult = { net: 0, offset: 0 };
  private readonly seg: TransportSegment = { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, payload: new Uint8Array(0), payloadLength: 0 };
  readonly out: DecodedPacket = { kind: 'other', stream: null, dir: 0, tcpFlags: 0, payloadLength: 0 };

  constructor(readonly flows: FlowTable) {}

  decode(p: CapturedPacket): DecodedPacket {
    this.stats.packets++;
    const out = this.out;
    out.stream = null;
    out.dir = 0;
    out.tcpFlags = 0;
    out.payloadLength = 0;
    out.kind = this.classify(p);
    this.stats.byKind[out.kind]++;
    if (out.kind === 'malformed') {
      const m = this.stats.malformed;
      if (m.count++ === 0) m.firstOffset = p.offset;
    } else if (out.kind === 'unsupported') {
      const seen = this.stats.unsupported.get(p.linkType);
      if (seen) seen.count++;
      else this.stats.unsupported.set(p.linkType, { count: 1, firstOffset: p.offset });
    }
    return out;
  }

  private classify(p: CapturedPacket): PacketKind {
    if (!isSupportedLinkType(p.linkType)) return 'unsupported';
    const link = this.link;
    decodeLink(p.linkType, p.data, link);
    if (link.net === NET.TRUNCATED) return 'malformed';
    if (link.net === NET.OTHER) return 'other';
    const wireRemaining = Math.max(0, Math.max(p.origLen, p.data.length) - link.offset);
    const result = this.ip.decode(link.net as 4 | 6, p.data, link.offset, wireRemaining, p.tsSec);
    if (result === IP_RESULT.MALFORMED) return 'malformed';
    if (result === IP_RESULT.FRAGMENT) return 'fragment';
    const ip = this.ip.out;
    const seg = this.seg;
    const out = this.out;
    switch (ip.protocol) {
      case IPPROTO.TCP:
        if (!decodeTcp(ip.l4Bytes, ip.l4Start, ip.l4End, ip.l4WireLength, seg)) return 'malformed';
        out.stream = this.flows.tcp(ip, seg, p.origLen, p.tsSec, p.tsNsec, p.frame);
        out.dir = this.flows.lastDir;
        out.tcpFlags = seg.flags;
        out.payloadLength = seg.payloadLength;
        return 'tcp';
      case IPPROTO.UDP:
        if (!decodeUdp(ip.l4Bytes, ip.l4Start, ip.l4End, ip.l4WireLength, seg)) return 'malformed';
        out.stream = this.flows.udp(ip, seg, p.origLen, p.tsSec, p.tsNsec, p.frame);
        out.dir = this.flows.lastDir;
        out.payloadLength = seg.payloadLength;
        return 'udp';
      case IPPROTO.ICMP:
        return 'icmp';
      case IPPROTO.ICMPV6:
        return 'icmpv6';
      default:
        return 'ip';
    }
  }
}
