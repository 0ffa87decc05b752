// One page of events under a compiled filter, fast on an index of tens of millions of events.
//
// SQLite's planner does not weigh LIMIT: for `evt.type=open` it reads all 300,000 opens through
// the type index and sorts them, where walking the table in order would have found 100 matches in
// a few thousand rows. So the page first measures the filter's density on a sample of the rows it
// would walk; a filter dense enough to fill the page within SCAN_BUDGET rows walks them in order
// (the primary key, or the time index inside a brushed range) and stops at the page's end; a
// sparse one is left to the planner, whose indexes then pay. A search of captured bytes
// (evt.buffer) is one pass over the chunks whatever the plan: it goes to the planner unsampled.

import type Database from 'better-sqlite3';
import type { CompiledFilter, SqlParam } from '../filter';

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
  /** 'walk': in order with early exit; 'planner': SQLite's choice (indexes). */
  strategy: 'walk' | 'planner';
  /** Matches per sampled row. */
  density: number;
}

export function selectEventPage(db: Database.Database, req: EventPageRequest): { rows: Record<string, unknown>[]; plan: EventPagePlan } {
  const offset = req.offset ?? 0;
  const range = req.range ?? null;
  const density = req.filter.searchesContent ? 0 : sampleDensity(db, req.filter, range);
  const strategy = density > 0 && (req.limit + offset) / density <= SCAN_BUDGET ? 'walk' : 'planner';
  // The walk names its index: SQLite would otherwise still pick, say, the type index and sort.
  const from = range
    ? `events e${strategy === 'walk' ? ' INDEXED BY events_by_time' : ''} WHERE e.ts BETWEEN ? AND ?`
    : `events e${strategy === 'walk' ? ' INDEXED BY sqlite_autoindex_events_1' : ''} WHERE 1`;
  const order = range ? 'e.ts, e.source_id, e.num' : 'e.source_id, e.num';
  const args: SqlParam[] = [...(range ? [range.from, range.to] : []), ...req.filter.params, req.limit, offset];
  const rows = db
    .prepare(`SELECT ${req.columns} FROM ${from} AND (${req.filter.where}) ORDER BY ${order} LIMIT ? OFFSET ?`)
    .safeIntegers()
    .all(...args) as Record<string, unknown>[];
  return { rows, plan: { strategy, density } };
}

/**
 * Matches per row where the walk would go: slices spread over each source's events (by number,
 * through the primary key), or the first rows of the brushed range (through the time index).
 */
function sampleDensity(db: Database.Database, filter: CompiledFilter, range: { from: bigint; to: bigint } | null): number {
  const hits = (from: string, params: SqlParam[], rows: number) =>
    db.prepare(`SELECT count(*) FROM (SELECT (${filter.where}) AS hit FROM ${from} LIMIT ${rows}) WHERE hit`).pluck().get(...filter.params, ...params) as number;
  if (range) {
    const rows = SLICE_ROWS * SLICES;
    return hits('events e INDEXED BY events_by_time WHERE e.ts BETWEEN ? AND ?', [range.from, range.to], rows) / rows;
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
