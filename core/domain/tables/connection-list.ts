// The connections table's rows held in memory, once per state of the index. Connections are few
// (23,434 of the 1 GiB syscall capture's 527,266 streams) but scattered among the file streams:
// sorting them by a column, or keeping one process's, read every one of them from the table per
// page. Held as the rows the SQL path selects, a page is a sort of a short list.

import type Database from 'better-sqlite3';
import type { DrillContext, TableSort } from './contract';
import { heldPerState } from '../state-cache/memo';
import type { NsRange } from '../scope/view-scope';
import { containerName } from './container-name';
import { sortNullsLast, type SqlValue } from './sql-order';

export type ConnectionRecord = Record<string, SqlValue>;

interface HeldConnection {
  id: number;
  row: ConnectionRecord;
  containerId: string | null;
  pid: bigint | null;
  tid: bigint | null;
  first: bigint | null;
  last: bigint | null;
}

/** The columns of a connections row, as the table shows them, over streams s. */
const CONNECTION_VALUES = `s.id AS id, COALESCE(s.tuple, s.fd_name) AS tuple, s.l4proto AS proto, s.role AS role, s.proc AS process, s.pid AS pid,
        ${containerName('s')} AS container, s.state AS state, s.bytes_out AS bytesOut, s.bytes_in AS bytesIn,
        s.first_ts AS first, s.last_ts - s.first_ts AS duration`;

export const CONNECTION_SELECT = `SELECT ${CONNECTION_VALUES} FROM streams s`;

/** Which of a row's values each sortable column orders by: the streams' columns, as the SQL path's sort key reads them. */
const SORT_KEY: Record<string, (c: HeldConnection) => SqlValue> = {
  id: (c) => c.id,
  tuple: (c) => c.row.tuple ?? null,
  proto: (c) => c.row.proto ?? null,
  role: (c) => c.row.role ?? null,
  process: (c) => c.row.process ?? null,
  pid: (c) => c.pid,
  container: (c) => c.containerId,
  state: (c) => c.row.state ?? null,
  bytesOut: (c) => c.row.bytesOut ?? null,
  bytesIn: (c) => c.row.bytesIn ?? null,
  first: (c) => c.first,
  duration: (c) => c.row.duration ?? null,
};

/** Connections read between two pauses of a sliced load. */
const SLICE_ROWS = 2048;

/**
 * The connections' ids from streams_by_time alone, then their rows SLICE_ROWS at a time, pausing
 * between slices (their rows lie scattered among the file streams' pages).
 */
export function* heldConnectionsSteps(db: Database.Database, sliceRows = SLICE_ROWS): Generator<void, HeldConnection[]> {
  const ids = db.prepare("SELECT s.id FROM streams s WHERE s.source_id IN (SELECT id FROM sources) AND s.kind IN ('tcp', 'udp')").pluck().all() as number[];
  const rowsOf = db.prepare(`SELECT ${CONNECTION_VALUES}, s.container_id AS _container, s.tid AS _tid, s.last_ts AS _last FROM streams s WHERE s.id IN (SELECT value FROM json_each(?))`).safeIntegers();
  const out: HeldConnection[] = [];
  for (let at = 0; at < ids.length; at += sliceRows) {
    if (at > 0) yield;
    for (const { _container, _tid, _last, ...row } of rowsOf.all(JSON.stringify(ids.slice(at, at + sliceRows))) as Record<string, SqlValue>[]) {
      out.push({
        id: Number(row.id),
        row,
        containerId: _container as string | null,
        pid: row.pid as bigint | null,
        tid: _tid as bigint | null,
        first: row.first as bigint | null,
        last: _last as bigint | null,
      });
    }
  }
  return out;
}

const held = heldPerState('connections:held', (db) => heldConnectionsSteps(db));

/** Loads the connections in slices (other requests answer meanwhile), for heldConnections to take. */
export const prepareHeldConnections = held.prepare;

/**
 * The connections held for this index state, or null while an ingest writes it (the list would be
 * stale at once: the SQL path answers then).
 */
export const heldConnections = held.get;

/**
 * The connections under the drill context and the range, sorted: what the SQL path's WHERE and
 * ORDER BY select (the drill's directory is not handled here: callers take the SQL path for it).
 */
export function connectionsInScope(held: HeldConnection[], drill: DrillContext, range: NsRange | null, sort: TableSort): ConnectionRecord[] {
  const pid = drill.pid === undefined ? null : BigInt(drill.pid);
  const tid = drill.tid === undefined ? null : BigInt(drill.tid);
  const picked = held.filter(
    (c) =>
      (drill.containerId === undefined || c.containerId === drill.containerId) &&
      (pid === null || c.pid === pid) &&
      (tid === null || c.tid === tid) &&
      (range === null || (c.first !== null && c.last !== null && c.first <= range.to && c.last >= range.from)),
  );
  const key = SORT_KEY[sort.column] ?? SORT_KEY.id!;
  return sortNullsLast(picked, key, (c) => c.id, sort.desc).map((c) => c.row);
}
