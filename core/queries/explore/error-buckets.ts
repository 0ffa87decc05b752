// Failed calls (exit events with a negative result) counted per call and error in each of the
// rollup's fine buckets: what the errors table adds up over a range. Bucket by bucket as ranges of
// event numbers where the events are in time order (machine.time_ordered; see families.ts), else
// one GROUP BY (and during ingest, before the time index is built).

import type Database from 'better-sqlite3';
import type { NsRange } from './scope';

export interface FineErrorGroup {
  type: string;
  res: number;
  counts: Float64Array;
}

const FAILED = "e.dir = '<' AND e.res < 0";

/** The groups over `count` buckets of `width` from `span.from`; pauses (yields) after each bucket. */
export function* errorGroupSteps(db: Database.Database, span: NsRange, width: bigint, count: number): Generator<void, FineErrorGroup[]> {
  const byKey = new Map<string, FineErrorGroup>();
  const add = (b: number, type: string, res: number, n: number) => {
    const key = `${type}\u0000${res}`;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { type, res: Number(res), counts: new Float64Array(count) }));
    if (b >= 0 && b < count) g.counts[b]! += Number(n);
  };
  const timeIndexed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'events_by_time'").get() !== undefined;
  // Number ranges are time ranges only where the events are in time order (not every capture is).
  const outOfOrder = db.prepare('SELECT 1 FROM machine WHERE time_ordered = 0 LIMIT 1').get() !== undefined;
  if (!timeIndexed || outOfOrder) {
    const rows = db
      .prepare(`SELECT (e.ts - ?) / ? AS b, e.type AS type, e.res AS res, COUNT(*) AS n FROM events e WHERE ${FAILED} GROUP BY 1, 2, 3`)
      .raw()
      .all(span.from, width) as [number, string, number, number][];
    for (const [b, type, res, n] of rows) add(Number(b), type, res, n);
    return [...byKey.values()];
  }
  const firstAtOrAfter = db.prepare('SELECT num FROM events WHERE ts >= ? AND +source_id = ? ORDER BY ts, source_id, num LIMIT 1').safeIntegers().pluck();
  const lastNum = db.prepare('SELECT num FROM events WHERE source_id = ? ORDER BY num DESC LIMIT 1').safeIntegers().pluck();
  const bucket = db.prepare(`SELECT e.type, e.res, COUNT(*) FROM events e WHERE e.source_id = ? AND e.num >= ? AND e.num < ? AND ${FAILED} GROUP BY 1, 2`).raw();
  for (const source of db.prepare("SELECT id FROM sources WHERE format = 'scap'").pluck().all() as number[]) {
    const end = ((lastNum.get(source) as bigint | undefined) ?? 0n) + 1n;
    let lo = (firstAtOrAfter.get(span.from, source) as bigint | undefined) ?? end;
    for (let k = 0; k < count; k++) {
      const next = k === count - 1 ? end : ((firstAtOrAfter.get(span.from + BigInt(k + 1) * width, source) as bigint | undefined) ?? end);
      // Read the bucket's rows before pausing: the generator may be resumed after the index grew.
      if (next > lo) for (const [type, res, n] of bucket.all(source, lo, next) as [string, number, number][]) add(k, type, res, n);
      lo = next;
      yield;
    }
  }
  return [...byKey.values()];
}

/** errorGroupSteps without pauses. */
export function errorGroups(db: Database.Database, span: NsRange, width: bigint, count: number): FineErrorGroup[] {
  const steps = errorGroupSteps(db, span, width, count);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
