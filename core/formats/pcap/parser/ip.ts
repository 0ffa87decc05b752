// IPv4 and IPv6: addresses, the transport protocol, and where the transport header starts and how
// long it is on the wire. IPv6 extension headers are walked; fragments of either family go to the
// reassembler. IP-in-IP (protocol 4 and 41, as Calico and other overlays use) is unwrapped once.

import { FragmentReassembler } from './ip-fragments';

export const IPPROTO = {
  HOPOPTS: 0,
  ICMP: 1,
  IPIP: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NONE: 59,
  DSTOPTS: 60,
  MOBILITY: 135,
  HIP: 139,
  SHIM6: 140,
} as const;

/** Outcome of decodeIp. */
export const IP_RESULT = {
  OK: 0,
  /** A fragment that does not (yet) complete its datagram. */
  FRAGMENT: 1,
  /** The header is cut short by the snapshot length or inconsistent. */
  MALFORMED: 2,
} as const;

/** The network layer of one packet; filled in place to spare an allocation per packet. */
export interface IpPacket {
  family: 4 | 6;
  /** Holds the addresses at srcAt / dstAt (4 or 16 bytes each). */
  header: Uint8Array;
  srcAt: number;
  dstAt: number;
  protocol: number;
  /**
   * The transport header and payload as captured (possibly reassembled from fragments) are
   * l4Bytes[l4Start, l4End): offsets into the frame rather than a view made per packet (a view is
   * an object, and two million packets made two million of them).
   */
  l4Bytes: Uint8Array;
  l4Start: number;
  l4End: number;
  /** Length of the transport header and payload on the wire, as the IP header states. */
  l4WireLength: number;
}

const MAX_TUNNEL_DEPTH = 2;

export class IpDecoder {
  readonly fragments = new FragmentReassembler();
  readonly out: IpPacket = { family: 4, header: new Uint8Array(0), srcAt: 0, dstAt: 0, protocol: 0, l4Bytes: new Uint8Array(0), l4Start: 0, l4End: 0, l4WireLength: 0 };

  /**
   * Decodes the IP packet at `offset` of `frame` (`wireRemaining`: bytes of it on the wire from
   * `offset`, which may exceed what was captured). `sec` is the capture time (fragment expiry).
   */
  decode(version: 4 | 6, frame: Uint8Array, offset: number, wireRemaining: number, sec: number, depth = 0): number {
    const result = version === 4 ? this.v4(frame, offset, wireRemaining, sec) : this.v6(frame, offset, wireRemaining, sec);
    if (result !== IP_RESULT.OK || depth >= MAX_TUNNEL_DEPTH) return result;
    const p = this.out.protocol;
    if (p !== IPPROTO.IPIP && p !== IPPROTO.IPV6) return result;
    const o = this.out;
    const inner = o.l4Bytes.subarray(o.l4Start, o.l4End);
    if (inner.length < 1) return IP_RESULT.MALFORMED;
    const innerVersion = inner[0]! >> 4;
    if ((p === IPPROTO.IPIP && innerVersion !== 4) || (p === IPPROTO.IPV6 && innerVersion !== 6)) return result;
    return this.decode(innerVersion as 4 | 6, inner, 0, this.out.l4WireLength, sec, depth + 1);
  }

  private v4(frame: Uint8Array, at: number, wireRemaining: number, sec: number): number {
    if (frame.length < at + 20) return IP_RESULT.MALFORMED;
    const ihl = (frame[at]! & 0x0f) * 4;
    let totalLength = (frame[at + 2]! << 8) | frame[at + 3]!;
    // Length 0 is a TCP segmentation offload frame captured before the NIC split it (Wireshark's rule).
    if (totalLength === 0) totalLength = wireRemaining;
    if (ihl < 20 || totalLength < ihl || frame.length < at + ihl) return IP_RESULT.MALFORMED;
    const out = this.out;
    out.family = 4;
    out.header = frame;
    out.srcAt = at + 12;
    out.dstAt = at + 16;
    out.protocol = frame[at + 9]!;
    const start = at + ihl;
    const end = Math.min(frame.length, at + totalLength);
    const flagsOffset = (frame[at + 6]! << 8) | frame[at + 7]!;
    const more = (flagsOffset & 0x2000) !== 0;
    const fragOffset = (flagsOffset & 0x1fff) * 8;
    if (more || fragOffset !== 0) {
      const id = (frame[at + 4]! << 8) | frame[at + 5]!;
      const key = `4:${addrKey(frame, at + 12, 4)}>${addrKey(frame, at + 16, 4)}:${out.protocol}:${id}`;
      const whole = this.fragments.add(key, fragOffset, totalLength - ihl, more, frame.subarray(start, end), sec);
      if (!whole) return IP_RESULT.FRAGMENT;
      out.l4Bytes = whole;
      out.l4Start = 0;
      out.l4End = whole.length;
      out.l4WireLength = whole.length;
      return IP_RESULT.OK;
    }
    out.l4Bytes = frame;
    out.l4Start = start;
    out.l4End = end;
    out.l4WireLength = totalLength - ihl;
    return IP_RESULT.OK;
  }

  private v6(frame: Uint8Array, at: number, wireRemaining: number, sec: number): number {
    if (frame.length < at + 40) return IP_RESULT.MALFORMED;
    let payloadLength = (frame[at + 4]! << 8) | frame[at + 5]!;
    // 0 is a jumbogram or an offloaded segment: the rest of the frame is the payload.
    if (payloadLength === 0) payloadLength = Math.max(0, wireRemaining - 40);
    const out = this.out;
    out.family = 6;
    out.header = frame;
    out.srcAt = at + 8;
    out.dstAt = at + 24;
    const payloadEnd = at + 40 + payloadLength;
    const end = Math.min(frame.length, payloadEnd);
    let next = frame[at + 6]!;
    let pos = at + 40;
    let fragment: { offset: number; more: boolean; id: number } | null = null;
    // Extension headers: walk until a transport protocol (or something we do not walk).
    for (let guard = 0; guard < 16; guard++) {
      if (next === IPPROTO.HOPOPTS || next === IPPROTO.ROUTING || next === IPPROTO.DSTOPTS || next === IPPROTO.MOBILITY || next === IPPROTO.HIP || next === IPPROTO.SHIM6) {
        if (end < pos + 2) return IP_RESULT.MALFORMED;
        const len = (frame[pos + 1]! + 1) * 8;
        next = frame[pos]!;
        pos += len;
        continue;
      }
      if (next === IPPROTO.AH) {
        if (end < pos + 2) return IP_RESULT.MALFORMED;
        const len = (frame[pos + 1]! + 2) * 4;
        next = frame[pos]!;
        pos += len;
        continue;
      }
      if (next === IPPROTO.FRAGMENT) {
        if (end < pos + 8) return IP_RESULT.MALFORMED;
        const offsetFlags = (frame[pos + 2]! << 8) | frame[pos + 3]!;
        fragment = {
          offset: offsetFlags & 0xfff8,
          more: (offsetFlags & 1) !== 0,
          id: ((frame[pos + 4]! << 24) | (frame[pos + 5]! << 16) | (frame[pos + 6]! << 8) | frame[pos + 7]!) >>> 0,
        };
        next = frame[pos]!;
        pos += 8;
        // An "atomic" fragment (offset 0, no more) is a whole datagram.
        if (fragment.offset === 0 && !fragment.more) fragment = null;
        if (fragment) break;
        continue;
      }
      break;
    }
    if (pos > payloadEnd) return IP_RESULT.MALFORMED;
    out.protocol = next;
    if (fragment) {
      const key = `6:${addrKey(frame, at + 8, 16)}>${addrKey(frame, at + 24, 16)}:${fragment.id}`;
      const whole = this.fragments.add(key, fragment.offset, payloadEnd - pos, fragment.more, frame.subarray(Math.min(pos, end), end), sec);
      if (!whole) return IP_RESULT.FRAGMENT;
      out.l4Bytes = whole;
      out.l4Start = 0;
      out.l4End = whole.length;
      out.l4WireLength = whole.length;
      return IP_RESULT.OK;
    }
    out.l4Bytes = frame;
    out.l4Start = Math.min(pos, end);
    out.l4End = end;
    out.l4WireLength = payloadEnd - pos;
    return IP_RESULT.OK;
  }
}

function addrKey(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[at + i]!);
  return s;
}

/** Dotted quad or RFC 5952 text of the address at `at`. */
export function formatAddress(family: 4 | 6, b: Uint8Array, at: number): string {
  if (family === 4) return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!);
  // IPv4-mapped addresses keep their dotted tail.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return `::ffff:${b[at + 12]}.${b[at + 13]}.${b[at + 14]}.${b[at + 15]}`;
  // The longest run (of at least two) of zero words becomes "::" (the first, on a tie).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
