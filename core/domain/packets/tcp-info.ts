// What Wireshark says of a TCP segment that needs its connection: relative sequence and
// acknowledgement numbers and the scaled window. Wireshark's rules (packet-tcp.c), held against
// tshark on the corpus: a direction's base is set by the first segment that can set it, in frame
// order: its own first segment (the ISN on a SYN, seq - 1 otherwise, so a capture begun mid-stream
// starts at Seq=1), or the first segment of the other direction with ACK set (ack - 1). A
// direction's window is shifted by the scale its own SYN announced, unless either SYN came without
// the option (then neither side scales); a direction whose SYN was not captured is not scaled.

import { tcpFlagNames, type TcpHeader } from './dissect';

export type Dir = 'in' | 'out';

const SYN = 0x02;
const ACK = 0x10;

/** A direction's window shift: a number, 'none' (a SYN said no scaling), 'unknown' (no SYN seen). */
type Scale = number | 'none' | 'unknown';

export interface TcpStreamContext {
  base: Record<Dir, number | null>;
  scale: Record<Dir, Scale>;
}

/** A segment the context is made from: the first of each direction, and the first with ACK set of each. */
export interface TcpAnchor {
  frame: number;
  dir: Dir;
  tcp: TcpHeader;
  /** Whether it is its direction's first segment. */
  first: boolean;
}

const other = (dir: Dir): Dir => (dir === 'in' ? 'out' : 'in');

export function streamContext(anchors: readonly TcpAnchor[]): TcpStreamContext {
  const ctx: TcpStreamContext = { base: { in: null, out: null }, scale: { in: 'unknown', out: 'unknown' } };
  for (const a of [...anchors].sort((x, y) => x.frame - y.frame)) {
    const fwd = a.dir;
    const rev = other(fwd);
    const h = a.tcp;
    if (a.first && ctx.base[fwd] === null) ctx.base[fwd] = h.flags & SYN ? h.seq : (h.seq - 1) >>> 0;
    if (ctx.base[rev] === null && h.flags & ACK) ctx.base[rev] = (h.ack - 1) >>> 0;
    if (a.first && h.flags & SYN) {
      const ws = h.options.find((o) => o.kind === 'ws');
      if (!ws) {
        ctx.scale[fwd] = 'none';
        ctx.scale[rev] = 'none';
      } else if (h.flags & ACK && ctx.scale[rev] === 'none') ctx.scale[fwd] = 'none';
      else ctx.scale[fwd] = ws.values[0]!;
    }
  }
  return ctx;
}

export interface TcpNumbers {
  seq: number;
  /** Null when the segment has no ACK flag. */
  ack: number | null;
  /** The window as the receiver reads it (scaled where the connection's SYNs say). */
  window: number;
  len: number;
}

export function tcpNumbers(h: TcpHeader, dir: Dir | null, ctx: TcpStreamContext | null): TcpNumbers {
  const seqBase = dir && ctx ? ctx.base[dir] : null;
  const ackBase = dir && ctx ? ctx.base[other(dir)] : null;
  const scale = dir && ctx ? ctx.scale[dir] : 'unknown';
  return {
    seq: seqBase === null ? h.seq : (h.seq - seqBase) >>> 0,
    ack: h.flags & ACK ? (ackBase === null ? h.ack : (h.ack - ackBase) >>> 0) : null,
    // A SYN's own window is never scaled.
    window: typeof scale === 'number' && !(h.flags & SYN) ? h.window * 2 ** scale : h.window,
    len: h.payloadLength,
  };
}

/** The Info column: `38552 → 8080 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=… TSecr=… WS=1024`. */
export function tcpInfo(h: TcpHeader, n: TcpNumbers, ctx: TcpStreamContext | null, dir: Dir | null): string {
  const parts = [`${h.srcPort} → ${h.dstPort} [${tcpFlagNames(h.flags)}] Seq=${n.seq}`];
  if (n.ack !== null) parts.push(`Ack=${n.ack}`);
  parts.push(`Win=${n.window}`);
  if (h.flags & 0x20) parts.push(`Urg=${h.urgent}`);
  parts.push(`Len=${n.len}`);
  const ackBase = dir && ctx ? ctx.base[other(dir)] : null;
  for (const o of h.options) {
    if (o.kind === 'mss') parts.push(`MSS=${o.values[0]}`);
    else if (o.kind === 'sack-perm') parts.push('SACK_PERM');
    else if (o.kind === 'ts') parts.push(`TSval=${o.values[0]} TSecr=${o.values[1]}`);
    else if (o.kind === 'ws') parts.push(`WS=${2 ** o.values[0]!}`);
    else if (o.kind === 'sack') {
      for (let i = 0; i + 1 < o.values.length; i += 2) {
        const rel = (v: number) => (ackBase === null ? v : (v - ackBase) >>> 0);
        parts.push(`SLE=${rel(o.values[i]!)} SRE=${rel(o.values[i + 1]!)}`);
      }
    }
  }
  return parts.join(' ');
}
