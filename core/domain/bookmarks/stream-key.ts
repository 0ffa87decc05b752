// A stream named by what it is rather than by its row id (./contract.ts StreamKey), and found again
// by that name. Streams alike (the same capture, kind, tuple, process, fd and role: a port reused,
// a file opened twice) are told apart by the order they began in, with the row id breaking ties
// between streams that began at the same nanosecond: the ingest writes them in the file's order.

import type Database from 'better-sqlite3';
import type { StreamKey } from './contract';

const ALIKE = 'o.source_id = s.source_id AND o.kind = s.kind AND o.tuple IS s.tuple AND o.pid IS s.pid AND o.fd IS s.fd AND o.role IS s.role';
const BEFORE = '(coalesce(o.first_ts, -1), o.id) < (coalesce(s.first_ts, -1), s.id)';

/** The key of stream `streamId`, or null when the index has no such stream. */
export function streamKeyOf(db: Database.Database, streamId: number): StreamKey | null {
  const row = db
    .prepare(
      `SELECT src.entry, s.kind, s.tuple, s.pid, s.fd, s.role,
              (SELECT count(*) FROM streams o WHERE ${ALIKE} AND ${BEFORE}) AS ordinal
         FROM streams s JOIN sources src ON src.id = s.source_id WHERE s.id = ?`,
    )
    .get(streamId) as { entry: string; kind: string; tuple: string | null; pid: number | null; fd: number | null; role: string | null; ordinal: number } | undefined;
  if (!row) return null;
  return { entry: row.entry, kind: row.kind, tuple: row.tuple, pid: row.pid, fd: row.fd, role: row.role, index: row.ordinal };
}

/** The id of the stream a key names in the index as it is now, or null. */
export function findStream(db: Database.Database, key: StreamKey): number | null {
  const id = db
    .prepare(
      `SELECT o.id FROM streams o
        WHERE o.source_id = (SELECT min(id) FROM sources WHERE entry = ?) AND o.kind = ? AND o.tuple IS ? AND o.pid IS ? AND o.fd IS ? AND o.role IS ?
        ORDER BY coalesce(o.first_ts, -1), o.id LIMIT 1 OFFSET ?`,
    )
    .pluck()
    .get(key.entry, key.kind, key.tuple, key.pid, key.fd, key.role, key.index) as number | undefined;
  return id ?? null;
}

/** How a stream reads in a list: its tuple, or its kind and fd name. */
export function streamWords(key: StreamKey): string {
  return key.tuple ?? `${key.kind}${key.pid === null ? '' : ` of pid ${key.pid}`}${key.fd === null ? '' : ` fd ${key.fd}`}`;
}
