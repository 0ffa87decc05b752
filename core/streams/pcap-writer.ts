// Writes what the pcap parser produces (streams, chunks, packets, interfaces, comments) into the
// case index in batches: one transaction per batch, rows held in memory only until then.
//
// Stream ids are handed out here as streams open (continuing after the highest id in the index),
// so chunks and packets can name their stream before its row is written; the row goes in with the
// batch that first mentions it and is updated once more when the stream closes.

import type Database from 'better-sqlite3';
import { tupleText, type ChunkRecord, type FlowStream, type StreamSink } from '../../parsers/pcap/flow-stream';
import type { DecodedPacket } from '../../parsers/pcap/packet-decoder';
import type { CapturedPacket, CaptureInterface } from '../../parsers/pcap/packet';
import { toNs } from '../../parsers/pcap/timestamp';
import { BulkInsert } from './bulk-insert';

const BATCH_ROWS = 50_000;
const BATCH_BYTES = 32 * 1024 * 1024;
const DIR_TEXT = ['out', 'in'] as const;

export class PcapIndexWriter implements StreamSink {
  private readonly insertStream: Database.Statement;
  private readonly updateStream: Database.Statement;
  private readonly chunks: BulkInsert;
  private readonly packets: BulkInsert;
  private readonly insertInterface: Database.Statement;
  private readonly insertComment: Database.Statement;
  private readonly commit: () => void;
  private nextStreamId: number;
  private newStreams: FlowStream[] = [];
  private closedStreams: FlowStream[] = [];
  /** Streams opened since the last batch: their row is inserted (with final values if closed) then. */
  private readonly unwritten = new Set<FlowStream>();
  private other: (() => void)[] = [];
  private rows = 0;
  private bytes = 0;

  constructor(
    db: Database.Database,
    private readonly sourceId: number,
  ) {
    this.nextStreamId = Number((db.prepare('SELECT coalesce(max(id), 0) FROM streams').pluck().get() as number | bigint) ?? 0) + 1;
    this.insertStream = db.prepare(`INSERT INTO streams (id, source_id, kind, l4proto, family, client_addr, client_port, server_addr, server_port, client_guessed, tuple, role,
      connection_index, bytes_in, bytes_out, captured_in, captured_out, packets_in, packets_out, frame_bytes_in, frame_bytes_out, chunk_count, gap_bytes, first_ts, last_ts, state)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'client', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateStream = db.prepare(`UPDATE streams SET bytes_in = ?, bytes_out = ?, captured_in = ?, captured_out = ?, packets_in = ?, packets_out = ?,
      frame_bytes_in = ?, frame_bytes_out = ?, chunk_count = ?, gap_bytes = ?, last_ts = ?, state = ? WHERE id = ?`);
    this.chunks = new BulkInsert(db, 'chunks', ['stream_id', 'seq', 'ts', 'dir', 'offset', 'length', 'captured', 'gap_before', 'data', 'frame']);
    this.packets = new BulkInsert(db, 'packets', ['source_id', 'frame', 'ts', 'file_offset', 'cap_len', 'orig_len', 'interface_id', 'proto', 'stream_id', 'dir', 'tcp_flags', 'payload_len']);
    this.insertInterface = db.prepare('INSERT INTO capture_interfaces (source_id, interface_id, link_type, snap_len, name, ts_units, ts_offset) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertComment = db.prepare('INSERT INTO capture_comments (source_id, scope, offset, interface_id, frame, text) VALUES (?, ?, ?, ?, ?, ?)');
    this.commit = db.transaction(() => this.writeBatch());
  }

  // ----- StreamSink -----

  opened(stream: FlowStream): void {
    stream.ref = this.nextStreamId++;
    this.newStreams.push(stream);
    this.unwritten.add(stream);
    this.rows++;
  }

  chunk(c: ChunkRecord): void {
    // The data is a view into the source's buffers or a reassembly queue's copy, held until the
    // batch is written: every source layer (file reads, gunzip, unzstd, tar) hands out a fresh
    // buffer per chunk and never writes into it again, so the view stays valid without a copy
    // (copying every payload byte once more cost a tenth of the ingest time).
    this.chunks.push(c.stream.ref, c.seq, toNs(c.tsSec, c.tsNsec), DIR_TEXT[c.dir], c.offset, c.length, c.captured, c.gapBefore, c.data, c.frame);
    this.bytes += c.data.length;
    this.count();
  }

  closed(stream: FlowStream): void {
    if (!this.unwritten.has(stream)) this.closedStreams.push(stream);
    this.count();
  }

  // ----- the rest of the capture -----

  packet(p: CapturedPacket, d: DecodedPacket): void {
    const tcp = d.kind === 'tcp';
    const flow = tcp || d.kind === 'udp';
    this.packets.push(
      this.sourceId,
      p.frame,
      toNs(p.tsSec, p.tsNsec),
      p.offset,
      p.data.length,
      p.origLen,
      p.interfaceId,
      d.kind,
      flow ? d.stream!.ref : null,
      flow ? DIR_TEXT[d.dir] : null,
      tcp ? d.tcpFlags : null,
      flow ? d.payloadLength : null,
    );
    this.count();
  }

  captureInterface(i: CaptureInterface): void {
    this.other.push(() => {
      this.insertInterface.run(this.sourceId, i.id, i.linkType, i.snapLen, i.name, i.unitsPerSecond.toString(), i.offsetSeconds);
      for (const text of i.comments) this.insertComment.run(this.sourceId, 'interface', 0, i.id, null, text);
    });
  }

  comment(scope: 'section' | 'packet', offset: number, frame: number | null, text: string): void {
    this.other.push(() => this.insertComment.run(this.sourceId, scope, offset, null, frame, text));
    this.count();
  }

  /** Writes everything held so far. */
  flush(): void {
    if (this.rows === 0 && this.other.length === 0 && this.newStreams.length === 0) return;
    this.commit();
  }

  private count(): void {
    if (++this.rows >= BATCH_ROWS || this.bytes >= BATCH_BYTES) this.flush();
  }

  private writeBatch(): void {
    for (const run of this.other) run();
    for (const s of this.newStreams) this.insertStream.run(...this.streamRow(s));
    for (const s of this.closedStreams) this.updateStream.run(...this.streamUpdate(s));
    this.chunks.write();
    this.packets.write();
    this.other = [];
    this.newStreams = [];
    this.closedStreams = [];
    this.unwritten.clear();
    this.rows = 0;
    this.bytes = 0;
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

  private streamUpdate(s: FlowStream): unknown[] {
    return [s.bytes[1], s.bytes[0], s.captured[1], s.captured[0], s.packets[1], s.packets[0], s.frameBytes[1], s.frameBytes[0], s.chunks, s.gapBytes, toNs(s.lastSec, s.lastNsec), s.state, s.ref];
  }
}
