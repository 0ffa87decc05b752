// Failed calls grouped by call and error (the errors table) without a scan of every event per
// view: the groups' counts in the rollup's fine buckets, stored by the ingest with the rollup (or
// computed once per state of the index when there is no stored rollup);
// a range adds live counts over its two edge slivers (the event store skips the blocks outside
// them), and each group's first and last failure come from a read of each capture's events in
// number order from either end (the blocks without the call skipped by their zone maps).

import type Database from 'better-sqlite3';
import { errorGroupSteps, type FineErrorGroup } from '../../analysis/rollup/error-buckets';
import { FINE_BUCKETS, currentRollup } from '../state-cache/rollup';
import { memoized, prepareMemo } from '../state-cache/memo';
import { runSteps } from '../../analysis/rollup/stepped';
import type { NsRange } from '../scope/view-scope';
import { EXIT_EVENT, FAILED_CALL } from '../../formats/scap/schema/event-direction';
import { eventsOutOfTimeOrder } from '../../analysis/rollup/span';
import { sourcesWithEvents } from '../../analysis/rollup/event-sources';

export interface ErrorGroup {
  type: string;
  res: number;
  count: number;
  first: bigint | null;
  last: bigint | null;
  process: string | null;
}

const GROUPS = 'errors:fine-groups';

/** The groups' fine buckets: stored with the rollup by the ingest, or counted bucket by bucket. */
function* groupSteps(db: Database.Database, rollup: NonNullable<ReturnType<typeof currentRollup>>): Generator<void, FineErrorGroup[]> {
  if (rollup.errorGroups) return rollup.errorGroups;
  return yield* errorGroupSteps(db, rollup.span, rollup.width, FINE_BUCKETS);
}

/**
 * Prepares the groups for the index as it is now, pausing every SLICE_MS (prepareMemo) so that
 * other requests answer meanwhile.
 */
export function prepareErrorGroups(db: Database.Database): Promise<void> {
  const rollup = currentRollup(db);
  return rollup ? prepareMemo(db, GROUPS, () => groupSteps(db, rollup)) : Promise.resolve();
}

/** The groups prepared for the index as it is now, preparing them at once (without pauses) if needed. */
function fineGroups(db: Database.Database): FineErrorGroup[] | null {
  const rollup = currentRollup(db);
  return rollup ? memoized(db, GROUPS, () => runSteps(groupSteps(db, rollup))) : null;
}

function liveCounts(db: Database.Database, part: NsRange): Map<string, number> {
  const out = new Map<string, number>();
  if (part.to < part.from) return out;
  const rows = db
    .prepare(`SELECT e.type, e.res, COUNT(*) FROM events e WHERE e.ts >= ? AND e.ts <= ? AND ${FAILED_CALL} GROUP BY 1, 2`)
    .raw()
    .all(part.from, part.to) as [string, number, number][];
  for (const [type, res, n] of rows) out.set(`${type}\u0000${res}`, n);
  return out;
}

/** The whole capture's (or a range's) error groups from the rollup; null when there is none yet. */
export function errorGroupsFromRollup(db: Database.Database, range: NsRange | null): ErrorGroup[] | null {
  const rollup = currentRollup(db);
  const groups = rollup ? fineGroups(db) : null;
  if (!rollup || !groups) return null;
  const { span, width } = rollup;
  const r = range ? { from: range.from < span.from ? span.from : range.from, to: range.to > span.to ? span.to : range.to } : span;
  const j0 = r.from <= span.from ? 0n : (r.from - span.from + width - 1n) / width;
  const j1 = r.to >= span.to ? BigInt(FINE_BUCKETS) : (r.to + 1n - span.from) / width;
  const edges = new Map<string, number>();
  const addLive = (part: NsRange) => {
    for (const [k, n] of liveCounts(db, part)) edges.set(k, (edges.get(k) ?? 0) + n);
  };
  let inner = true;
  if (r.to < r.from) return [];
  if (j1 <= j0) {
    inner = false;
    addLive(r);
  } else {
    addLive({ from: r.from, to: span.from + j0 * width - 1n });
    if (j1 < BigInt(FINE_BUCKETS)) addLive({ from: span.from + j1 * width, to: r.to });
  }
  const out: ErrorGroup[] = [];
  for (const g of groups) {
    let count = edges.get(`${g.type}\u0000${g.res}`) ?? 0;
    if (inner) for (let j = Number(j0); j < Number(j1); j++) count += g.counts[j]!;
    if (count > 0) out.push({ type: g.type, res: g.res, count, first: null, last: null, process: null });
  }
  return out;
}

/**
 * A group's first and last failure within the range, and the process of the first. Where every
 * capture's events are in time order, each capture's first and last by number are its first and
 * last by time: read from either end, they stop at the first match (and of several captures the
 * earliest and the latest win, the lower source on a tie). Otherwise SQLite sorts the matches.
 */
export function groupEnds(db: Database.Database, group: ErrorGroup, range: NsRange | null, extra: { where: string; params: unknown[] }): void {
  const time = range ? 'AND e.ts >= ? AND e.ts <= ?' : '';
  const params = [group.type, ...(range ? [range.from, range.to] : []), group.res, ...extra.params];
  const matching = `FROM events e WHERE e.type = ? ${time} AND ${EXIT_EVENT} AND e.res = ? AND (${extra.where})`;
  type End = { ts: bigint; proc: string | null };
  let first: End | undefined;
  let last: End | undefined;
  if (!eventsOutOfTimeOrder(db)) {
    const ends = (dir: string) => db.prepare(`SELECT e.ts AS ts, e.proc AS proc ${matching} AND e.source_id = ? ORDER BY e.source_id ${dir}, e.num ${dir} LIMIT 1`).safeIntegers();
    const firstOf = ends('ASC');
    const lastOf = ends('DESC');
    for (const source of sourcesWithEvents(db)) {
      const a = firstOf.get(...params, source) as End | undefined;
      const b = lastOf.get(...params, source) as End | undefined;
      if (a && (!first || a.ts < first.ts)) first = a;
      if (b && (!last || b.ts > last.ts)) last = b;
    }
  } else {
    const sql = (dir: string) => `SELECT e.ts AS ts, e.proc AS proc ${matching} ORDER BY e.ts ${dir} LIMIT 1`;
    first = db.prepare(sql('ASC')).safeIntegers().get(...params) as End | undefined;
    last = db.prepare(sql('DESC')).safeIntegers().get(...params) as End | undefined;
  }
  group.first = first?.ts ?? null;
  group.process = first?.proc ?? null;
  group.last = last?.ts ?? null;
}
