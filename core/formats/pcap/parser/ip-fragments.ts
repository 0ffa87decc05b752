// IPv4 and IPv6 fragment reassembly. A datagram is complete once the fragments cover it from 0 to
// the end named by the last fragment (the one without "more fragments"); the transport header and
// payload are then handed on as if they had arrived in the frame that completed them, which is
// what Wireshark does, so frame numbers and per-connection counts agree with tshark.
//
// Memory is bounded: at most MAX_DATAGRAMS datagrams and MAX_PENDING_BYTES bytes wait at a time,
// and a datagram waits at most TIMEOUT_SECONDS of capture time (Linux's ipfrag_time is 30 s); the
// oldest are dropped first and counted, never silently.

import { ownCopy } from './own-copy';

const MAX_DATAGRAMS = 4096;
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
const TIMEOUT_SECONDS = 60;
/** An IPv4 datagram is at most 65535 bytes; an IPv6 one without jumbograms too. */
const MAX_DATAGRAM_BYTES = 65535;

interface Piece {
  start: number;
  data: Uint8Array;
}

interface Datagram {
  pieces: Piece[];
  /** Payload length once the last fragment is seen, else -1. */
  total: number;
  bytes: number;
  firstSec: number;
  /** A fragment was cut short by the snapshot length: the datagram cannot be rebuilt. */
  truncated: boolean;
}

export interface FragmentStats {
  reassembled: number;
  /** Datagrams dropped before completion (timed out, evicted for memory, or cut by the snaplen). */
  dropped: number;
  /** Fragments that overlapped with earlier ones (first arrival wins). */
  overlaps: number;
}

export class FragmentReassembler {
  private readonly pending = new Map<string, Datagram>();
  private pendingBytes = 0;
  readonly stats: FragmentStats = { reassembled: 0, dropped: 0, overlaps: 0 };

  /**
   * Adds one fragment: `start` is its offset in the datagram's payload, `wireLength` its payload
   * length on the wire, `data` the captured part. Returns the whole payload when this fragment
   * completes the datagram, else null.
   */
  add(key: string, start: number, wireLength: number, more: boolean, data: Uint8Array, sec: number): Uint8Array | null {
    let d = this.pending.get(key);
    if (!d) {
      this.expire(sec);
      d = { pieces: [], total: -1, bytes: 0, firstSec: sec, truncated: false };
      this.pending.set(key, d);
    }
    if (data.length < wireLength) d.truncated = true;
    const end = start + wireLength;
    if (!more) d.total = end;
    if (end > MAX_DATAGRAM_BYTES || (d.total >= 0 && end > d.total)) d.truncated = true;
    if (!d.truncated && wireLength > 0) {
      if (d.pieces.some((p) => start < p.start + p.data.length && p.start < end)) this.stats.overlaps++;
      d.pieces.push({ start, data: ownCopy(data.subarray(0, wireLength)) });
      d.bytes += wireLength;
      this.pendingBytes += wireLength;
    }
    if (d.total < 0) {
      this.bound();
      return null;
    }
    if (d.truncated) {
      this.drop(key, d);
      return null;
    }
    const whole = this.assemble(d);
    if (!whole) {
      this.bound();
      return null;
    }
    this.pending.delete(key);
    this.pendingBytes -= d.bytes;
    this.stats.reassembled++;
    return whole;
  }

  /** Datagrams still waiting at the end of the capture are counted as dropped. */
  finish(): void {
    for (const [key, d] of this.pending) this.drop(key, d);
  }

  private assemble(d: Datagram): Uint8Array | null {
    // Earlier arrivals win: sort by start, stable, and fill only what is not yet filled.
    const pieces = [...d.pieces].sort((a, b) => a.start - b.start);
    let covered = 0;
    for (const p of pieces) {
      if (p.start > covered) return null;
      covered = Math.max(covered, p.start + p.data.length);
    }
    if (covered < d.total) return null;
    const whole = new Uint8Array(d.total);
    const filled = new Uint8Array(d.total);
    for (const p of d.pieces) {
      for (let i = 0; i < p.data.length; i++) {
        const at = p.start + i;
        if (at < d.total && !filled[at]) {
          whole[at] = p.data[i]!;
          filled[at] = 1;
        }
      }
    }
    return whole;
  }

  private drop(key: string, d: Datagram): void {
    this.pending.delete(key);
    this.pendingBytes -= d.bytes;
    this.stats.dropped++;
  }

  private expire(sec: number): void {
    // Map order is arrival order, so the oldest are first.
    for (const [key, d] of this.pending) {
      if (sec - d.firstSec <= TIMEOUT_SECONDS) break;
      this.drop(key, d);
    }
  }

  private bound(): void {
    for (const [key, d] of this.pending) {
      if (this.pending.size <= MAX_DATAGRAMS && this.pendingBytes <= MAX_PENDING_BYTES) break;
      this.drop(key, d);
    }
  }
}
