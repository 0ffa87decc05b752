// A bookmark's key (what it points at) found in the index as it is now: the place by today's row
// ids, the stream and byte to open, the place's time; or, when the index no longer holds it (the
// evidence changed, an analysis no longer finds it), what is missing. Synchronous, so that the report
// (gathered in one synchronous pass) prints the same resolution the panel shows.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import { keyOf, toFindingRow } from '../findings/findings-page';
import { heapTree } from '../heap/heap-graph';
import type { BookmarkKey, ResolvedBookmark, StreamKey } from './contract';
import { findStream, streamWords } from './stream-key';

export type Resolution = Pick<ResolvedBookmark, 'place' | 'missing' | 'stream' | 'ts'>;

const missing = (what: string): Resolution => ({ place: null, missing: what, stream: null, ts: null });

function sourceNamed(db: Database.Database, entry: string): number | null {
  return (db.prepare('SELECT min(id) FROM sources WHERE entry = ?').pluck().get(entry) as number | null) ?? null;
}

function streamGone(key: StreamKey): Resolution {
  return missing(`the index holds no stream ${streamWords(key)} (the ${key.index + 1}. of its kind in ${key.entry})`);
}

export function resolveKey(db: Database.Database, key: BookmarkKey): Resolution {
  switch (key.kind) {
    case 'event': {
      const sourceId = sourceNamed(db, key.entry);
      if (sourceId === null) return missing(`the case holds no capture ${key.entry}`);
      const ts = db.prepare('SELECT CAST(ts AS TEXT) FROM events WHERE source_id = ? AND num = ?').pluck().get(sourceId, key.num) as string | undefined;
      if (ts === undefined) return missing(`${key.entry} holds no event ${key.num}`);
      return { place: { kind: 'event', sourceId, num: key.num }, missing: null, stream: null, ts };
    }
    case 'packet': {
      const sourceId = sourceNamed(db, key.entry);
      if (sourceId === null) return missing(`the case holds no capture ${key.entry}`);
      const row = db.prepare('SELECT CAST(ts AS TEXT) AS ts, stream_id, dir FROM packets WHERE source_id = ? AND frame = ?').get(sourceId, key.frame) as { ts: string; stream_id: number | null; dir: 'in' | 'out' | null } | undefined;
      if (!row) return missing(`${key.entry} holds no packet ${key.frame}`);
      // The packet's payload, when it carried some, is the chunk of its frame.
      const chunk = row.stream_id === null ? undefined : (db.prepare('SELECT dir, offset FROM chunks WHERE stream_id = ? AND frame = ? ORDER BY seq LIMIT 1').get(row.stream_id, key.frame) as { dir: 'in' | 'out'; offset: number } | undefined);
      const stream = row.stream_id === null ? null : chunk ? { streamId: row.stream_id, dir: chunk.dir, offset: chunk.offset } : { streamId: row.stream_id };
      return { place: { kind: 'packet', sourceId, frame: key.frame }, missing: null, stream, ts: row.ts };
    }
    case 'stream': {
      const streamId = findStream(db, key.stream);
      if (streamId === null) return streamGone(key.stream);
      const ts = db.prepare('SELECT CAST(first_ts AS TEXT) FROM streams WHERE id = ?').pluck().get(streamId) as string | null;
      return { place: { kind: 'stream', streamId }, missing: null, stream: { streamId }, ts };
    }
    case 'stream-range': {
      const streamId = findStream(db, key.stream);
      if (streamId === null) return streamGone(key.stream);
      const chunk = db
        .prepare('SELECT CAST(ts AS TEXT) AS ts FROM chunks WHERE stream_id = ? AND dir = ? AND offset <= ? AND offset + length > ? ORDER BY seq LIMIT 1')
        .get(streamId, key.dir, key.offset, key.offset) as { ts: string } | undefined;
      if (!chunk) return missing(`${streamWords(key.stream)} has no byte ${key.offset} ${key.dir === 'out' ? 'sent' : 'received'}`);
      return { place: { kind: 'stream-range', streamId, dir: key.dir, offset: key.offset, length: key.length }, missing: null, stream: { streamId, dir: key.dir, offset: key.offset }, ts: chunk.ts };
    }
    case 'exchange': {
      const streamId = findStream(db, key.stream);
      if (streamId === null) return streamGone(key.stream);
      const row = db.prepare('SELECT id, CAST(req_ts AS TEXT) AS ts FROM http_exchanges WHERE stream_id = ? ORDER BY seq, id LIMIT 1 OFFSET ?').get(streamId, key.index) as { id: number; ts: string | null } | undefined;
      if (!row) return missing(`${streamWords(key.stream)} holds no exchange ${key.index + 1}`);
      return { place: { kind: 'exchange', exchangeId: row.id }, missing: null, stream: { streamId }, ts: row.ts };
    }
    case 'finding': {
      const rows = db.prepare('SELECT id, kind, severity, title, explanation, cause, exchange_id, evidence FROM findings WHERE kind = ? ORDER BY id').all(key.findingKind) as Record<string, string | number | null>[];
      const members = rows.map(toFindingRow).filter((f) => keyOf(f) === key.groupKey);
      const finding = members[key.index];
      if (!finding) return missing(`the findings no longer hold this ${key.findingKind} finding (${members.length} alike)`);
      const ts = finding.exchangeId === null ? null : ((db.prepare('SELECT CAST(req_ts AS TEXT) FROM http_exchanges WHERE id = ?').pluck().get(finding.exchangeId) as string | null | undefined) ?? null);
      const first = finding.evidence[0];
      const stream = !first ? null : first.dir !== null && first.offset !== null ? { streamId: first.streamId, dir: first.dir, offset: first.offset } : { streamId: first.streamId };
      return { place: { kind: 'finding', findingId: finding.id }, missing: null, stream, ts };
    }
    case 'heap-object': {
      // The object itself is looked for in the dump's graph (confirmHeapObject): reading it is slow and asynchronous.
      const sourceId = sourceNamed(db, key.entry);
      if (sourceId === null) return missing(`the case holds no heap dump ${key.entry}`);
      return { place: { kind: 'heap-object', sourceId, objectId: key.objectId }, missing: null, stream: null, ts: null };
    }
  }
}

/** A heap object's resolution, once its dump's object graph says whether the object is in it. */
export async function confirmHeapObject(db: Database.Database, key: BookmarkKey & { kind: 'heap-object' }, resolution: Resolution): Promise<Resolution> {
  if (resolution.place?.kind !== 'heap-object') return resolution;
  try {
    (await heapTree(db, resolution.place.sourceId)).node(key.objectId);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not-found') return missing(`${key.entry} holds no object ${key.objectId}`);
    throw err;
  }
  return resolution;
}
