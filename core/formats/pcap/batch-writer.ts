// Turns what the pcap parser produces (streams, chunks, packets, interfaces, comments) into batches
// of rows for the index (the generic row batches of core/index/row-batch.ts, tables in
// row-tables.ts), handed to the writer that inserts them on a second thread
// (core/index/row-batch-writer.ts). Rows are held only until their batch is full.
//
// A chunk of a plain capture file is stored as where its bytes lie in the file (chunks.data_at),
// not as a copy: see fileOffsetOf() and core/index/chunk-bytes.ts, which reads them back.
//
// Stream ids are handed out here as streams open (continuing after the highest id in the index),
// so chunks and packets can name their stream before its row is written; the row goes in with the
// batch that first mentions it (with its final values if it closed by then) and is updated once
// more when the stream closes, if its summary changed since the row was written.

import type Database from 'better-sqlite3';
import { tupleText, type ChunkRecord, type FlowStream, type StreamSink } from './parser/flow-stream';
import type { DecodedPacket } from './parser/packet-decoder';
import type { CapturedPacket, CaptureInterface } from './parser/packet';
import { nsWords, toNs } from './parser/timestamp';
import { RowBatchEncoder } from '../../index/row-batch';
import type { RowBatchWriter } from '../../index/row-batch-writer';
import { CHUNK, COMMENT, INTERFACE, PACKET, STAGED_FIRST, STREAM_FINISH, STREAM_OPEN } from './row-tables';
import type { StagedRowOut } from '../../analysis/http/staged-exchanges';
import { HeaderFields } from '../../analysis/http/group-rows';

const DIR = ['out', 'in'] as const;
// strCol() cache slots: consecutive packets and chunks mostly repeat these.
const PACKET_PROTO = 0;
const PACKET_DIR = 1;
const CHUNK_DIR = 2;
/** Staged rows' s columns: from here, a slot per table and column (STAGED_SLOTS_PER_TABLE a table). */
const STAGED_COLUMNS = 3;
const STAGED_SLOTS_PER_TABLE = 64;

export class PcapIndexWriter implements StreamSink, StagedRowOut {
  private nextStreamId: number;
  private readonly batch: RowBatchEncoder;
  private newStreams: FlowStream[] = [];
  private closedStreams: FlowStream[] = [];
  /** Streams opened since the last batch: their row is inserted (with final values if closed) then. */
  private readonly unwritten = new Set<FlowStream>();

  constructor(
    db: Database.Database,
    private readonly rows: RowBatchWriter,
  ) {
    this.nextStreamId = Number((db.prepare('SELECT coalesce(max(id), 0) FROM streams').pluck().get() as number | bigint) ?? 0) + 1;
    this.batch = new RowBatchEncoder(rows.buffers());
  }

  /**
   * The packet being decoded, whose chunks may be stored by reference (see fileOffsetOf), or null
   * when nothing is being decoded or the evidence is not a plain file. Set by the ingest before it
   * decodes each packet of a plain capture.
   */
  current: CapturedPacket | null = null;

  // ----- StreamSink -----

  opened(stream: FlowStream): void {
    stream.ref = this.nextStreamId++;
    this.newStreams.push(stream);
    this.unwritten.add(stream);
  }

  chunk(c: ChunkRecord): void {
    const b = this.batch;
    const at = this.fileOffsetOf(c.data);
    if (b.full || (at === null && !b.hasDataRoom(c.data.length))) this.flush();
    b.row(CHUNK);
    b.num(c.stream.ref);
    b.num(c.seq);
    this.ns(c.tsSec, c.tsNsec);
    b.strCol(CHUNK_DIR, DIR[c.dir]);
    b.num(c.offset);
    b.num(c.length);
    b.num(c.captured);
    b.num(c.gapBefore);
    b.bytes(at === null ? c.data : null);
    b.num(c.frame);
    b.num(at);
  }

  /**
   * Where a chunk's bytes lie in the evidence file, when they can be read from there: the entry is
   * the file itself (no compression, no archive) and the bytes are a view of the packet being
   * decoded (same buffer, inside its captured bytes). Bytes that waited (an out-of-order segment,
   * copied) or were put together (IP fragments) are not in the file in one piece: null, kept.
   */
  private fileOffsetOf(data: Uint8Array): number | null {
    const p = this.current;
    if (p === null || data.length === 0 || data.buffer !== p.data.buffer) return null;
    const delta = data.byteOffset - p.data.byteOffset;
    if (delta < 0 || delta + data.length > p.data.length) return null;
    return p.dataOffset + delta;
  }

  /**
   * A stream's row is updated when it closes, unless nothing of its summary changed since the row
   * was written: a short connection is mostly over by the batch that inserts its row, and is closed
   * only when the flow table forgets it, long after (the UPDATE would write the same values).
   */
  closed(stream: FlowStream): void {
    if (this.unwritten.has(stream)) return;
    if (stream.rowMark === summaryMark(stream) && stream.rowState === stream.state) return;
    this.closedStreams.push(stream);
  }

  /**
   * A time column: nanoseconds since the epoch, handed to the batch by halves where that is exact
   * (no BigInt made for each of millions of packets and chunks), else as toNs makes it.
   */
  private ns(sec: number, nsec: number): void {
    const w = this.words;
    if (nsWords(sec, nsec, w)) this.batch.bigWords(w.high, w.low);
    else this.batch.big(toNs(sec, nsec));
  }

  private readonly words = { high: 0, low: 0 };

  // ----- the rest of the capture -----

  packet(p: CapturedPacket, d: DecodedPacket): void {
    const b = this.batch;
    if (b.full) this.flush();
    const tcp = d.kind === 'tcp';
    const flow = tcp || d.kind === 'udp';
    b.row(PACKET);
    b.num(p.frame);
    this.ns(p.tsSec, p.tsNsec);
    b.num(p.offset);
    b.num(p.data.length);
    b.num(p.origLen);
    b.num(p.interfaceId);
    b.strCol(PACKET_PROTO, d.kind);
    b.num(flow ? d.stream!.ref : null);
    b.strCol(PACKET_DIR, flow ? DIR[d.dir] : null);
    b.num(tcp ? d.tcpFlags : null);
    b.num(flow ? d.payloadLength : null);
  }

  captureInterface(i: CaptureInterface): void {
    const b = this.batch;
    if (b.full) this.flush();
    b.row(INTERFACE);
    b.num(i.id);
    b.num(i.linkType);
    b.num(i.snapLen);
    b.str(i.name);
    b.str(i.unitsPerSecond.toString());
    b.big(i.offsetSeconds);
    for (const text of i.comments) this.addComment('interface', 0, i.id, null, text);
  }

  comment(scope: 'section' | 'packet', offset: number, frame: number | null, text: string): void {
    this.addComment(scope, offset, null, frame, text);
  }

  /** An HTTP row staged during the read (core/analysis/http/staged-exchanges.ts). */
  staged(table: number, kinds: string, values: readonly unknown[], lead?: number): void {
    const b = this.batch;
    // The row's first column is `lead` when given (its values follow), else values[0].
    const skip = lead === undefined ? 0 : 1;
    // Room for its text at the worst (3 bytes a UTF-16 unit): a data area grown past its size is not reused.
    let text = 0;
    for (let i = skip; i < kinds.length; i++) {
      if (kinds.charCodeAt(i) !== 0x74) continue;
      const v = values[i - skip];
      if (typeof v === 'string') text += v.length * 3;
      else if (v instanceof HeaderFields) text += v.maxBytes();
    }
    if (b.full || !b.hasDataRoom(text)) this.flush();
    b.row(STAGED_FIRST + table);
    if (lead !== undefined) b.num(lead);
    for (let i = skip; i < kinds.length; i++) {
      const v = values[i - skip];
      switch (kinds.charCodeAt(i)) {
        case 0x6e: // n
          if (typeof v === 'bigint') throw new Error(`staged row: column ${i} of table ${table} is a bigint where a number was expected`);
          b.num((v as number | null | undefined) ?? null);
          break;
        case 0x62: // b
          b.big(v === null || v === undefined ? null : typeof v === 'bigint' ? v : BigInt(v as number));
          break;
        case 0x73: // s
          // Consecutive exchanges mostly repeat these (server, method, version, reason, host).
          b.strCol(STAGED_COLUMNS + table * STAGED_SLOTS_PER_TABLE + i, (v as string | null | undefined) ?? null);
          break;
        default: // t
          if (v instanceof HeaderFields) {
            // Its JSON written straight into the batch, never made as a string (group-rows.ts).
            const d = b.reserveData(v.maxBytes());
            const start = b.dataOffset;
            b.commitData(v.writeUtf8(d, start) - start);
          } else b.text((v as string | null | undefined) ?? null);
      }
    }
  }

  /** Hands over everything held so far. */
  flush(): void {
    const b = this.batch;
    if (b.empty && this.newStreams.length === 0 && this.closedStreams.length === 0) return;
    // Stream rows go after the chunks and packets that name them, in the same transaction.
    for (const s of this.newStreams) this.addStreamRow(s);
    for (const s of this.closedStreams) this.addStreamUpdate(s);
    this.newStreams = [];
    this.closedStreams = [];
    this.unwritten.clear();
    this.rows.write(b.take(this.rows.buffers()));
  }

  private addComment(scope: 'section' | 'interface' | 'packet', offset: number, interfaceId: number | null, frame: number | null, text: string): void {
    const b = this.batch;
    if (b.full) this.flush();
    b.row(COMMENT);
    b.str(scope);
    b.num(offset);
    b.num(interfaceId);
    b.num(frame);
    b.text(text);
  }

  // A batch is handed over when fewer slots are left than the widest record takes, so the stream
  // rows added at the flush might not fit: the encoder's reserve is sized for one record, and
  // flush() adds one per stream. Hence the check per stream row, which hands over what is there.
  private addStreamRow(s: FlowStream): void {
    const b = this.batch;
    if (b.full) this.rows.write(b.take(this.rows.buffers()));
    b.row(STREAM_OPEN);
    b.num(s.ref);
    b.str(s.kind);
    b.str(s.kind);
    b.num(s.family);
    b.str(s.clientAddr);
    b.num(s.clientPort);
    b.str(s.serverAddr);
    b.num(s.serverPort);
    b.num(s.clientGuessed ? 1 : 0);
    b.text(tupleText(s));
    b.num(s.index);
    this.addCounts(s);
    this.ns(s.firstSec, s.firstNsec);
    this.ns(s.lastSec, s.lastNsec);
    b.str(s.state);
    s.rowMark = summaryMark(s);
    s.rowState = s.state;
  }

  private addStreamUpdate(s: FlowStream): void {
    const b = this.batch;
    if (b.full) this.rows.write(b.take(this.rows.buffers()));
    b.row(STREAM_FINISH);
    this.addCounts(s);
    this.ns(s.lastSec, s.lastNsec);
    b.str(s.state);
    b.num(s.ref);
  }

  /** bytes, captured, packets, frame bytes (each in then out), chunk count, gap bytes. */
  private addCounts(s: FlowStream): void {
    const b = this.batch;
    b.num(s.bytes[1]);
    b.num(s.bytes[0]);
    b.num(s.captured[1]);
    b.num(s.captured[0]);
    b.num(s.packets[1]);
    b.num(s.packets[0]);
    b.num(s.frameBytes[1]);
    b.num(s.frameBytes[0]);
    b.num(s.chunks);
    b.num(s.gapBytes);
  }
}

/**
 * Changes whenever a stream's row values (counts, last time) may have: every one of them moves only
 * with a packet (counts, frame bytes, last time) or a chunk (bytes, captured, gaps, chunk count), and
 * both counts only grow.
 */
function summaryMark(s: FlowStream): number {
  return s.packets[0] + s.packets[1] + s.chunks;
}
