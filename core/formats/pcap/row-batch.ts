// One batch of pcap ingest rows in the form the writer thread takes them (pcap-row-writer.ts):
// chunks and packets as numbers in Float64Arrays, one fixed-width record per row, and every chunk's
// payload copied back to back into one data area. Three ArrayBuffers that move to the writer
// thread without copying, and come back to be filled again: no object per row, nothing for
// structured cloning to walk. The few rows that are not per packet (streams, interfaces, comments)
// travel as plain arrays of values.
//
// Timestamps travel as (seconds, nanoseconds) and become the INTEGER nanoseconds of the index on
// the writer thread, off the parsing thread's heap.

/** Float64 fields of a chunk record; the payload is the next `dataLength` bytes of the data area. */
export const CHUNK_FIELDS = { streamId: 0, seq: 1, tsSec: 2, tsNsec: 3, dir: 4, offset: 5, length: 6, captured: 7, gapBefore: 8, frame: 9, dataLength: 10, width: 11 } as const;

/** Float64 fields of a packet record; NaN stands for SQL NULL. `proto` indexes the batch's `protos`. */
export const PACKET_FIELDS = { frame: 0, tsSec: 1, tsNsec: 2, fileOffset: 3, capLen: 4, origLen: 5, interfaceId: 6, proto: 7, streamId: 8, dir: 9, tcpFlags: 10, payloadLength: 11, width: 12 } as const;

export type ChunkFields = typeof CHUNK_FIELDS;
export type PacketFields = typeof PACKET_FIELDS;

/** Rows of each kind a batch holds at most, and bytes of payload. */
export const BATCH_CHUNKS = 16_384;
export const BATCH_PACKETS = 16_384;
export const BATCH_DATA_BYTES = 8 * 1024 * 1024;

/** The three buffers of a batch, as they are handed back for reuse. */
export interface BatchBuffers {
  chunkMeta: ArrayBuffer;
  packetMeta: ArrayBuffer;
  data: ArrayBuffer;
}

/** A statement other than the per-packet ones, with its values. */
export interface OtherRow {
  table: 'capture_interfaces' | 'capture_comments';
  values: unknown[];
}

/** What crosses to the writer thread: written in this order, in one transaction. */
export interface RowBatchMessage extends BatchBuffers {
  others: OtherRow[];
  /** streams rows to insert, values in PcapRowStore's column order. */
  newStreams: unknown[][];
  /** streams rows to update when their stream closed after its insert. */
  streamUpdates: unknown[][];
  chunkCount: number;
  packetCount: number;
  protos: string[];
}

export function newBatchBuffers(): BatchBuffers {
  return {
    chunkMeta: new ArrayBuffer(BATCH_CHUNKS * CHUNK_FIELDS.width * 8),
    packetMeta: new ArrayBuffer(BATCH_PACKETS * PACKET_FIELDS.width * 8),
    data: new ArrayBuffer(BATCH_DATA_BYTES),
  };
}

/** Whether buffers handed back are the standard size (one grown for a huge chunk is not kept). */
export function reusable(b: BatchBuffers): boolean {
  return b.data.byteLength === BATCH_DATA_BYTES && b.chunkMeta.byteLength === BATCH_CHUNKS * CHUNK_FIELDS.width * 8 && b.packetMeta.byteLength === BATCH_PACKETS * PACKET_FIELDS.width * 8;
}

/** Fills one batch's buffers. */
export class RowBatchBuilder {
  chunkCount = 0;
  packetCount = 0;
  others: OtherRow[] = [];
  private chunkMeta: Float64Array;
  private packetMeta: Float64Array;
  private data: Uint8Array;
  private dataBytes = 0;
  private readonly protoIndex = new Map<string, number>();
  private protos: string[] = [];

  constructor(buffers: BatchBuffers) {
    this.chunkMeta = new Float64Array(buffers.chunkMeta);
    this.packetMeta = new Float64Array(buffers.packetMeta);
    this.data = new Uint8Array(buffers.data);
  }

  get rows(): number {
    return this.chunkCount + this.packetCount + this.others.length;
  }

  get empty(): boolean {
    return this.rows === 0;
  }

  /** Whether a chunk of `bytes` payload bytes fits; a batch with no chunks yet takes any chunk. */
  fitsChunk(bytes: number): boolean {
    if (this.chunkCount === 0) return true;
    return this.chunkCount < BATCH_CHUNKS && this.dataBytes + bytes <= this.data.length;
  }

  get packetsFull(): boolean {
    return this.packetCount === BATCH_PACKETS;
  }

  addChunk(streamId: number, seq: number, tsSec: number, tsNsec: number, dir: number, offset: number, length: number, captured: number, gapBefore: number, payload: Uint8Array, frame: number): void {
    if (payload.length > this.data.length) this.growData(payload.length);
    const m = this.chunkMeta;
    const at = this.chunkCount++ * CHUNK_FIELDS.width;
    m[at] = streamId;
    m[at + 1] = seq;
    m[at + 2] = tsSec;
    m[at + 3] = tsNsec;
    m[at + 4] = dir;
    m[at + 5] = offset;
    m[at + 6] = length;
    m[at + 7] = captured;
    m[at + 8] = gapBefore;
    m[at + 9] = frame;
    m[at + 10] = payload.length;
    this.data.set(payload, this.dataBytes);
    this.dataBytes += payload.length;
  }

  /** `streamId`, `dir`, `tcpFlags`, `payloadLength`: NaN for NULL. */
  addPacket(frame: number, tsSec: number, tsNsec: number, fileOffset: number, capLen: number, origLen: number, interfaceId: number, proto: string, streamId: number, dir: number, tcpFlags: number, payloadLength: number): void {
    let p = this.protoIndex.get(proto);
    if (p === undefined) {
      p = this.protos.length;
      this.protos.push(proto);
      this.protoIndex.set(proto, p);
    }
    const m = this.packetMeta;
    const at = this.packetCount++ * PACKET_FIELDS.width;
    m[at] = frame;
    m[at + 1] = tsSec;
    m[at + 2] = tsNsec;
    m[at + 3] = fileOffset;
    m[at + 4] = capLen;
    m[at + 5] = origLen;
    m[at + 6] = interfaceId;
    m[at + 7] = p;
    m[at + 8] = streamId;
    m[at + 9] = dir;
    m[at + 10] = tcpFlags;
    m[at + 11] = payloadLength;
  }

  /** The batch as it crosses to the writer; the builder must not be used after. */
  finish(newStreams: unknown[][], streamUpdates: unknown[][]): RowBatchMessage {
    return {
      chunkMeta: this.chunkMeta.buffer as ArrayBuffer,
      packetMeta: this.packetMeta.buffer as ArrayBuffer,
      data: this.data.buffer as ArrayBuffer,
      others: this.others,
      newStreams,
      streamUpdates,
      chunkCount: this.chunkCount,
      packetCount: this.packetCount,
      protos: this.protos,
    };
  }

  /** A chunk larger than the whole data area (only on an empty batch: see fitsChunk) gets an area of its own. */
  private growData(bytes: number): void {
    const data = new Uint8Array(bytes);
    data.set(this.data.subarray(0, this.dataBytes));
    this.data = data;
  }
}
