// Failed calls (exit events with a negative result) counted per call and error in each of the
// rollup's fine buckets: what the errors table adds up over a range. Bucket by bucket as ranges of
// event numbers where that is possible (number-buckets.ts), else one GROUP BY.

import type Database from 'better-sqlite3';
import { sourcesWithEvents } from './event-sources';
import { bucketsByNumber, numberEdges } from './number-buckets';
import type { NsRange } from '../time-range';
import { runSteps } from './stepped';
import { FAILED_CALL } from '../../formats/scap/schema/event-direction';

export interface FineErrorGroup {
  type: string;
  res: number;
  counts: Float64Array;
}

/** The groups over `count` buckets of `width` from `span.from`; pauses (yields) after each bucket. */
/** Adds `n` failures of `type` with `res` in bucket `b` to the groups by key. */
export function addErrorCount(byKey: Map<string, FineErrorGroup>, count: number, b: number, type: string, res: number, n: number): void {
  const key = `${type}\u0000${res}`;
  let g = byKey.get(key);
  if (!g) byKey.set(key, (g = { type, res: Number(res), counts: new Float64Array(count) }));
  if (b >= 0 && b < count) g.counts[b]! += Number(n);
}

/** The failures of one bucket read as a range of event numbers: parameters source, first, past the last. */
export function errorGroupBucketSql(): string {
  return `SELECT e.type, e.res, COUNT(*) FROM events e WHERE e.source_id = ? AND e.num >= ? AND e.num < ? AND ${FAILED_CALL} GROUP BY 1, 2`;
}

export function* errorGroupSteps(db: Database.Database, span: NsRange, width: bigint, count: number): Generator<void, FineErrorGroup[]> {
  const byKey = new Map<string, FineErrorGroup>();
  const add = (b: number, type: string, res: number, n: number) => addErrorCount(byKey, count, b, type, res, n);
  if (!bucketsByNumber(db)) {
    const rows = db
      .prepare(`SELECT (e.ts - ?) / ? AS b, e.type AS type, e.res AS res, COUNT(*) AS n FROM events e WHERE ${FAILED_CALL} GROUP BY 1, 2, 3`)
      .raw()
      .all(span.from, width) as [number, string, number, number][];
    for (const [b, type, res, n] of rows) add(Number(b), type, res, n);
    return [...byKey.values()];
  }
  const bucket = db.prepare(errorGroupBucketSql()).raw();
  for (const source of sourcesWithEvents(db)) {
    const edges = numberEdges(db, source, span, width, count);
    for (let k = 0; k < count; k++) {
      // Read the bucket's rows before pausing: the generator may be resumed after the index grew.
      if (edges[k + 1]! > edges[k]!) for (const [type, res, n] of bucket.all(source, edges[k], edges[k + 1]) as [string, number, number][]) add(k, type, res, n);
      yield;
    }
  }
  return [...byKey.values()];
}

/** errorGroupSteps without pauses. */
export function errorGroups(db: Database.Database, span: NsRange, width: bigint, count: number): FineErrorGroup[] {
  return runSteps(errorGroupSteps(db, span, width, count));
}
