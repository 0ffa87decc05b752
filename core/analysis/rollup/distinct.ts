// Distinct counts over a range (processes and containers with at least one activity event in it,
// as sysdig counts them: schema/activity.ts): they do not add up across buckets, so they are
// counted directly. Once the events are all written, the threads table and a few block-skipping
// reads answer; before (during ingest) one scan does.

import type Database from 'better-sqlite3';
import type { Condition } from './metric-families';
import type { NsRange } from '../time-range';
import { processActivity } from '../../formats/scap/schema/activity';
import { eventsWritten } from './event-sources';

export interface DistinctCounts {
  processes: number;
  containers: number;
}

export function distinctCounts(db: Database.Database, range: NsRange | null, condition: Condition | null): DistinctCounts {
  const timeWhere = range ? 'e.ts >= ? AND e.ts <= ?' : '1';
  const timeParams = range ? [range.from, range.to] : [];
  if (condition === null && eventsWritten(db)) {
    // Processes: the threads table keeps each thread's activity (count, first and last time), so
    // only the threads alive in the range are asked for an activity event in it (the event store
    // skips the blocks whose zone map lacks the pid), and none at all for the whole capture.
    const processes = range
      ? (db
          .prepare(
            `SELECT COUNT(DISTINCT t.pid) FROM threads t WHERE t.events > 0 AND t.first_ts <= ? AND t.last_ts >= ?
             AND EXISTS (SELECT 1 FROM events e WHERE e.pid = t.pid AND ${timeWhere} AND ${processActivity()})`,
          )
          .pluck()
          .get(range.to, range.from, ...timeParams) as number)
      : (db.prepare('SELECT COUNT(DISTINCT pid) FROM threads WHERE events > 0').pluck().get() as number);
    // Containers are few, and a process counts in each it acted in (one moved by its execve acted in
    // two): a read each of the blocks that hold it.
    const containers = db
      .prepare(
        `WITH k(id) AS (SELECT id FROM containers UNION SELECT container_id FROM threads)
         SELECT COUNT(*) FROM k WHERE EXISTS (SELECT 1 FROM events e WHERE e.container_id = k.id AND ${timeWhere} AND ${processActivity()})`,
      )
      .pluck()
      .get(...timeParams) as number;
    return { processes, containers };
  }
  const c = condition ?? { where: '1', params: [] };
  const row = db
    .prepare(`SELECT COUNT(DISTINCT e.pid) AS p, COUNT(DISTINCT e.container_id) AS k FROM events e WHERE ${timeWhere} AND ${processActivity()} AND (${c.where})`)
    .get(...timeParams, ...c.params) as { p: number; k: number };
  return { processes: row.p, containers: row.k };
}

/**
 * How many processes and containers were alive in each bucket: between their first and last
 * activity event (the threads table keeps each thread's), swept over the buckets. Null while the
 * events are being written (during ingest, when the threads are not all written).
 */
export function aliveSeries(db: Database.Database, window: NsRange, width: bigint, count: number): Map<string, Float64Array> | null {
  if (!eventsWritten(db)) return null;
  const out = new Map<string, Float64Array>();
  for (const [key, column] of [
    ['processes', 'pid'],
    ['containers', 'container_id'],
  ] as const) {
    const lifetimes = db
      .prepare(`SELECT MIN(first_ts) AS a, MAX(last_ts) AS b FROM threads WHERE events > 0 GROUP BY source_id, ${column}`)
      .safeIntegers()
      .all() as { a: bigint; b: bigint }[];
    const delta = new Float64Array(count + 1);
    for (const { a, b } of lifetimes) {
      if (b < window.from || a > window.to) continue;
      const i = a <= window.from ? 0 : Number((a - window.from) / width);
      const j = b >= window.to ? count - 1 : Number((b - window.from) / width);
      delta[Math.min(i, count - 1)]! += 1;
      delta[Math.min(j, count - 1) + 1]! -= 1;
    }
    const series = new Float64Array(count);
    let running = 0;
    for (let k = 0; k < count; k++) series[k] = running += delta[k]!;
    out.set(key, series);
  }
  return out;
}
