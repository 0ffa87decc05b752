// Rows of chunks and streams have no time index, but where their ids grow with their time (a scap
// capture writes them in event order; a pcap usually does) a time range is an id range, found by
// a binary search over the primary key: then a brushed range reads only its own rows.

import type Database from 'better-sqlite3';
import type { Condition, TimedFamily } from './metric-families';
import type { NsRange } from '../time-range';

const ORDERED: Partial<Record<TimedFamily, { table: string; column: string; alias: string }>> = {
  chunks: { table: 'chunks', column: 'ts', alias: 'c' },
  streams: { table: 'streams', column: 'first_ts', alias: 's' },
};

/** Whether the family's rows are in time order by id (one scan; callers keep the answer per index state). */
export function idsInTimeOrder(db: Database.Database, family: TimedFamily): boolean {
  const sql = outOfOrderSql(family);
  return sql !== null && db.prepare(sql).get() === undefined;
}

/** The scan idsInTimeOrder makes: a row when some row's time is before the one's before it by id (null: the family has no such order). */
export function outOfOrderSql(family: TimedFamily): string | null {
  const o = ORDERED[family];
  return o ? `SELECT 1 FROM (SELECT ${o.column} AS t, LAG(${o.column}) OVER (ORDER BY id) AS prev FROM ${o.table}) WHERE t < prev LIMIT 1` : null;
}

/** The ids of the family's rows inside the range, as a condition (the rows must be in time order by id). */
export function idWindow(db: Database.Database, family: TimedFamily, range: NsRange): Condition | null {
  const o = ORDERED[family];
  if (!o) return null;
  // Two queries: SQLite answers a lone MIN or MAX from the b-tree's edge, but scans for both at once.
  const bounds = {
    lo: db.prepare(`SELECT MIN(id) FROM ${o.table}`).pluck().get() as number | null,
    hi: db.prepare(`SELECT MAX(id) FROM ${o.table}`).pluck().get() as number | null,
  };
  if (bounds.lo === null || bounds.hi === null) return null;
  const tsAt = db.prepare(`SELECT ${o.column} FROM ${o.table} WHERE id >= ? ORDER BY id LIMIT 1`).safeIntegers().pluck();
  // The first id whose time is >= t (hi + 1 when none is).
  const firstAtOrAfter = (t: bigint) => {
    let lo = bounds.lo!;
    let hi = bounds.hi! + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const at = tsAt.get(mid) as bigint | undefined;
      if (at === undefined || at >= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const from = firstAtOrAfter(range.from);
  const to = firstAtOrAfter(range.to + 1n) - 1;
  return { where: `${o.alias}.id >= ? AND ${o.alias}.id <= ?`, params: [from, to] };
}

export function and(a: Condition, b: Condition | null): Condition {
  return b ? { where: `(${a.where}) AND ${b.where}`, params: [...a.params, ...b.params] } : a;
}
