// One stream's bytes for the stream view: its description, the HTTP diagnostics at its bytes, its
// chunks a page at a time (forward, backward, or around one byte), and the other captured views of
// the same connection.

import type Database from 'better-sqlite3';
import type { Severity } from '../../../common/evidence';
import { ApiError } from '../../api/wire';
import { ChunkBytes } from '../../index/chunk-bytes';
import { CHUNK_PAGE_BYTES, CHUNK_PAGE_MAX, type ChunkView, type StreamDir, type StreamGrpcMessage, type StreamInfo, type StreamMark, type StreamPeer } from './contract';
import { getStream, type StreamSummary } from './stream-rows';
import { num, numOrNull } from '../row-values/row-values';
import { readPlaced } from './stream-bytes';

/** Chunks shown before the one a target points into, so the reader sees what led up to it. */
const CONTEXT_CHUNKS = 4;

export function streamInfo(db: Database.Database, streamId: number): StreamInfo {
  const s = getStream(db, streamId);
  if (!s) throw new ApiError('not-found', `no stream ${streamId} in this case`);
  const protocol = db.prepare('SELECT protocol FROM stream_protocols WHERE stream_id = ?').pluck().get(streamId) as string | undefined;
  return toInfo(s, protocol ?? null);
}

/** The stream view's description: the stream as read back (one mapping of its row), less the CLI's counters. */
function toInfo(s: StreamSummary, protocol: string | null): StreamInfo {
  const { family: _family, packetsIn: _packetsIn, packetsOut: _packetsOut, frameBytesIn: _frameBytesIn, frameBytesOut: _frameBytesOut, ...info } = s;
  return { ...info, protocol };
}

/**
 * The HTTP analysis's diagnostics at this stream's bytes, in byte order per direction. A
 * diagnostic's offset is the offending byte; the mark covers the whole line it is in, found in the
 * captured bytes around it.
 */
export function streamMarks(db: Database.Database, streamId: number): StreamMark[] {
  const rows = db.prepare('SELECT exchange_id, dir, offset, line, code, severity, message FROM http_diagnostics WHERE stream_id = ? ORDER BY dir, offset').all(streamId) as Record<string, string | number>[];
  return rows.map((r) => {
    const dir = r.dir as StreamDir;
    const at = Number(r.offset);
    const { offset, length } = lineAround(db, streamId, dir, at, String(r.line));
    return { exchangeId: Number(r.exchange_id), dir, offset, length, at, line: String(r.line), code: String(r.code), severity: String(r.severity) as Severity, message: String(r.message) };
  });
}

/** gRPC messages framed per stream view, at most: the first calls' are enough to read a conversation by. */
const STREAM_GRPC_MESSAGES_MAX = 2000;

/**
 * The gRPC messages whose bytes lie in this stream (the HTTP analysis keeps the first ones of each
 * call: where each prefix and body piece is), in byte order per direction.
 */
export function streamGrpcMessages(db: Database.Database, streamId: number): StreamGrpcMessage[] {
  const rows = db
    .prepare(
      `SELECT id, stream_id, coalesce(response_stream_id, stream_id) AS response_stream, grpc_service, grpc_method, grpc_messages FROM http_exchanges
       WHERE (stream_id = ? OR response_stream_id = ?) AND grpc_messages IS NOT NULL ORDER BY id`,
    )
    .iterate(streamId, streamId) as IterableIterator<{ id: number; stream_id: number; response_stream: number; grpc_service: string | null; grpc_method: string | null; grpc_messages: string }>;
  const out: StreamGrpcMessage[] = [];
  for (const r of rows) {
    const call = r.grpc_service !== null ? `${r.grpc_service}/${r.grpc_method}` : null;
    const index = { request: 0, response: 0 };
    for (const m of JSON.parse(r.grpc_messages) as { side?: 'request' | 'response'; dir: StreamDir; offset: number; length: number; compressed: boolean; pieces: [number, number][] }[]) {
      const side = m.side ?? 'request';
      index[side]++;
      if ((side === 'request' ? r.stream_id : r.response_stream) !== streamId) continue;
      out.push({ exchangeId: r.id, dir: m.dir, side, index: index[side], call, offset: m.offset, length: m.length, compressed: m.compressed, pieces: m.pieces });
      if (out.length >= STREAM_GRPC_MESSAGES_MAX) break;
    }
    if (out.length >= STREAM_GRPC_MESSAGES_MAX) break;
  }
  return out.sort((a, b) => (a.dir === b.dir ? a.offset - b.offset : a.dir < b.dir ? -1 : 1));
}

/** Where `line` sits around byte `at` (HTTP heads are Latin-1: a character per byte); the byte alone when it is not found. */
export function lineAround(db: Database.Database, streamId: number, dir: StreamDir, at: number, line: string): { offset: number; length: number } {
  const n = line.length;
  if (n === 0) return { offset: at, length: 1 };
  const from = Math.max(0, at - n);
  const bytes = readPlaced(db, streamId, dir, from, at + n);
  for (let start = Math.min(at, from + bytes.length - 1) - from; start >= 0 && start + n > at - from; start--) {
    let same = true;
    for (let i = 0; i < n && same; i++) same = bytes[start + i] === line.charCodeAt(i);
    if (same) return { offset: from + start, length: n };
  }
  return { offset: at, length: 1 };
}

export interface ChunkPageRequest {
  fromSeq?: number;
  beforeSeq?: number;
  at?: { dir: StreamDir; offset: number };
  limit: number;
}

export function chunkPage(db: Database.Database, streamId: number, req: ChunkPageRequest): { chunks: ChunkView[]; hasBefore: boolean; hasAfter: boolean; located: number | null } {
  if (!db.prepare('SELECT 1 FROM streams WHERE id = ?').get(streamId)) throw new ApiError('not-found', `no stream ${streamId} in this case`);
  const limit = Math.min(req.limit, CHUNK_PAGE_MAX);
  let located: number | null = null;
  let chunks: ChunkView[];
  if (req.at) {
    located = locate(db, streamId, req.at.dir, req.at.offset);
    const start = located === null ? 0 : contextStart(db, streamId, located);
    chunks = forward(db, streamId, start, limit);
  } else if (req.beforeSeq !== undefined) {
    chunks = backward(db, streamId, req.beforeSeq, limit);
  } else {
    chunks = forward(db, streamId, req.fromSeq ?? 0, limit);
  }
  const exists = db.prepare(`SELECT EXISTS (SELECT 1 FROM chunks WHERE stream_id = ? AND seq < ?), EXISTS (SELECT 1 FROM chunks WHERE stream_id = ? AND seq > ?)`).raw();
  const first = chunks[0]?.seq ?? req.beforeSeq ?? req.fromSeq ?? 0;
  const last = chunks.at(-1)?.seq ?? first - 1;
  const [before, after] = exists.get(streamId, first, streamId, last) as [number, number];
  return { chunks, hasBefore: before === 1, hasAfter: after === 1, located };
}

/** The chunk of `dir` holding byte `offset` (or the first after it, when it fell in a gap). */
function locate(db: Database.Database, streamId: number, dir: StreamDir, offset: number): number | null {
  const seq = db.prepare('SELECT seq FROM chunks WHERE stream_id = ? AND dir = ? AND offset + max(length, 1) > ? ORDER BY seq LIMIT 1').pluck().safeIntegers().get(streamId, dir, offset) as bigint | undefined;
  return seq === undefined ? null : Number(seq);
}

function contextStart(db: Database.Database, streamId: number, seq: number): number {
  const earlier = db.prepare('SELECT seq FROM chunks WHERE stream_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1 OFFSET ?').pluck().safeIntegers().get(streamId, seq, CONTEXT_CHUNKS - 1) as bigint | undefined;
  if (earlier !== undefined) return Number(earlier);
  return 0;
}

const CHUNK_COLUMNS = 'seq, ts, dir, offset, length, captured, gap_before, frame, data, data_at';

function forward(db: Database.Database, streamId: number, fromSeq: number, limit: number): ChunkView[] {
  const rows = db.prepare(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE stream_id = ? AND seq >= ? ORDER BY seq LIMIT ?`).safeIntegers().iterate(streamId, fromSeq, limit);
  return takeWithinBudget(db, streamId, rows as IterableIterator<Record<string, unknown>>);
}

function backward(db: Database.Database, streamId: number, beforeSeq: number, limit: number): ChunkView[] {
  const rows = db.prepare(`SELECT ${CHUNK_COLUMNS} FROM chunks WHERE stream_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`).safeIntegers().iterate(streamId, beforeSeq, limit);
  return takeWithinBudget(db, streamId, rows as IterableIterator<Record<string, unknown>>).reverse();
}

/** Chunks until the page holds about CHUNK_PAGE_BYTES (always at least one, however big). */
function takeWithinBudget(db: Database.Database, streamId: number, rows: IterableIterator<Record<string, unknown>>): ChunkView[] {
  const out: ChunkView[] = [];
  let bytes = 0;
  const chunkBytes = new ChunkBytes(db);
  for (const r of rows) {
    if (out.length > 0 && bytes + Number(r.captured) > CHUNK_PAGE_BYTES) {
      rows.return?.();
      break;
    }
    const data = chunkBytes.of(streamId, r.data as Buffer | null, r.data_at as bigint | null, r.captured as bigint);
    bytes += data.length;
    out.push(chunkView(r, data));
  }
  return out;
}

function chunkView(r: Record<string, unknown>, data: Buffer): ChunkView {
  return {
    seq: num(r.seq),
    ts: String(r.ts),
    dir: r.dir as StreamDir,
    offset: num(r.offset),
    length: num(r.length),
    captured: num(r.captured),
    gapBefore: num(r.gap_before),
    frame: numOrNull(r.frame),
    data: data.toString('base64'),
  };
}

/** Other captured views of the same connection: same kind and addresses, overlapping in time. */
export function streamPeers(db: Database.Database, streamId: number): StreamPeer[] {
  const self = db
    .prepare('SELECT kind, client_addr, client_port, server_addr, server_port, role, first_ts, last_ts FROM streams WHERE id = ?')
    .safeIntegers()
    .get(streamId) as Record<string, unknown> | undefined;
  if (!self) throw new ApiError('not-found', `no stream ${streamId} in this case`);
  if (self.client_addr === null || self.server_addr === null || self.client_port === null || self.server_port === null) return [];
  const ids = db
    .prepare(
      `SELECT id, role FROM streams WHERE kind = ? AND client_addr = ? AND client_port = ? AND server_addr = ? AND server_port = ? AND id != ?
         AND (? IS NULL OR first_ts IS NULL OR first_ts <= ?) AND (? IS NULL OR last_ts IS NULL OR last_ts >= ?) ORDER BY id`,
    )
    .safeIntegers()
    .all(self.kind, self.client_addr, self.client_port, self.server_addr, self.server_port, streamId, self.last_ts, self.last_ts, self.first_ts, self.first_ts) as { id: bigint; role: string | null }[];
  return ids.map((p) => ({ stream: streamInfo(db, Number(p.id)), outIs: (p.role ?? 'client') === (self.role ?? 'client') ? 'out' : 'in' }));
}
