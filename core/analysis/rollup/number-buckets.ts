// Time buckets read as ranges of event numbers. Where a capture's events are in time order (as
// libscap writes them; the ingest records it in machine.time_ordered), the events of a time bucket
// are a range of numbers, whose edges a read of one block each finds (the first event at or after a
// time, by number: the event store skips the blocks before it by their time range): a bucket is
// then a plain scan by number, where a GROUP BY over a computed bucket would sort every event first.

import type Database from 'better-sqlite3';
import { eventsWritten } from './event-sources';
import type { NsRange } from '../time-range';
import { eventsOutOfTimeOrder } from './span';

/** Whether buckets can be read by number now: the events are all written (not during ingest) and no capture is out of time order. */
export function bucketsByNumber(db: Database.Database): boolean {
  return eventsWritten(db) && !eventsOutOfTimeOrder(db);
}

/**
 * The event numbers of one source at the edges of `count` buckets of `width` from `window.from`:
 * bucket k holds the numbers from edges[k] up to (not including) edges[k + 1]; the last edge is the
 * first number past `window.to`.
 */
export function numberEdges(db: Database.Database, source: number, window: NsRange, width: bigint, count: number): bigint[] {
  const firstAtOrAfter = db.prepare('SELECT num FROM events WHERE ts >= ? AND source_id = ? ORDER BY source_id, num LIMIT 1').safeIntegers().pluck();
  const past = ((db.prepare('SELECT num FROM events WHERE source_id = ? ORDER BY num DESC LIMIT 1').safeIntegers().pluck().get(source) as bigint | undefined) ?? 0n) + 1n;
  const edges: bigint[] = [];
  for (let k = 0; k <= count; k++) {
    const at = k === count ? window.to + 1n : window.from + BigInt(k) * width;
    edges.push((firstAtOrAfter.get(at > window.to + 1n ? window.to + 1n : at, source) as bigint | undefined) ?? past);
  }
  return edges;
}

/**
 * One source's first and last event numbers within a time range (the first at or after its start
 * and the last at or before its end, by number), or overall; null when none is in it. A range of
 * numbers is that range of times only where the events are in time order, which the callers check.
 */
export function numbersWithin(db: Database.Database, source: number, range: NsRange | null): { first: bigint; last: bigint } | null {
  const q = (sql: string, ...p: unknown[]) => db.prepare(sql).safeIntegers().pluck().get(...p) as bigint | undefined;
  const first = range
    ? q('SELECT num FROM events WHERE ts >= ? AND source_id = ? ORDER BY source_id, num LIMIT 1', range.from, source)
    : q('SELECT num FROM events WHERE source_id = ? ORDER BY num LIMIT 1', source);
  const last = range
    ? q('SELECT num FROM events WHERE ts <= ? AND source_id = ? ORDER BY source_id DESC, num DESC LIMIT 1', range.to, source)
    : q('SELECT num FROM events WHERE source_id = ? ORDER BY num DESC LIMIT 1', source);
  return first === undefined || last === undefined || last < first ? null : { first, last };
}
