// One direction of a TCP connection: puts segments back in sequence order.
//
// Positions are kept as byte offsets from the direction's first byte (a plain number: no 2^32
// wrap), derived from each segment's 32-bit sequence number by its signed distance to the next
// expected one. A segment at the next offset is delivered at once; one before it is a
// retransmission or an overlap and only its new bytes are delivered (the first copy of a byte
// wins, as in tshark's Follow TCP Stream); one after it waits in a queue.
//
// A hole in front of the queue becomes a gap, recorded and never spliced over, when the other
// side acknowledges bytes past it (the receiver had them: the capture missed them), when the
// queue outgrows its bounds, or when the connection ends.

import type { Dir } from './flow-stream';
import { ownCopy } from './own-copy';
import { seqAdd, seqDistance } from './seq';

/** Out-of-order bytes one direction may hold before its first hole is declared a gap. */
export const MAX_DIRECTION_PENDING_BYTES = 4 * 1024 * 1024;
/** Out-of-order segments one direction may hold (bounds the bookkeeping of tiny segments). */
export const MAX_DIRECTION_PENDING_SEGMENTS = 4096;

interface Pending {
  offset: number;
  length: number;
  data: Uint8Array;
  tsSec: number;
  tsNsec: number;
  frame: number;
}

/** Receives what a direction delivers, in order. */
export interface DeliverTarget {
  deliver(dir: Dir, offset: number, length: number, data: Uint8Array, gapBefore: number, tsSec: number, tsNsec: number, frame: number): void;
}

/** Pending bytes across every direction of every connection, and who holds them. */
export interface PendingBudget {
  bytes: number;
  holders: Set<TcpDirection>;
}

export class TcpDirection {
  /** A packet has been seen in this direction (tshark: base sequence number set). */
  started = false;
  /** The SYN's sequence number, once a SYN was seen in this direction. */
  isn = -1;
  fin = false;
  /** Offset of the next byte to deliver and its sequence number. */
  offset = 0;
  nextSeq = 0;
  /** Bytes of retransmitted or overlapping data dropped. */
  duplicateBytes = 0;
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private gap = 0;

  constructor(
    readonly dir: Dir,
    private readonly target: DeliverTarget,
    private readonly budget: PendingBudget,
  ) {}

  /** The first packet of the direction fixes where its byte stream starts. */
  start(seq: number, syn: boolean): void {
    this.started = true;
    if (syn) this.isn = seq;
    this.nextSeq = syn ? seqAdd(seq, 1) : seq;
  }

  get queued(): number {
    return this.pendingBytes;
  }

  /** A segment's payload: `seq` is the sequence number of its first byte, `data` what was captured of `length`. */
  segment(seq: number, length: number, data: Uint8Array, tsSec: number, tsNsec: number, frame: number): void {
    const offset = this.offset + seqDistance(this.nextSeq, seq);
    if (offset > this.offset) {
      this.enqueue({ offset, length, data: ownCopy(data), tsSec, tsNsec, frame });
      return;
    }
    this.accept(offset, length, data, tsSec, tsNsec, frame);
    if (this.pending.length) this.drain();
  }

  /** The other direction acknowledged up to `ack`: holes below it were missed by the capture. */
  acknowledged(ack: number): void {
    if (!this.pending.length) return;
    const acked = this.offset + seqDistance(this.nextSeq, ack);
    while (this.pending.length && acked > this.pending[0]!.offset) this.skipToQueued();
  }

  /** The connection is over (or evicted): everything queued is delivered, holes becoming gaps. */
  flush(): void {
    while (this.pending.length) this.skipToQueued();
  }

  private accept(offset: number, length: number, data: Uint8Array, tsSec: number, tsNsec: number, frame: number): void {
    const end = offset + length;
    if (end <= this.offset) {
      this.duplicateBytes += length;
      return;
    }
    const skip = this.offset - offset;
    if (skip > 0) this.duplicateBytes += skip;
    const fresh = length - skip;
    const gap = this.gap;
    this.gap = 0;
    this.offset += fresh;
    this.nextSeq = seqAdd(this.nextSeq, fresh);
    this.target.deliver(this.dir, end - fresh, fresh, skip > 0 ? data.subarray(Math.min(skip, data.length)) : data, gap, tsSec, tsNsec, frame);
  }

  private drain(): void {
    while (this.pending.length && this.pending[0]!.offset <= this.offset) {
      const p = this.pending.shift()!;
      this.release(p);
      this.accept(p.offset, p.length, p.data, p.tsSec, p.tsNsec, p.frame);
    }
    if (!this.pending.length) this.budget.holders.delete(this);
  }

  /** Declares the hole before the first queued segment a gap and delivers what then fits. */
  private skipToQueued(): void {
    const first = this.pending[0]!;
    if (first.offset > this.offset) {
      const missing = first.offset - this.offset;
      this.gap += missing;
      this.offset = first.offset;
      this.nextSeq = seqAdd(this.nextSeq, missing);
    }
    this.drain();
  }

  private enqueue(p: Pending): void {
    // Insert after every segment starting at or before it: earlier arrivals stay first.
    let lo = 0;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pending[mid]!.offset <= p.offset) lo = mid + 1;
      else hi = mid;
    }
    this.pending.splice(lo, 0, p);
    this.pendingBytes += p.data.length;
    this.budget.bytes += p.data.length;
    this.budget.holders.add(this);
    while (this.pendingBytes > MAX_DIRECTION_PENDING_BYTES || this.pending.length > MAX_DIRECTION_PENDING_SEGMENTS) this.skipToQueued();
  }

  private release(p: Pending): void {
    this.pendingBytes -= p.data.length;
    this.budget.bytes -= p.data.length;
  }

  /** Called by the flow table when the global budget is exceeded: gives up its first hole. */
  relieve(): void {
    if (this.pending.length) this.skipToQueued();
  }
}
