// One TCP connection: who is the client, its lifecycle (SYN, SYN-ACK, FIN, RST), per-direction
// counters, and the two directions' reassembly, whose output becomes the stream's chunks.

import { emitChunk, IN, OUT, type ChunkRecord, type Dir, type FlowStream, type StreamSink } from './flow-stream';
import { TcpDirection, type DeliverTarget, type PendingBudget } from './tcp-direction';
import { TCP_FLAGS, type TransportSegment } from './transport';
import type { EndpointKey } from './flow-map';

const SYN_ACK = TCP_FLAGS.SYN | TCP_FLAGS.ACK;

export class TcpConnection implements DeliverTarget {
  readonly dirs: [TcpDirection, TcpDirection];
  /** Endpoint key ("address|port") of the client, to tell directions apart. */
  readonly clientKey: EndpointKey;
  private synAck = false;
  private rst = false;
  closed = false;
  /** The sink was told the connection finished (StreamSink.finished). */
  private finishReported = false;

  constructor(
    readonly stream: FlowStream,
    clientKey: EndpointKey,
    private readonly sink: StreamSink,
    private readonly record: ChunkRecord,
    budget: PendingBudget,
  ) {
    this.clientKey = clientKey;
    this.dirs = [new TcpDirection(OUT, this, budget), new TcpDirection(IN, this, budget)];
  }

  /** True when this SYN (without ACK) opens a new connection on the same addresses and ports. */
  isNewSyn(dir: Dir, seg: TransportSegment): boolean {
    if ((seg.flags & SYN_ACK) !== TCP_FLAGS.SYN) return false;
    // tshark's rule: a SYN whose sequence number differs from the one that direction started with
    // is port reuse; the same one is a retransmitted SYN.
    const d = this.dirs[dir];
    if (!d.started) return false;
    return d.isn !== seg.seq;
  }

  /** One TCP segment of this connection, travelling in `dir`. */
  segment(dir: Dir, seg: TransportSegment, frameLength: number, tsSec: number, tsNsec: number, frame: number): void {
    const s = this.stream;
    s.packets[dir]++;
    s.frameBytes[dir] += frameLength;
    s.lastSec = tsSec;
    s.lastNsec = tsNsec;
    const flags = seg.flags;
    const d = this.dirs[dir];
    const syn = (flags & TCP_FLAGS.SYN) !== 0;
    if (!d.started) d.start(seg.seq, syn);
    if ((flags & SYN_ACK) === SYN_ACK) this.synAck = true;
    if (flags & TCP_FLAGS.RST) this.rst = true;
    // Acknowledgements first: they may show that the other side's missing bytes were really sent.
    if (flags & TCP_FLAGS.ACK) this.dirs[(1 - dir) as Dir].acknowledged(seg.ack);
    if (seg.payloadLength > 0) {
      d.segment(syn ? (seg.seq + 1) >>> 0 : seg.seq, seg.payloadLength, seg.payload.length > seg.payloadLength ? seg.payload.subarray(0, seg.payloadLength) : seg.payload, tsSec, tsNsec, frame);
    }
    if (flags & TCP_FLAGS.FIN) d.fin = true;
    s.state = this.state();
    if (!this.finishReported && this.finished && this.dirs[OUT].queued === 0 && this.dirs[IN].queued === 0) {
      this.finishReported = true;
      this.sink.finished?.(s);
    }
  }

  deliver(dir: Dir, offset: number, length: number, data: Uint8Array, gapBefore: number, tsSec: number, tsNsec: number, frame: number): void {
    emitChunk(this.sink, this.record, this.stream, dir, offset, length, data, gapBefore, tsSec, tsNsec, frame);
  }

  /** Ends the connection: queued segments are delivered (holes become gaps) and the summary is final. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dirs[OUT].flush();
    this.dirs[IN].flush();
    this.stream.state = this.state();
    this.sink.closed(this.stream);
  }

  /** Both sides finished or one reset: only stray retransmissions can follow. */
  get finished(): boolean {
    return this.rst || (this.dirs[OUT].fin && this.dirs[IN].fin);
  }

  private state(): FlowStream['state'] {
    if (this.rst) return 'rst';
    const finOut = this.dirs[OUT].fin;
    const finIn = this.dirs[IN].fin;
    if (finOut && finIn) return 'closed';
    if (finOut || finIn) return 'fin';
    if (this.synAck) return 'established';
    if (this.dirs[OUT].isn !== -1) return 'syn';
    return 'midstream';
  }
}
