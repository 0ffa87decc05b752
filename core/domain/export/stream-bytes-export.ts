// One direction of a stream's captured bytes, raw, in order (Wireshark's Follow Stream › Save as
// Raw for one side): what a user feeds to a decoder, a diff or a file carver.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import { ChunkBytes } from '../../index/chunk-bytes';
import type { ByteSink } from './packet-export';

const PAGE = 1000;

export interface StreamBytesCount {
  chunks: number;
  bytes: number;
  /** Bytes of this direction the capture did not hold (missing segments, a snap length). */
  missing: number;
}

export function exportStreamBytes(db: Database.Database, streamId: number, dir: 'in' | 'out', sink: ByteSink): StreamBytesCount {
  if (!db.prepare('SELECT 1 FROM streams WHERE id = ?').get(streamId)) throw new ApiError('not-found', `no stream ${streamId} in this case`);
  const page = db.prepare('SELECT seq, length, captured, gap_before, data, data_at FROM chunks WHERE stream_id = ? AND dir = ? AND seq > ? ORDER BY seq LIMIT ?');
  const count: StreamBytesCount = { chunks: 0, bytes: 0, missing: 0 };
  const bytes = new ChunkBytes(db);
  for (let after = -1; ; ) {
    const rows = page.all(streamId, dir, after, PAGE) as { seq: number; length: number; captured: number; gap_before: number; data: Buffer | null; data_at: number | null }[];
    for (const r of rows) {
      const data = bytes.of(streamId, r.data, r.data_at, r.captured);
      sink(data);
      count.chunks++;
      count.bytes += data.length;
      count.missing += r.gap_before + (r.length - r.captured);
    }
    if (rows.length < PAGE) return count;
    after = rows[rows.length - 1]!.seq;
  }
}
