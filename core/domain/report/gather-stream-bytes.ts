// Bytes moved by streams in scope, grouped by a column of `streams s` (container, pid, stream id).
// Without a time range the streams' own totals answer; with one, only the chunks inside it count
// (read through the covering index on chunk metadata, never the payload).

import type Database from 'better-sqlite3';
import { and, overlapCondition, type Condition, type ReportScope } from './report-scope';

export interface ByteTotals {
  bytesIn: number;
  bytesOut: number;
}

export function streamBytes(db: Database.Database, groupBy: string, streams: Condition, range: ReportScope['range'], extra: Condition = { where: '1', params: [] }): Map<string, ByteTotals> {
  const totals = new Map<string, ByteTotals>();
  const rows = range
    ? db
        .prepare(
          `SELECT ${groupBy} AS k, sum(CASE WHEN c.dir = 'in' THEN c.length ELSE 0 END) AS bin, sum(CASE WHEN c.dir = 'out' THEN c.length ELSE 0 END) AS bout
           FROM streams s JOIN chunks c ON c.stream_id = s.id
           WHERE ${and(streams, extra, overlapCondition('s.first_ts', 's.last_ts', range)).where} AND c.ts BETWEEN ? AND ? GROUP BY k`,
        )
        .all(...and(streams, extra, overlapCondition('s.first_ts', 's.last_ts', range)).params, range.from, range.to)
    : db.prepare(`SELECT ${groupBy} AS k, sum(s.bytes_in) AS bin, sum(s.bytes_out) AS bout FROM streams s WHERE ${and(streams, extra).where} GROUP BY k`).all(...and(streams, extra).params);
  for (const r of rows as { k: string | number | null; bin: number | null; bout: number | null }[]) {
    totals.set(String(r.k), { bytesIn: Number(r.bin ?? 0), bytesOut: Number(r.bout ?? 0) });
  }
  return totals;
}
