// A place as the views name it (row ids of the index as it is now) turned into the key a bookmark
// keeps (what the place is, ./contract.ts BookmarkKey), with the words that describe it. Its
// inverse is ./resolve-key.ts; test/bookmarks/ holds the two to each other across a re-index.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import { keyOf, toFindingRow } from '../findings/findings-page';
import { heapTree } from '../heap/heap-graph';
import type { BookmarkKey, BookmarkPlace } from './contract';
import { streamKeyOf, streamWords } from './stream-key';

export interface KeyedPlace {
  key: BookmarkKey;
  label: string;
}

function entryOf(db: Database.Database, sourceId: number): string {
  const entry = db.prepare('SELECT entry FROM sources WHERE id = ?').pluck().get(sourceId) as string | undefined;
  if (entry === undefined) throw new ApiError('not-found', `no source ${sourceId} in this case`);
  return entry;
}

function streamKey(db: Database.Database, streamId: number) {
  const key = streamKeyOf(db, streamId);
  if (!key) throw new ApiError('not-found', `no stream ${streamId} in this case`);
  return key;
}

export async function keyForPlace(db: Database.Database, place: BookmarkPlace): Promise<KeyedPlace> {
  switch (place.kind) {
    case 'event': {
      const entry = entryOf(db, place.sourceId);
      const type = db.prepare('SELECT type FROM events WHERE source_id = ? AND num = ?').pluck().get(place.sourceId, place.num) as string | undefined;
      if (type === undefined) throw new ApiError('not-found', `no event ${place.num} in ${entry}`);
      return { key: { kind: 'event', entry, num: place.num }, label: `event ${place.num} (${type}) in ${entry}` };
    }
    case 'packet': {
      const entry = entryOf(db, place.sourceId);
      const proto = db.prepare('SELECT proto FROM packets WHERE source_id = ? AND frame = ?').pluck().get(place.sourceId, place.frame) as string | undefined;
      if (proto === undefined) throw new ApiError('not-found', `no packet ${place.frame} in ${entry}`);
      return { key: { kind: 'packet', entry, frame: place.frame }, label: `packet ${place.frame} (${proto}) in ${entry}` };
    }
    case 'stream': {
      const stream = streamKey(db, place.streamId);
      return { key: { kind: 'stream', stream }, label: `stream ${streamWords(stream)}` };
    }
    case 'stream-range': {
      const stream = streamKey(db, place.streamId);
      const { dir, offset, length } = place;
      const last = offset + length - 1;
      return { key: { kind: 'stream-range', stream, dir, offset, length }, label: `${dir === 'out' ? 'sent' : 'received'} bytes ${offset}${last > offset ? `–${last}` : ''} of ${streamWords(stream)}` };
    }
    case 'exchange': {
      const row = db
        .prepare(
          `SELECT e.stream_id, e.method, e.target, e.status,
                  (SELECT count(*) FROM http_exchanges o WHERE o.stream_id = e.stream_id AND (o.seq, o.id) < (e.seq, e.id)) AS ordinal
             FROM http_exchanges e WHERE e.id = ?`,
        )
        .get(place.exchangeId) as { stream_id: number; method: string | null; target: string | null; status: number | null; ordinal: number } | undefined;
      if (!row) throw new ApiError('not-found', `no HTTP exchange ${place.exchangeId} in this case`);
      const stream = streamKey(db, row.stream_id);
      const answer = row.status === null ? 'no response' : String(row.status);
      return { key: { kind: 'exchange', stream, index: row.ordinal }, label: `${row.method ?? '?'} ${row.target ?? '?'} → ${answer} on ${streamWords(stream)}` };
    }
    case 'finding': {
      const row = db.prepare('SELECT id, kind, severity, title, explanation, cause, exchange_id, evidence FROM findings WHERE id = ?').get(place.findingId) as Record<string, string | number | null> | undefined;
      if (!row) throw new ApiError('not-found', `no finding ${place.findingId} in this case`);
      const finding = toFindingRow(row);
      const groupKey = keyOf(finding);
      const alike = db.prepare('SELECT id, kind, severity, title, explanation, cause, exchange_id, evidence FROM findings WHERE kind = ? AND id < ? ORDER BY id').all(finding.kind, finding.id) as Record<string, string | number | null>[];
      const index = alike.filter((r) => keyOf(toFindingRow(r)) === groupKey).length;
      return { key: { kind: 'finding', findingKind: finding.kind, groupKey, index }, label: finding.title };
    }
    case 'heap-object': {
      const entry = entryOf(db, place.sourceId);
      const tree = await heapTree(db, place.sourceId);
      tree.node(place.objectId);
      const { path } = tree.pathToRoot(place.objectId);
      const self = path[path.length - 1];
      const cls = self && 'class' in self ? ` (${self.classOf ?? self.class})` : '';
      return { key: { kind: 'heap-object', entry, objectId: place.objectId.toLowerCase() }, label: `object ${place.objectId.toLowerCase()}${cls} in ${entry}` };
    }
  }
}
