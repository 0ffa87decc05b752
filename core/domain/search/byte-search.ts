// Finds a pattern in streams' captured bytes: each direction of each stream read chunk by chunk in
// order, the end of the last chunk carried into the next so that a hit across a chunk boundary is
// found once, and nothing carried across bytes the capture missed (a hit there would be invented).

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import { ChunkBytes } from '../../index/chunk-bytes';
import type { ByteHit, ByteQuery, ByteSearchResult } from './contract';
import { bytePattern } from './byte-pattern';

const CONTEXT = 24;
const SHOWN_MAX = 64;

interface ChunkRow {
  stream_id: number;
  dir: 'in' | 'out';
  ts: bigint;
  offset: number;
  length: number;
  captured: number;
  gap_before: number;
  data: Uint8Array;
}

const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '.');

export function searchBytes(db: Database.Database, query: ByteQuery, streamId: number | undefined, limit: number): ByteSearchResult {
  const { regex, carry } = bytePattern(query);
  if (streamId !== undefined && !db.prepare('SELECT 1 FROM streams WHERE id = ?').get(streamId)) throw new ApiError('not-found', `no stream ${streamId} in this case`);
  const rows = db
    .prepare(
      `SELECT stream_id, dir, ts, offset, length, captured, gap_before, data, data_at FROM chunks ${streamId === undefined ? '' : 'WHERE stream_id = ?'} ORDER BY stream_id, dir, seq`,
    )
    .safeIntegers()
    .iterate(...(streamId === undefined ? [] : [streamId])) as IterableIterator<Record<keyof ChunkRow | 'data_at', unknown>>;
  const labelOf = db.prepare("SELECT COALESCE(tuple, fd_name, kind) FROM streams WHERE id = ?").pluck();
  const hits: ByteHit[] = [];
  let complete = true;
  let bytesSearched = 0;
  const streams = new Set<number>();
  // What the window before this chunk ended with, in the same direction of the same stream.
  let key = '';
  let tail = '';
  let tailTs = 0n;
  let expectedOffset = -1;
  const chunkBytes = new ChunkBytes(db);
  for (const raw of rows) {
    const c: ChunkRow = {
      stream_id: Number(raw.stream_id),
      dir: raw.dir as 'in' | 'out',
      ts: raw.ts as bigint,
      offset: Number(raw.offset),
      length: Number(raw.length),
      captured: Number(raw.captured),
      gap_before: Number(raw.gap_before),
      data: chunkBytes.of(raw.stream_id as bigint, raw.data as Buffer | null, raw.data_at as bigint | null, raw.captured as bigint),
    };
    streams.add(c.stream_id);
    bytesSearched += c.data.length;
    const here = `${c.stream_id}:${c.dir}`;
    if (here !== key || c.gap_before > 0 || c.offset !== expectedOffset) tail = '';
    key = here;
    const text = tail + Buffer.from(c.data).toString('latin1');
    const start = c.offset - tail.length;
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      // Wholly inside the carried bytes: the window before found it.
      if (m.index + m[0].length <= tail.length) continue;
      if (hits.length === limit) {
        complete = false;
        break;
      }
      const before = Math.min(CONTEXT, m.index);
      const shown = Math.min(SHOWN_MAX, m[0].length);
      hits.push({
        streamId: c.stream_id,
        label: String(labelOf.get(c.stream_id) ?? ''),
        dir: c.dir,
        offset: start + m.index,
        length: m[0].length,
        ts: String(m.index < tail.length ? tailTs : c.ts),
        preview: printable(text.slice(m.index - before, m.index + shown + CONTEXT)),
        before,
        shown,
      });
    }
    if (!complete) break;
    // A chunk cut short by a snap length ends its run of bytes: nothing carries past it.
    const whole = c.captured === c.length;
    tail = whole && carry > 0 ? text.slice(-carry) : '';
    tailTs = c.ts;
    expectedOffset = whole ? c.offset + c.length : -1;
  }
  if (!complete) rows.return?.();
  return { hits, complete, streamsSearched: streams.size, bytesSearched };
}
