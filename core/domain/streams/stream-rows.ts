// Reading streams and chunks back from a case's index, for `capscope streams` / `capscope follow`
// and the stream view (./stream-views.ts). Timestamps are 64-bit nanoseconds: they are read with
// safeIntegers() and handed on as decimal strings, which JSON carries without loss.

import Database from 'better-sqlite3';
import type { CompiledFilter, SqlParam } from '../../filter/language';
import { loadIndexExtension } from '../../index/row-batch-extension';
import { installFilterFunctions } from '../../index/sql-functions';
import { ChunkBytes } from '../../index/chunk-bytes';
import { numOrNull, strOrNull } from '../row-values/row-values';
import type { StreamEndpointInfo, StreamInfo } from './contract';

/** An end of a stream: scap's container, process and fd of this view; a network capture's address and port. */
export type StreamEndpoint = StreamEndpointInfo;

/**
 * A stream as the index holds it: what the stream view shows (less the protocol the HTTP analysis
 * names) and the network counters the CLI prints besides.
 */
export interface StreamSummary extends Omit<StreamInfo, 'protocol'> {
  family: number | null;
  packetsIn: number | null;
  packetsOut: number | null;
  frameBytesIn: number | null;
  frameBytesOut: number | null;
}

export interface ChunkRow {
  seq: number;
  /** Nanoseconds since the epoch, as a decimal string. */
  ts: string;
  dir: 'in' | 'out';
  offset: number;
  length: number;
  captured: number;
  gapBefore: number;
  frame: number | null;
  data: Buffer;
}

export interface StreamFilter {
  sourceId?: number;
  kind?: string;
  /** A compiled filter-language condition over streams (alias s): compileFilter(expr, 'streams'). */
  where?: CompiledFilter;
}

/** Opens a case's index for reading (the UI and the ingest worker may hold it at the same time). */
export function openIndexForReading(dbPath: string): Database.Database {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  installFilterFunctions(db);
  try {
    loadIndexExtension(db);
  } catch (err) {
    db.close();
    throw err;
  }
  db.pragma('busy_timeout = 5000');
  return db;
}

const STREAM_COLUMNS = `id, source_id, kind, l4proto, family, client_addr, client_port, server_addr, server_port, client_guessed, tuple,
  container_id, (SELECT c.name FROM containers c WHERE c.source_id = s.source_id AND c.id = s.container_id) AS container_name,
  pid, fd, proc, role, connection_index, bytes_in, bytes_out, captured_in, captured_out, packets_in, packets_out,
  frame_bytes_in, frame_bytes_out, chunk_count, gap_bytes, first_ts, last_ts, state`;

type Row = Record<string, bigint | number | string | null | Buffer>;

/** Streams in order of id (for pcap: the order their first packets came in, TCP and UDP interleaved). */
export function* iterateStreams(db: Database.Database, filter: StreamFilter = {}): Generator<StreamSummary> {
  const where: string[] = [];
  const args: SqlParam[] = [];
  if (filter.where) {
    where.push(filter.where.where);
    args.push(...filter.where.params);
  }
  if (filter.sourceId !== undefined) {
    where.push('source_id = ?');
    args.push(filter.sourceId);
  }
  if (filter.kind !== undefined) {
    where.push('kind = ?');
    args.push(filter.kind);
  }
  const sql = `SELECT ${STREAM_COLUMNS} FROM streams s ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
  for (const row of db.prepare(sql).safeIntegers().iterate(...args) as IterableIterator<Row>) yield toStream(row);
}

export function getStream(db: Database.Database, id: number): StreamSummary | null {
  const row = db.prepare(`SELECT ${STREAM_COLUMNS} FROM streams s WHERE id = ?`).safeIntegers().get(id) as Row | undefined;
  return row ? toStream(row) : null;
}

/** A stream's chunks in order, read lazily (a stream can be gigabytes). */
export function* iterateChunks(db: Database.Database, streamId: number): Generator<ChunkRow> {
  const stmt = db.prepare('SELECT seq, ts, dir, offset, length, captured, gap_before, frame, data, data_at FROM chunks WHERE stream_id = ? ORDER BY seq').safeIntegers();
  const bytes = new ChunkBytes(db);
  for (const r of stmt.iterate(streamId) as IterableIterator<Row>) yield chunkRow(r, bytes.of(streamId, r.data as Buffer | null, r.data_at as bigint | null, r.captured as bigint));
}

function chunkRow(r: Row, data: Buffer): ChunkRow {
  return {
    seq: numOrNull(r.seq)!,
    ts: String(r.ts),
    dir: r.dir as 'in' | 'out',
    offset: numOrNull(r.offset)!,
    length: numOrNull(r.length)!,
    captured: numOrNull(r.captured)!,
    gapBefore: numOrNull(r.gap_before)!,
    frame: numOrNull(r.frame),
    data,
  };
}

function toStream(r: Row): StreamSummary {
  // Network captures see addresses; syscall captures see one process's fd (which may know its 5-tuple too).
  const processView = r.pid !== null || r.container_id !== null;
  const endpoints: StreamEndpoint[] = !processView
    ? [
        { container: null, proc: null, pid: null, fd: null, role: 'client', addr: strOrNull(r.client_addr), port: numOrNull(r.client_port) },
        { container: null, proc: null, pid: null, fd: null, role: 'server', addr: strOrNull(r.server_addr), port: numOrNull(r.server_port) },
      ]
    : [
        {
          container: r.container_id === null ? null : { id: String(r.container_id), name: r.container_id === 'host' ? 'host' : strOrNull(r.container_name) },
          proc: strOrNull(r.proc),
          pid: numOrNull(r.pid),
          fd: numOrNull(r.fd),
          role: (strOrNull(r.role) ?? 'client') as 'client' | 'server',
          addr: strOrNull(r.role === 'server' ? r.server_addr : r.client_addr),
          port: numOrNull(r.role === 'server' ? r.server_port : r.client_port),
        },
      ];
  return {
    id: numOrNull(r.id)!,
    sourceId: numOrNull(r.source_id)!,
    kind: String(r.kind),
    l4proto: strOrNull(r.l4proto),
    family: numOrNull(r.family),
    tuple: strOrNull(r.tuple),
    endpoints,
    role: strOrNull(r.role),
    clientGuessed: numOrNull(r.client_guessed) === 1,
    connectionIndex: numOrNull(r.connection_index),
    bytesIn: numOrNull(r.bytes_in)!,
    bytesOut: numOrNull(r.bytes_out)!,
    capturedIn: numOrNull(r.captured_in)!,
    capturedOut: numOrNull(r.captured_out)!,
    packetsIn: numOrNull(r.packets_in),
    packetsOut: numOrNull(r.packets_out),
    frameBytesIn: numOrNull(r.frame_bytes_in),
    frameBytesOut: numOrNull(r.frame_bytes_out),
    chunkCount: numOrNull(r.chunk_count)!,
    gapBytes: numOrNull(r.gap_bytes)!,
    firstTs: strOrNull(r.first_ts),
    lastTs: strOrNull(r.last_ts),
    state: strOrNull(r.state),
  };
}
