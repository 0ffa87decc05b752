// Connections and flows by their addresses and ports. A TCP SYN that does not belong to the
// connection already on its 4-tuple (tshark's rule: a different initial sequence number) ends that
// connection and starts a new one: real captures reuse a client port tens of thousands of times.
// UDP has no lifecycle: one flow per 4-tuple, as tshark's udp.stream.
//
// Memory is bounded: connections that are over (both FINs or a RST) and quiet for a while, and any
// that have been silent for long, are closed and forgotten once the table grows past SWEEP_ABOVE;
// past MAX_FLOWS the least recently active go too. Out-of-order data waiting across all
// connections is held under MAX_PENDING_BYTES by declaring the biggest holder's first hole a gap.

import { emitChunk, IN, newFlowStream, OUT, type ChunkRecord, type Dir, type FlowStream, type StreamSink } from './flow-stream';
import { formatAddress, type IpPacket } from './ip';
import { endpointKey, FlowMap, type EndpointKey } from './flow-map';
import { TcpConnection } from './tcp-connection';
import type { PendingBudget, TcpDirection } from './tcp-direction';
import type { TransportSegment } from './transport';

export const MAX_PENDING_BYTES = 64 * 1024 * 1024;
const SWEEP_ABOVE = 20_000;
/** The table is looked over once per this many new flows (or at once past MAX_FLOWS). */
const SWEEP_EVERY_NEW_FLOWS = 16_384;
export const MAX_FLOWS = 250_000;
/**
 * Capture seconds after which a finished connection (both FINs, or a reset) is forgotten when the
 * table is swept. Only stray packets can follow a finish: a retransmitted FIN or its ACK, which
 * retransmission backoff brings within a few seconds. tshark keeps every conversation to the end;
 * keeping finished ones for a minute (TIME_WAIT's length) held every connection of a busy capture
 * in memory (a hundred thousand short connections arrive in well under a minute), so memory grew
 * with the number of connections. A packet of a forgotten connection starts a new stream.
 */
const FINISHED_IDLE_SECONDS = 10;
/** Capture seconds after which any silent flow is forgotten when the table is swept. */
const SILENT_IDLE_SECONDS = 600;

interface UdpFlow {
  stream: FlowStream;
  clientKey: EndpointKey;
}

type Entry = { tcp: TcpConnection; udp?: undefined } | { udp: UdpFlow; tcp?: undefined };

export interface FlowStats {
  tcpStreams: number;
  udpStreams: number;
  /** Connections closed early to keep the table bounded (a later packet starts a new stream). */
  evicted: number;
  /** Holes declared gaps because out-of-order data outgrew the global bound. */
  forcedGaps: number;
}

export class FlowTable {
  private readonly flows = new FlowMap<Entry>();
  private readonly budget: PendingBudget = { bytes: 0, holders: new Set<TcpDirection>() };
  private readonly record: ChunkRecord;
  private sinceSweep = 0;
  readonly stats: FlowStats = { tcpStreams: 0, udpStreams: 0, evicted: 0, forcedGaps: 0 };
  /** Direction of the last packet handed to tcp()/udp(). */
  lastDir: Dir = OUT;

  constructor(private readonly sink: StreamSink) {
    this.record = { stream: newFlowStream('tcp', 4, 0), seq: 0, dir: OUT, tsSec: 0, tsNsec: 0, offset: 0, length: 0, captured: 0, gapBefore: 0, data: new Uint8Array(0), frame: 0 };
  }

  /** A TCP segment; returns the stream it belongs to (lastDir says which way it went). */
  tcp(ip: IpPacket, seg: TransportSegment, frameLength: number, tsSec: number, tsNsec: number, frame: number): FlowStream {
    const srcKey = endpointKey(ip, ip.srcAt, seg.srcPort);
    const dstKey = endpointKey(ip, ip.dstAt, seg.dstPort);
    let entry = this.flows.get('tcp', srcKey, dstKey);
    let conn = entry?.tcp;
    if (conn) {
      const dir: Dir = srcKey === conn.clientKey ? OUT : IN;
      if (conn.isNewSyn(dir, seg)) {
        conn.close();
        conn = undefined;
      }
    }
    if (!conn) {
      conn = this.newConnection(ip, seg, srcKey, dstKey, tsSec, tsNsec);
      entry = { tcp: conn };
      this.flows.set('tcp', srcKey, dstKey, entry);
      this.maybeSweep(tsSec);
    }
    const dir: Dir = srcKey === conn.clientKey ? OUT : IN;
    this.lastDir = dir;
    conn.segment(dir, seg, frameLength, tsSec, tsNsec, frame);
    if (this.budget.bytes > MAX_PENDING_BYTES) this.relieve();
    return conn.stream;
  }

  /** A UDP datagram; returns its flow's stream. */
  udp(ip: IpPacket, seg: TransportSegment, frameLength: number, tsSec: number, tsNsec: number, frame: number): FlowStream {
    const srcKey = endpointKey(ip, ip.srcAt, seg.srcPort);
    const dstKey = endpointKey(ip, ip.dstAt, seg.dstPort);
    let flow = this.flows.get('udp', srcKey, dstKey)?.udp;
    if (!flow) {
      const stream = newFlowStream('udp', ip.family, this.stats.udpStreams++);
      const [client, server] = guessClient(ip, seg, srcKey, dstKey);
      assignEndpoints(stream, client, server);
      stream.firstSec = tsSec;
      stream.firstNsec = tsNsec;
      flow = { stream, clientKey: client.key };
      this.flows.set('udp', srcKey, dstKey, { udp: flow });
      this.sink.opened(stream);
      this.maybeSweep(tsSec);
    }
    const s = flow.stream;
    const dir: Dir = srcKey === flow.clientKey ? OUT : IN;
    this.lastDir = dir;
    s.packets[dir]++;
    s.frameBytes[dir] += frameLength;
    s.lastSec = tsSec;
    s.lastNsec = tsNsec;
    if (seg.payloadLength > 0) emitChunk(this.sink, this.record, s, dir, s.bytes[dir], seg.payloadLength, seg.payload, 0, tsSec, tsNsec, frame);
    return s;
  }

  /** End of the capture: every connection and flow is closed. */
  finish(): void {
    for (const { value } of this.flows.entries()) this.closeEntry(value);
    this.flows.clear();
  }

  private newConnection(ip: IpPacket, seg: TransportSegment, srcKey: EndpointKey, dstKey: EndpointKey, tsSec: number, tsNsec: number): TcpConnection {
    const stream = newFlowStream('tcp', ip.family, this.stats.tcpStreams++);
    const syn = (seg.flags & 0x02) !== 0;
    const ack = (seg.flags & 0x10) !== 0;
    const src = endpoint(ip, ip.srcAt, seg.srcPort, srcKey);
    const dst = endpoint(ip, ip.dstAt, seg.dstPort, dstKey);
    let client = src;
    let server = dst;
    if (syn && !ack) stream.clientGuessed = false;
    else if (syn && ack) {
      client = dst;
      server = src;
      stream.clientGuessed = false;
    } else [client, server] = guessClient(ip, seg, srcKey, dstKey);
    assignEndpoints(stream, client, server);
    stream.firstSec = tsSec;
    stream.firstNsec = tsNsec;
    const conn = new TcpConnection(stream, client.key, this.sink, this.record, this.budget);
    this.sink.opened(stream);
    return conn;
  }

  private closeEntry(entry: Entry): void {
    if (entry.tcp) entry.tcp.close();
    else this.sink.closed(entry.udp.stream);
  }

  private relieve(): void {
    while (this.budget.bytes > MAX_PENDING_BYTES) {
      let biggest: TcpDirection | null = null;
      for (const d of this.budget.holders) if (!biggest || d.queued > biggest.queued) biggest = d;
      if (!biggest) return;
      biggest.relieve();
      this.stats.forcedGaps++;
    }
  }

  private maybeSweep(nowSec: number): void {
    if (++this.sinceSweep < SWEEP_EVERY_NEW_FLOWS && this.flows.size <= MAX_FLOWS) return;
    this.sinceSweep = 0;
    if (this.flows.size <= SWEEP_ABOVE) return;
    for (const slot of this.flows.entries()) {
      const entry = slot.value;
      const s = entry.tcp ? entry.tcp.stream : entry.udp.stream;
      const idle = nowSec - s.lastSec;
      if (idle > SILENT_IDLE_SECONDS || (entry.tcp?.finished && idle > FINISHED_IDLE_SECONDS)) {
        this.closeEntry(entry);
        this.flows.delete(slot);
        this.stats.evicted++;
      }
    }
    if (this.flows.size <= MAX_FLOWS) return;
    const byAge = [...this.flows.entries()].sort((a, b) => lastActive(a.value) - lastActive(b.value));
    for (const slot of byAge.slice(0, this.flows.size - Math.floor(MAX_FLOWS * 0.9))) {
      this.closeEntry(slot.value);
      this.flows.delete(slot);
      this.stats.evicted++;
    }
  }
}

function lastActive(entry: Entry): number {
  const s = entry.tcp ? entry.tcp.stream : entry.udp.stream;
  return s.lastSec + s.lastNsec / 1e9;
}

interface Endpoint {
  key: EndpointKey;
  addr: string;
  port: number;
}

function endpoint(ip: IpPacket, at: number, port: number, key: EndpointKey): Endpoint {
  return { key, addr: addressText(ip, at), port };
}

/** The IPv4 addresses printed last, and their text: a capture's connections mostly share a few addresses. */
const v4Text = new Map<number, string>();
const V4_TEXT_MAX = 256;

/** formatAddress of an endpoint's address, an IPv4 one printed once per few connections. */
function addressText(ip: IpPacket, at: number): string {
  if (ip.family !== 4) return formatAddress(ip.family, ip.header, at);
  const b = ip.header;
  const n = ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  let text = v4Text.get(n);
  if (text === undefined) {
    if (v4Text.size >= V4_TEXT_MAX) v4Text.clear();
    text = formatAddress(4, b, at);
    v4Text.set(n, text);
  }
  return text;
}

function assignEndpoints(stream: FlowStream, client: Endpoint, server: Endpoint): void {
  stream.clientAddr = client.addr;
  stream.clientPort = client.port;
  stream.serverAddr = server.addr;
  stream.serverPort = server.port;
}

/** Without a SYN to say who started it, the lower port is the server's (equal ports: the sender is the client). */
function guessClient(ip: IpPacket, seg: TransportSegment, srcKey: EndpointKey, dstKey: EndpointKey): [Endpoint, Endpoint] {
  const src = endpoint(ip, ip.srcAt, seg.srcPort, srcKey);
  const dst = endpoint(ip, ip.dstAt, seg.dstPort, dstKey);
  return seg.srcPort < seg.dstPort ? [dst, src] : [src, dst];
}

/** Address bytes and port as a compact string (latin1 of the bytes for IPv6, the number for IPv4). */
export { IN, OUT };
