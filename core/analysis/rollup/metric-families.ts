// One aggregate query per family of metrics: the rows of one table (joined to what the metrics
// need), bucketed by one time column, narrowed by a time window and the filter for the table's
// target. Every metric of a family comes out of the same scan.

import type Database from 'better-sqlite3';
import type { FilterTargetName } from '../../domain/tables/contract';
import type { SqlParam } from '../../index/sql-param';
import { METRICS, PCAP_FAILED_CONNECTIONS_SQL, type Family, type MetricDef } from './metric-defs';
import { sourcesWithEvents } from './event-sources';
import { bucketsByNumber, numberEdges } from './number-buckets';
import type { NsRange } from '../time-range';
import { runSteps } from './stepped';
import { addExitCounts } from './exit-counts';

export interface FamilySpec {
  from: string;
  ts: string;
  target: FilterTargetName | null;
}

export const FAMILIES: Record<Exclude<Family, 'static'>, FamilySpec> = {
  events: { from: 'events e', ts: 'e.ts', target: 'events' },
  // The covering index on chunk metadata (chunks_by_stream_dir) spares the scan the chunks' bytes.
  chunks: { from: 'chunks c JOIN streams s ON s.id = c.stream_id', ts: 'c.ts', target: 'streams' },
  streams: { from: 'streams s', ts: 's.first_ts', target: 'streams' },
  http: { from: 'http_exchanges x', ts: 'x.req_ts', target: 'http' },
  findings: { from: 'findings f JOIN http_exchanges x ON x.id = f.exchange_id', ts: 'x.req_ts', target: null },
  // The default Falco rules' alerts (core/analysis/falco/), at their events' times.
  alerts: { from: 'falco_alerts a', ts: 'a.ts', target: null },
};

export type TimedFamily = keyof typeof FAMILIES;
export const TIMED_FAMILIES = Object.keys(FAMILIES) as TimedFamily[];

/** A column a family query computes: a metric, or a part of one that another family completes. */
export interface FamilyColumn {
  key: string;
  sql: string;
  peak: boolean;
  /** The rows it counts (MetricDef.rows); undefined: every row. */
  rows?: string;
  /** MetricDef.exits: the count of exit events. */
  exits?: true;
}

/** The columns of a family: its metrics, plus the network-capture half of failed connections. */
export function familyColumns(family: TimedFamily): FamilyColumn[] {
  const cols: FamilyColumn[] = METRICS.filter((m: MetricDef) => m.family === family).map((m) => ({ key: m.id, sql: m.sql, peak: m.seriesKind === 'peak', ...(m.rows ? { rows: m.rows } : {}), ...(m.exits ? { exits: m.exits } : {}) }));
  if (family === 'streams') cols.push({ key: PCAP_FAILED_KEY, sql: PCAP_FAILED_CONNECTIONS_SQL, peak: false });
  return cols;
}

export const PCAP_FAILED_KEY = 'connectionsFailed:pcap';

export interface Condition {
  where: string;
  params: SqlParam[];
}

/** Per-bucket values of the family's columns over `window` cut in `count` buckets of `width` ns. */
export function bucketed(
  db: Database.Database,
  family: TimedFamily,
  window: NsRange,
  width: bigint,
  count: number,
  condition: Condition,
  options: { peaks?: boolean; only?: readonly string[] } = {},
): Map<string, Float64Array> {
  const cols = familyColumns(family).filter((c) => (options.peaks ?? true ? true : !c.peak) && (!options.only || options.only.includes(c.key)));
  if (cols.length === 0) return new Map();
  if (family === 'events') {
    const byNumber = eventsByNumber(db, cols, window, width, count, condition);
    if (byNumber) return byNumber;
  }
  const query = bucketQuery(family, cols, window, width, condition);
  return fillBuckets(cols, count, db.prepare(query.sql).raw().all(...query.params) as (number | null)[][]);
}

/** The SQL of one family's buckets (a GROUP BY over the computed bucket), for fillBuckets. */
export function bucketQuery(family: TimedFamily, cols: FamilyColumn[], window: NsRange, width: bigint, condition: Condition): { sql: string; params: SqlParam[] } {
  const spec = FAMILIES[family];
  return {
    sql: `SELECT (${spec.ts} - ?) / ? AS b, ${cols.map((c, i) => `${c.sql} AS m${i}`).join(', ')}
      FROM ${spec.from} WHERE ${spec.ts} >= ? AND ${spec.ts} <= ? AND (${condition.where}) GROUP BY b`,
    params: [window.from, width, window.from, window.to, ...condition.params],
  };
}

/** The rows of bucketQuery as one series of `count` buckets per column. */
export function fillBuckets(cols: FamilyColumn[], count: number, rows: (number | null)[][]): Map<string, Float64Array> {
  const out = new Map(cols.map((c) => [c.key, new Float64Array(count)]));
  for (const row of rows) {
    const b = Number(row[0]);
    if (b < 0 || b >= count) continue;
    cols.forEach((c, i) => (out.get(c.key)![b] = Number(row[i + 1] ?? 0)));
  }
  return out;
}

/** One bucket of the events family read as a range of event numbers: its SQL, and its parameters for a source's numbers from `first` to before `past`. */
export function eventBucketsByNumber(cols: FamilyColumn[], window: NsRange, condition: Condition): { sql: string; params: (source: number, first: bigint, past: bigint) => unknown[] } {
  return {
    sql: `SELECT ${cols.map((c) => c.sql).join(', ')} FROM events e WHERE e.source_id = ? AND e.num >= ? AND e.num < ? AND e.ts <= ? AND (${condition.where})`,
    params: (source, first, past) => [source, first, past, window.to, ...condition.params],
  };
}

/**
 * Columns that count only the rows meeting `rows` (MetricDef.rows), in every bucket at once: the
 * buckets' ranges of event numbers (edges as numberEdges gives them) as a JSON array the statement
 * walks, the event store reading the rows of each range that meet `rows`. Its rows: a bucket's
 * index (buckets without such rows have none), then the columns.
 */
export function eventBucketsOfRows(cols: FamilyColumn[], window: NsRange, condition: Condition, rows: string): { sql: string; params: (source: number, edges: readonly bigint[]) => unknown[] } {
  return {
    sql: `SELECT b.key, ${cols.map((c) => c.sql).join(', ')} FROM json_each(?) b CROSS JOIN events e
      WHERE e.source_id = ? AND e.num >= b.value ->> 0 AND e.num < b.value ->> 1 AND e.ts <= ? AND (${rows}) AND (${condition.where}) GROUP BY b.key`,
    params: (source, edges) => [`[${edges.slice(0, -1).map((e, k) => `[${e},${edges[k + 1]}]`).join(',')}]`, source, window.to, ...condition.params],
  };
}

/**
 * The events family bucket by bucket, each bucket a range of event numbers (number-buckets.ts). A
 * generator that pauses after each bucket, so that a long scan can give the event loop its turn;
 * it returns null where buckets cannot be read by number (during ingest, or a capture out of time
 * order).
 */
export function* eventsByNumberSteps(
  db: Database.Database,
  cols: FamilyColumn[],
  window: NsRange,
  width: bigint,
  count: number,
  condition: Condition,
): Generator<void, Map<string, Float64Array> | null> {
  if (!bucketsByNumber(db)) return null;
  const sources = sourcesWithEvents(db);
  // Distinct counts of several sources do not add up bucket by bucket.
  if (sources.length > 1 && cols.some((c) => c.peak)) return null;
  const out = new Map(cols.map((c) => [c.key, new Float64Array(count)]));
  for (const source of sources) {
    const edges = numberEdges(db, source, window, width, count);
    // Unfiltered, the count of exits comes from the bits stored with the events (exit-counts.ts)
    // where they cover them; the other columns (or all, filtered) from a scan of each bucket.
    const scanned = cols.filter((c) => !(condition === EVERYTHING && c.exits && addExitCounts(db, source, edges, out.get(c.key)!)));
    if (scanned.length === 0) continue;
    const byNumber = eventBucketsByNumber(scanned, window, condition);
    const bucket = db.prepare(byNumber.sql).raw();
    for (let k = 0; k < count; k++) {
      if (edges[k + 1]! <= edges[k]!) continue;
      // Read the bucket's rows before pausing: the generator may be resumed after the index grew.
      const row = bucket.get(...byNumber.params(source, edges[k]!, edges[k + 1]!)) as (number | null)[];
      scanned.forEach((c, i) => (out.get(c.key)![k]! += Number(row[i] ?? 0)));
      yield;
    }
  }
  return out;
}

function eventsByNumber(
  db: Database.Database,
  cols: FamilyColumn[],
  window: NsRange,
  width: bigint,
  count: number,
  condition: Condition,
): Map<string, Float64Array> | null {
  return runSteps(eventsByNumberSteps(db, cols, window, width, count, condition));
}

/** The family's columns over a range (null: all rows), as one aggregate each. */
export function totals(db: Database.Database, family: TimedFamily, range: NsRange | null, condition: Condition): Map<string, number> {
  const spec = FAMILIES[family];
  const cols = familyColumns(family);
  const timeWhere = range ? `${spec.ts} >= ? AND ${spec.ts} <= ?` : '1';
  const sql = `SELECT ${cols.map((c, i) => `${c.sql} AS m${i}`).join(', ')} FROM ${spec.from} WHERE ${timeWhere} AND (${condition.where})`;
  const row = db.prepare(sql).raw().get(...(range ? [range.from, range.to] : []), ...condition.params) as (number | null)[];
  return new Map(cols.map((c, i) => [c.key, Number(row[i] ?? 0)]));
}

export const EVERYTHING: Condition = { where: '1', params: [] };
