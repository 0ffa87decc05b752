// One page of events under a compiled filter, fast on an index of tens of millions of events.
//
// The events are read in number order (the event store, core/formats/scap/schema/events.ts, skips
// the blocks its zone maps rule out), so a page stops at its end. The filter's density is still
// measured on a sample of the rows the walk would read, and reported with the page's plan ('walk'
// for a filter dense enough to fill the page within SCAN_BUDGET rows). A search of captured bytes
// (evt.buffer) is one pass over the chunks: it goes unsampled. Inside a brushed range of one
// capture whose events are in time order (machine.time_ordered), the range is a range of event
// numbers; otherwise a range is a condition on the time, ordered by time.

import type Database from 'better-sqlite3';
import type { CompiledFilter, SqlParam } from '../../filter/language';
import { numbersWithin } from '../../analysis/rollup/number-buckets';

/** Rows the filter is tried on to estimate its density: SLICES slices of SLICE_ROWS. */
const SLICE_ROWS = 5_000;
const SLICES = 4;
/** The most rows an in-order walk may expect to read before it fills the page. */
const SCAN_BUDGET = 1_500_000;

export interface EventPageRequest {
  filter: CompiledFilter;
  /** ns since the epoch, inclusive. */
  range?: { from: bigint; to: bigint } | null;
  /** Comma-separated SQL columns over `e` (events). */
  columns: string;
  limit: number;
  offset?: number;
}

export interface EventPagePlan {
  /** 'walk': a filter dense enough to fill the page early in the walk; 'planner': a sparse one (the same read, reported apart). */
  strategy: 'walk' | 'planner';
  /** Matches per sampled row. */
  density: number;
}

export function selectEventPage(db: Database.Database, req: EventPageRequest): { rows: Record<string, unknown>[]; plan: EventPagePlan } {
  const offset = req.offset ?? 0;
  const range = req.range ?? null;
  const keys = range ? keyRangeOf(db, range) : undefined;
  if (keys !== undefined) return keyRangePage(db, req, keys, offset);
  const density = req.filter.searchesContent ? 0 : sampleDensity(db, req.filter, range);
  const strategy = density > 0 && (req.limit + offset) / density <= SCAN_BUDGET ? 'walk' : 'planner';
  // Either way the event store reads its blocks in number order, skipping those its zone maps
  // rule out; the strategy is what the plan reports.
  const from = range ? 'events e WHERE e.ts BETWEEN ? AND ?' : 'events e WHERE 1';
  const order = range ? 'e.ts, e.source_id, e.num' : 'e.source_id, e.num';
  const args: SqlParam[] = [...(range ? [range.from, range.to] : []), ...req.filter.params, req.limit, offset];
  const rows = db
    .prepare(`SELECT ${req.columns} FROM ${from} AND (${req.filter.where}) ORDER BY ${order} LIMIT ? OFFSET ?`)
    .safeIntegers()
    .all(...args) as Record<string, unknown>[];
  return { rows, plan: { strategy, density } };
}

/** A time range as the events' key range: one source, numbers first to last (null: no event in it). */
interface KeyRange {
  source: number;
  first: bigint;
  last: bigint;
}

/**
 * The key range a time range covers, when the index holds one capture's events and they are in
 * time order (then ordering by time is ordering by number); undefined when it cannot say.
 */
function keyRangeOf(db: Database.Database, range: { from: bigint; to: bigint }): KeyRange | null | undefined {
  const sources = db.prepare('SELECT source_id, time_ordered FROM machine WHERE event_count > 0').all() as { source_id: number; time_ordered: number | null }[];
  if (sources.length !== 1 || sources[0]!.time_ordered !== 1) return undefined;
  const source = sources[0]!.source_id;
  const numbers = numbersWithin(db, source, range);
  return numbers && { source, ...numbers };
}

/**
 * A page inside a key range, read in number order with the range as a condition on the key (the
 * plan says whether the filter was dense enough in the range's first rows).
 */
function keyRangePage(db: Database.Database, req: EventPageRequest, keys: KeyRange | null, offset: number): { rows: Record<string, unknown>[]; plan: EventPagePlan } {
  if (keys === null) return { rows: [], plan: { strategy: 'walk', density: 0 } };
  const within = 'e.source_id = ? AND e.num BETWEEN ? AND ?';
  const bounds: SqlParam[] = [keys.source, keys.first, keys.last];
  let density = 0;
  if (!req.filter.searchesContent) {
    const rows = SLICE_ROWS * SLICES;
    const hits = db.prepare(`SELECT count(*) FROM (SELECT (${req.filter.where}) AS hit FROM events e WHERE ${within} LIMIT ${rows}) WHERE hit`).pluck().get(...req.filter.params, ...bounds) as number;
    density = hits / Math.min(rows, Number(keys.last - keys.first + 1n));
  }
  const strategy = density > 0 && (req.limit + offset) / density <= SCAN_BUDGET ? 'walk' : 'planner';
  const rows = db
    .prepare(`SELECT ${req.columns} FROM events e WHERE ${within} AND (${req.filter.where}) ORDER BY e.source_id, e.num LIMIT ? OFFSET ?`)
    .safeIntegers()
    .all(...bounds, ...req.filter.params, req.limit, offset) as Record<string, unknown>[];
  return { rows, plan: { strategy, density } };
}

/**
 * Matches per row where the walk would go: slices spread over each source's events (by number,
 * in number order), or the first rows of the brushed range.
 */
function sampleDensity(db: Database.Database, filter: CompiledFilter, range: { from: bigint; to: bigint } | null): number {
  const hits = (from: string, params: SqlParam[], rows: number) =>
    db.prepare(`SELECT count(*) FROM (SELECT (${filter.where}) AS hit FROM ${from} LIMIT ${rows}) WHERE hit`).pluck().get(...filter.params, ...params) as number;
  if (range) {
    const rows = SLICE_ROWS * SLICES;
    return hits('events e WHERE e.ts BETWEEN ? AND ?', [range.from, range.to], rows) / rows;
  }
  const sources = db.prepare('SELECT source_id AS id, event_count AS n FROM machine WHERE event_count > 0').all() as { id: number; n: number }[];
  let found = 0;
  let tried = 0;
  for (const s of sources) {
    for (let i = 0; i < SLICES; i++) {
      const first = 1 + Math.floor((s.n * i) / SLICES);
      found += hits('events e WHERE e.source_id = ? AND e.num BETWEEN ? AND ?', [s.id, first, first + SLICE_ROWS - 1], SLICE_ROWS);
      tried += Math.min(SLICE_ROWS, s.n - first + 1);
    }
  }
  return tried ? found / tried : 0;
}
