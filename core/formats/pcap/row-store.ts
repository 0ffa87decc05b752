// Writes batches of pcap ingest rows (pcap-row-batch.ts) into the index: one transaction per
// batch, chunks and packets many rows per INSERT (binding a few hundred values at once costs far
// less per row than a statement call per row).
//
// This function runs on the writer thread, whose source is this function's own text
// (pcap-row-writer.ts), and on the ingest's thread where no second thread can write (an in-memory
// database). So it is self-contained: it refers to nothing outside itself but its arguments.

import type Database from 'better-sqlite3';
import type { ChunkFields, PacketFields, RowBatchMessage } from './row-batch';

export type RowStore = (batch: RowBatchMessage) => void;

export function pcapRowStore(db: Database.Database, sourceId: number, C: ChunkFields, P: PacketFields): RowStore {
  const ROWS_PER_STATEMENT = 128;
  const DIR = ['out', 'in'];
  const NS_MAX = (1n << 63n) - 1n;
  const NS_MIN = -(1n << 63n);

  const insertStream = db.prepare(`INSERT INTO streams (id, source_id, kind, l4proto, family, client_addr, client_port, server_addr, server_port, client_guessed, tuple, role,
    connection_index, bytes_in, bytes_out, captured_in, captured_out, packets_in, packets_out, frame_bytes_in, frame_bytes_out, chunk_count, gap_bytes, first_ts, last_ts, state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'client', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const updateStream = db.prepare(`UPDATE streams SET bytes_in = ?, bytes_out = ?, captured_in = ?, captured_out = ?, packets_in = ?, packets_out = ?,
    frame_bytes_in = ?, frame_bytes_out = ?, chunk_count = ?, gap_bytes = ?, last_ts = ?, state = ? WHERE id = ?`);
  const others = {
    capture_interfaces: db.prepare('INSERT INTO capture_interfaces (source_id, interface_id, link_type, snap_len, name, ts_units, ts_offset) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    capture_comments: db.prepare('INSERT INTO capture_comments (source_id, scope, offset, interface_id, frame, text) VALUES (?, ?, ?, ?, ?, ?)'),
  };
  const chunkColumns = ['stream_id', 'seq', 'ts', 'dir', 'offset', 'length', 'captured', 'gap_before', 'data', 'frame'];
  const packetColumns = ['source_id', 'frame', 'ts', 'file_offset', 'cap_len', 'orig_len', 'interface_id', 'proto', 'stream_id', 'dir', 'tcp_flags', 'payload_len'];
  const chunkInsert = multiRow('chunks', chunkColumns);
  const packetInsert = multiRow('packets', packetColumns);

  /**
   * A statement inserting ROWS_PER_STATEMENT rows, one inserting one, and the array of values bound
   * to the first. OR FAIL: a refused row ends the statement without undoing its earlier rows, which
   * the batch's rollback does anyway; so SQLite keeps no statement journal (a copy of every page a
   * multi-row INSERT touches: a seventh of the writer's time on the bench capture with ABORT).
   */
  function multiRow(table: string, columns: string[]) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT OR FAIL INTO ${table} (${columns.join(', ')}) VALUES `;
    return {
      many: db.prepare(head + Array(ROWS_PER_STATEMENT).fill(row).join(', ')),
      one: db.prepare(head + row),
      values: new Array<unknown>(ROWS_PER_STATEMENT * columns.length),
      width: columns.length,
    };
  }

  /** Nanoseconds since the epoch, clamped to a signed 64-bit integer, as core/formats/pcap/parser/timestamp.ts toNs. */
  let lastSec = 0;
  let lastSecNs = 0n;
  function ns(sec: number, nsec: number): bigint {
    if (sec !== lastSec) {
      lastSecNs = BigInt(sec) * 1_000_000_000n;
      lastSec = sec;
    }
    const t = lastSecNs + BigInt(nsec);
    return t > NS_MAX ? NS_MAX : t < NS_MIN ? NS_MIN : t;
  }

  /** Writes `count` rows, `fill` putting row i's values into `values` from `at`. */
  function insertRows(ins: ReturnType<typeof multiRow>, count: number, fill: (i: number, values: unknown[], at: number) => void): void {
    const values = ins.values;
    const width = ins.width;
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= count; i += ROWS_PER_STATEMENT) {
      for (let r = 0; r < ROWS_PER_STATEMENT; r++) fill(i + r, values, r * width);
      ins.many.run(values);
    }
    const single = new Array<unknown>(width);
    for (; i < count; i++) {
      fill(i, single, 0);
      ins.one.run(single);
    }
    // Cleared so that the array does not keep the batch's buffers alive.
    values.fill(null);
  }

  function writeBatch(b: RowBatchMessage): void {
    for (const o of b.others) others[o.table].run(o.values);
    for (const row of b.newStreams) insertStream.run(row);
    for (const row of b.streamUpdates) updateStream.run(row);

    const cm = new Float64Array(b.chunkMeta);
    const data = b.data;
    let dataAt = 0;
    insertRows(chunkInsert, b.chunkCount, (i, v, at) => {
      const m = i * C.width;
      const bytes = cm[m + C.dataLength]!;
      v[at] = cm[m + C.streamId];
      v[at + 1] = cm[m + C.seq];
      v[at + 2] = ns(cm[m + C.tsSec]!, cm[m + C.tsNsec]!);
      v[at + 3] = DIR[cm[m + C.dir]!];
      v[at + 4] = cm[m + C.offset];
      v[at + 5] = cm[m + C.length];
      v[at + 6] = cm[m + C.captured];
      v[at + 7] = cm[m + C.gapBefore];
      v[at + 8] = new Uint8Array(data, dataAt, bytes);
      v[at + 9] = cm[m + C.frame];
      dataAt += bytes;
    });

    const pm = new Float64Array(b.packetMeta);
    const protos = b.protos;
    const orNull = (x: number) => (Number.isNaN(x) ? null : x);
    insertRows(packetInsert, b.packetCount, (i, v, at) => {
      const m = i * P.width;
      const dir = pm[m + P.dir]!;
      v[at] = sourceId;
      v[at + 1] = pm[m + P.frame];
      v[at + 2] = ns(pm[m + P.tsSec]!, pm[m + P.tsNsec]!);
      v[at + 3] = pm[m + P.fileOffset];
      v[at + 4] = pm[m + P.capLen];
      v[at + 5] = pm[m + P.origLen];
      v[at + 6] = pm[m + P.interfaceId];
      v[at + 7] = protos[pm[m + P.proto]!];
      v[at + 8] = orNull(pm[m + P.streamId]!);
      v[at + 9] = Number.isNaN(dir) ? null : DIR[dir];
      v[at + 10] = orNull(pm[m + P.tcpFlags]!);
      v[at + 11] = orNull(pm[m + P.payloadLength]!);
    });
  }

  return db.transaction(writeBatch);
}
