// Turns what the pcap parser produces (streams, chunks, packets, interfaces, comments) into batches
// of rows for the index (core/index/pcap-row-batch.ts), handed to the writer that inserts them
// (core/index/pcap-row-writer.ts: a second thread). Rows are held only until their batch is full.
//
// Stream ids are handed out here as streams open (continuing after the highest id in the index),
// so chunks and packets can name their stream before its row is written; the row goes in with the
// batch that first mentions it and is updated once more when the stream closes.

import type Database from 'better-sqlite3';
import { tupleText, type ChunkRecord, type FlowStream, type StreamSink } from './parser/flow-stream';
import type { DecodedPacket } from './parser/packet-decoder';
import type { CapturedPacket, CaptureInterface } from './parser/packet';
import { toNs } from './parser/timestamp';
import { RowBatchBuilder } from './row-batch';
import type { RowWriter } from './row-writer';

export class PcapIndexWriter implements StreamSink {
  private nextStreamId: number;
  private batch: RowBatchBuilder;
  private newStreams: FlowStream[] = [];
  private closedStreams: FlowStream[] = [];
  /** Streams opened since the last batch: their row is inserted (with final values if closed) then. */
  private readonly unwritten = new Set<FlowStream>();

  constructor(
    db: Database.Database,
    private readonly sourceId: number,
    private readonly rows: RowWriter,
  ) {
    this.nextStreamId = Number((db.prepare('SELECT coalesce(max(id), 0) FROM streams').pluck().get() as number | bigint) ?? 0) + 1;
    this.batch = new RowBatchBuilder(rows.buffers());
  }

  // ----- StreamSink -----

  opened(stream: FlowStream): void {
    stream.ref = this.nextStreamId++;
    this.newStreams.push(stream);
    this.unwritten.add(stream);
  }

  chunk(c: ChunkRecord): void {
    if (!this.batch.fitsChunk(c.data.length)) this.flush();
    this.batch.addChunk(c.stream.ref, c.seq, c.tsSec, c.tsNsec, c.dir, c.offset, c.length, c.captured, c.gapBefore, c.data, c.frame);
  }

  closed(stream: FlowStream): void {
    if (!this.unwritten.has(stream)) this.closedStreams.push(stream);
  }

  // ----- the rest of the capture -----

  packet(p: CapturedPacket, d: DecodedPacket): void {
    if (this.batch.packetsFull) this.flush();
    const tcp = d.kind === 'tcp';
    const flow = tcp || d.kind === 'udp';
    this.batch.addPacket(
      p.frame,
      p.tsSec,
      p.tsNsec,
      p.offset,
      p.data.length,
      p.origLen,
      p.interfaceId,
      d.kind,
      flow ? d.stream!.ref : NaN,
      flow ? d.dir : NaN,
      tcp ? d.tcpFlags : NaN,
      flow ? d.payloadLength : NaN,
    );
  }

  captureInterface(i: CaptureInterface): void {
    const others = this.batch.others;
    others.push({ table: 'capture_interfaces', values: [this.sourceId, i.id, i.linkType, i.snapLen, i.name, i.unitsPerSecond.toString(), i.offsetSeconds] });
    for (const text of i.comments) others.push({ table: 'capture_comments', values: [this.sourceId, 'interface', 0, i.id, null, text] });
  }

  comment(scope: 'section' | 'packet', offset: number, frame: number | null, text: string): void {
    this.batch.others.push({ table: 'capture_comments', values: [this.sourceId, scope, offset, null, frame, text] });
  }

  /** Hands over everything held so far. */
  flush(): void {
    if (this.batch.empty && this.newStreams.length === 0 && this.closedStreams.length === 0) return;
    const message = this.batch.finish(
      this.newStreams.map((s) => this.streamRow(s)),
      this.closedStreams.map((s) => streamUpdate(s)),
    );
    this.newStreams = [];
    this.closedStreams = [];
    this.unwritten.clear();
    this.rows.write(message);
    this.batch = new RowBatchBuilder(this.rows.buffers());
  }

  private streamRow(s: FlowStream): unknown[] {
    return [
      s.ref,
      this.sourceId,
      s.kind,
      s.kind,
      s.family,
      s.clientAddr,
      s.clientPort,
      s.serverAddr,
      s.serverPort,
      s.clientGuessed ? 1 : 0,
      tupleText(s),
      s.index,
      s.bytes[1],
      s.bytes[0],
      s.captured[1],
      s.captured[0],
      s.packets[1],
      s.packets[0],
      s.frameBytes[1],
      s.frameBytes[0],
      s.chunks,
      s.gapBytes,
      toNs(s.firstSec, s.firstNsec),
      toNs(s.lastSec, s.lastNsec),
      s.state,
    ];
  }
}

function streamUpdate(s: FlowStream): unknown[] {
  return [s.bytes[1], s.bytes[0], s.captured[1], s.captured[0], s.packets[1], s.packets[0], s.frameBytes[1], s.frameBytes[0], s.chunks, s.gapBytes, toNs(s.lastSec, s.lastNsec), s.state, s.ref];
}
