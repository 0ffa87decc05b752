// Reading a byte range of one stream direction back out of its chunks.

import type Database from 'better-sqlite3';
import { ChunkBytes } from '../../index/chunk-bytes';
import type { StreamDir } from './contract';

interface Piece {
  offset: number;
  captured: number;
  data: Buffer;
}

function pieces(db: Database.Database, streamId: number, dir: StreamDir, start: number, end: number): Piece[] {
  if (end <= start) return [];
  const rows = db
    .prepare('SELECT offset, captured, data, data_at FROM chunks WHERE stream_id = ? AND dir = ? AND offset < ? AND offset + length > ? ORDER BY seq')
    .all(streamId, dir, end, start) as (Omit<Piece, 'data'> & { data: Buffer | null; data_at: number | null })[];
  const bytes = new ChunkBytes(db);
  return rows.map((r) => ({ offset: r.offset, captured: r.captured, data: bytes.of(streamId, r.data, r.data_at, r.captured) }));
}

/** The captured bytes of [start, end), holes (snaplen cuts, gaps) left out. */
export function readCaptured(db: Database.Database, streamId: number, dir: StreamDir, start: number, end: number): Buffer {
  const parts: Buffer[] = [];
  for (const c of pieces(db, streamId, dir, start, end)) {
    const from = Math.max(start, c.offset);
    const to = Math.min(end, c.offset + c.captured);
    if (to > from) parts.push(c.data.subarray(from - c.offset, to - c.offset));
  }
  return Buffer.concat(parts);
}

/** [start, end) with every byte at its place; null where a byte was not captured. */
export function readPlaced(db: Database.Database, streamId: number, dir: StreamDir, start: number, end: number): (number | null)[] {
  const out: (number | null)[] = new Array(Math.max(0, end - start)).fill(null);
  for (const c of pieces(db, streamId, dir, start, end)) {
    const from = Math.max(start, c.offset);
    const to = Math.min(end, c.offset + c.captured);
    for (let at = from; at < to; at++) out[at - start] = c.data[at - c.offset]!;
  }
  return out;
}
