// gRPC's Length-Prefixed-Message framing over one direction of one HTTP/2 stream: each message is a
// compressed flag (1 octet), a length (4 octets, big-endian) and that many octets, laid across the
// stream's DATA frames with no regard for frame boundaries. Only the 5-octet prefixes are read;
// message bytes are counted (and may be missing from the capture). Messages are never decoded
// (that needs the schema): their places are kept for a view to show their bytes.

export interface GrpcMessage {
  /** Offset of the prefix's first octet in the direction of the connection. */
  offset: number;
  /** The message's length as its prefix declares it. */
  length: number;
  compressed: boolean;
  /** Where its bytes lie in the direction: [offset, length] pieces, one per DATA frame it spans. */
  pieces: [number, number][];
  /** All its bytes arrived before the stream ended. */
  complete: boolean;
}

/** Messages whose places are kept per stream direction (the rest are counted). */
export const KEPT_MESSAGES = 64;

export class GrpcMessageSplitter {
  readonly messages: GrpcMessage[] = [];
  count = 0;
  /** A prefix octet was not captured: message boundaries after it are unknown. */
  lostSync = false;
  private prefix = new Uint8Array(5);
  private prefixHave = 0;
  private prefixOffset = 0;
  /** Octets of the current message still to come. */
  private remaining = 0;
  private current: GrpcMessage | null = null;

  /** Whether bytes at [offset, offset + length) of DATA payload are needed (a prefix may lie in them). */
  needsBytes(length: number): boolean {
    return !this.lostSync && length > this.remaining;
  }

  /**
   * Takes `length` octets of DATA payload starting at `offset` in the direction; `data` holds the
   * captured ones (a prefix of them), or null when none were captured.
   */
  push(offset: number, length: number, data: Uint8Array | null): void {
    let p = 0;
    while (p < length && !this.lostSync) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, length - p);
        if (this.current) {
          const last = this.current.pieces.at(-1);
          if (last && last[0] + last[1] === offset + p) last[1] += n;
          else if (this.current.pieces.length < 16) this.current.pieces.push([offset + p, n]);
        }
        this.remaining -= n;
        p += n;
        if (this.remaining === 0) this.finishMessage();
        continue;
      }
      if (data === null || p >= data.length) {
        this.lostSync = true;
        this.current = null;
        return;
      }
      if (this.prefixHave === 0) this.prefixOffset = offset + p;
      this.prefix[this.prefixHave++] = data[p++]!;
      if (this.prefixHave === 5) {
        this.prefixHave = 0;
        const length32 = ((this.prefix[1]! << 24) >>> 0) + (this.prefix[2]! << 16) + (this.prefix[3]! << 8) + this.prefix[4]!;
        this.count++;
        const m: GrpcMessage = { offset: this.prefixOffset, length: length32, compressed: (this.prefix[0]! & 1) === 1, pieces: [], complete: false };
        this.current = this.messages.length < KEPT_MESSAGES ? m : null;
        if (this.current) this.messages.push(m);
        this.remaining = length32;
        if (length32 === 0) this.finishMessage();
      }
    }
  }

  /** At the stream's end: octets of a message that never came (its prefix said more than its frames held). */
  get missing(): number {
    return this.remaining + (this.prefixHave > 0 ? 5 - this.prefixHave : 0);
  }

  /** Offset of the message left unfinished, if one. */
  get unfinishedOffset(): number {
    return this.prefixOffset;
  }

  private finishMessage(): void {
    if (this.current) this.current.complete = true;
    this.current = null;
  }
}
