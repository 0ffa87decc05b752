// The rollup as the ingest worker stores it (its tables: tables.ts): the unfiltered metric values
// of every family in FINE_BUCKETS buckets over the capture's span, and whether chunk and stream ids
// follow time. Computed once at the end of ingest, when the span is final and the events are all
// written, so that the first overview of a big case reads a few rows instead of scanning millions
// of events.

import type Database from 'better-sqlite3';
import { aliveSeries } from './distinct';
import { QueryThread } from '../../index/query-thread';
import { bucketed, bucketQuery, eventBucketsByNumber, eventBucketsOfRows, EVERYTHING, familyColumns, fillBuckets, TIMED_FAMILIES, type FamilyColumn, type TimedFamily } from './metric-families';
import { addErrorCount, errorGroupBucketSql, errorGroups, type FineErrorGroup } from './error-buckets';
import { bucketsByNumber, numberEdges } from './number-buckets';
import { sourcesWithEvents } from './event-sources';
import { idsInTimeOrder, outOfOrderSql } from './id-window';
import { countListeningPorts } from './listening-ports';
import type { NsRange } from '../time-range';
import { captureSpan } from './span';
import { addExitCounts } from './exit-counts';

/** Fine buckets over the capture: a range's totals need live queries only over two slivers this narrow. */
export const FINE_BUCKETS = 2000;

export function bucketWidth(window: NsRange, count: number): bigint {
  const n = BigInt(count);
  return (window.to - window.from + n) / n;
}

export interface RollupValues {
  span: NsRange;
  width: bigint;
  families: Map<TimedFamily, Map<string, Float64Array>>;
  /** Families whose rows are in time order by id (see id-window.ts). */
  ordered: Map<TimedFamily, boolean>;
  /** Failed calls per call and error in the same buckets (the errors table), when stored. */
  errorGroups?: FineErrorGroup[];
  /** The listening-ports tile's count (no time line), when stored. */
  listeningPorts?: number;
}

/**
 * One family's columns in the fine buckets of the span. The events family is read in event-number
 * order, one range of numbers per bucket (families.ts), once the time index exists.
 */
export function fineFamily(db: Database.Database, span: NsRange, width: bigint, family: TimedFamily): Map<string, Float64Array> {
  // Distinct counts per bucket make the scan several times slower: processes and containers alive
  // per bucket come from their lifetimes instead, when the indexes allow.
  const alive = family === 'events' ? aliveSeries(db, span, width, FINE_BUCKETS) : null;
  const values = bucketed(db, family, span, width, FINE_BUCKETS, EVERYTHING, { peaks: alive === null });
  if (alive) for (const [k, v] of alive) values.set(k, v);
  return values;
}

/** The events family's distinct counts, added to its other columns computed before. */
function completeEvents(db: Database.Database, span: NsRange, width: bigint, values: Map<string, Float64Array>): Map<string, Float64Array> {
  const out = new Map(values);
  const alive = aliveSeries(db, span, width, FINE_BUCKETS);
  const peaks = alive ?? bucketed(db, 'events', span, width, FINE_BUCKETS, EVERYTHING, { only: familyColumns('events').filter((c) => c.peak).map((c) => c.key) });
  for (const [k, v] of peaks) out.set(k, v);
  return out;
}

const ORDERED_FAMILIES: readonly TimedFamily[] = ['chunks', 'streams'];
/** The families startEarlyRollup may compute (the rest it never does). */
const EARLY_FAMILIES: ReadonlySet<TimedFamily> = new Set<TimedFamily>(['chunks', 'streams', 'events']);

/**
 * Families whose rows are all written once a capture's rows are, computed on a query thread while
 * the analyses after ingest run on the ingest's: a network capture's chunks and streams, a syscall
 * capture's too, with its events (but their distinct counts) and its error groups; and whether
 * chunk and stream ids follow time. The rollup analysis takes them if nothing they read has changed since.
 */
interface EarlyRollup {
  version: string;
  span: NsRange;
  width: bigint;
  /** The events family comes without its distinct counts (the rollup analysis adds them). */
  families: Map<TimedFamily, Map<string, Float64Array>>;
  /** Whether chunk and stream ids follow time (the families' scans on the same thread). */
  ordered: Map<TimedFamily, boolean>;
  errorGroups: FineErrorGroup[] | null;
  ms: number;
}

const earlyByConnection = new WeakMap<Database.Database, Promise<EarlyRollup | null>>();

/** Changes when rows are added to events, chunks or streams (by index seeks, no scan). */
function earlyVersion(db: Database.Database): string {
  const lastEvent = db.prepare('SELECT num FROM events WHERE source_id = ? ORDER BY num DESC LIMIT 1').safeIntegers().pluck();
  const sources = (db.prepare('SELECT id FROM sources ORDER BY id').pluck().all() as number[]).map((id) => `${id}:${String(lastEvent.get(id) ?? 0)}`);
  const maxId = (table: string) => String(db.prepare(`SELECT MAX(rowid) FROM ${table}`).pluck().get() ?? 0);
  return [...sources, maxId('streams'), maxId('chunks')].join('/');
}

const threadsAhead = new WeakMap<Database.Database, QueryThread>();

/**
 * Starts the early rollup's query thread now, while the capture is read: a thread's start (Node's
 * bootstrap, better-sqlite3, its connection: ~50-70 ms) would otherwise come after the reading,
 * before the scans, and the analyses after ingest end waiting for them. startEarlyRollup takes it;
 * closeEarlyRollupThread ends it if nothing did (the reading failed or was cancelled).
 */
export function startEarlyRollupThread(db: Database.Database): void {
  if (db.memory || threadsAhead.has(db)) return;
  const thread = QueryThread.start(db.name);
  if (thread) threadsAhead.set(db, thread);
}

/** Ends the thread startEarlyRollupThread started, if startEarlyRollup did not take it. */
export function closeEarlyRollupThread(db: Database.Database): void {
  threadsAhead.get(db)?.close();
  threadsAhead.delete(db);
}

/**
 * Starts the early families on a query thread (core/index/query-thread.ts: the one started ahead
 * for this connection, or a new one) and keeps the promise of them for the rollup analysis. Does
 * nothing where no thread can be had (an in-memory index).
 */
export function startEarlyRollup(db: Database.Database): void {
  if (db.memory) return;
  const started = performance.now();
  const ahead = threadsAhead.get(db) ?? null;
  threadsAhead.delete(db);
  try {
    const span = captureSpan(db);
    if (!span) {
      ahead?.close();
      return;
    }
    const thread = ahead ?? QueryThread.start(db.name);
    if (!thread) return;
    const width = bucketWidth(span, FINE_BUCKETS);
    const version = earlyVersion(db);
    const jobs: Promise<readonly [TimedFamily, Map<string, Float64Array>]>[] = (['chunks', 'streams'] as const).map(async (family) => {
      const cols = familyColumns(family);
      const query = bucketQuery(family, cols, span, width, EVERYTHING);
      return [family, fillBuckets(cols, FINE_BUCKETS, (await thread.all(query.sql, query.params)) as (number | null)[][])] as const;
    });
    // A syscall capture's events family (but its distinct counts) and its error groups, bucket by
    // bucket as ranges of event numbers, where they can be read so (number-buckets.ts): the edges
    // are found here, the buckets read on the thread.
    let groups: Promise<FineErrorGroup[]> | null = null;
    if (bucketsByNumber(db) && sourcesWithEvents(db).length > 0) {
      const edges = sourcesWithEvents(db).map((source) => ({ source, edges: numberEdges(db, source, span, width, FINE_BUCKETS) }));
      const cols = familyColumns('events').filter((c) => !c.peak);
      // The columns over every event, a bucket at a time; those that count some rows only
      // (MetricDef.rows), every bucket in one statement per kind of row.
      const everyRow = cols.filter((c) => c.rows === undefined);
      const someRows = new Map<string, FamilyColumn[]>();
      for (const c of cols) if (c.rows !== undefined) someRows.set(c.rows, [...(someRows.get(c.rows) ?? []), c]);
      jobs.push(
        (async () => {
          const out = new Map(cols.map((c) => [c.key, new Float64Array(FINE_BUCKETS)]));
          const reads = edges.flatMap(({ source, edges: e }) => {
            // The count of exits from the bits stored with the events, here on this thread (a few
            // milliseconds), where they cover the source's events; the rest by a scan per bucket.
            const scanned = everyRow.filter((c) => !(c.exits && addExitCounts(db, source, e, out.get(c.key)!)));
            const events = eventBucketsByNumber(scanned, span, EVERYTHING);
            return [
              ...Array.from({ length: scanned.length > 0 ? FINE_BUCKETS : 0 }, (_, k) => k).filter((k) => e[k + 1]! > e[k]!).map(async (k) => {
                const [row] = (await thread.all(events.sql, events.params(source, e[k]!, e[k + 1]!))) as (number | null)[][];
                scanned.forEach((c, i) => (out.get(c.key)![k]! += Number(row?.[i] ?? 0)));
              }),
              ...[...someRows].map(async ([rows, some]) => {
                const q = eventBucketsOfRows(some, span, EVERYTHING, rows);
                for (const [k, ...values] of (await thread.all(q.sql, q.params(source, e))) as [number, ...(number | null)[]][]) {
                  some.forEach((c, i) => (out.get(c.key)![k]! += Number(values[i] ?? 0)));
                }
              }),
            ];
          });
          await Promise.all(reads);
          return ['events', out] as const;
        })(),
      );
      groups = (async () => {
        const sql = errorGroupBucketSql();
        const byKey = new Map<string, FineErrorGroup>();
        const reads = edges.flatMap(({ source, edges: e }) =>
          Array.from({ length: FINE_BUCKETS }, (_, k) => k).filter((k) => e[k + 1]! > e[k]!).map(async (k) => {
            for (const [type, res, n] of (await thread.all(sql, [source, e[k]!, e[k + 1]!])) as [string, number, number][]) addErrorCount(byKey, FINE_BUCKETS, k, type, res, n);
          }),
        );
        await Promise.all(reads);
        return [...byKey.values()];
      })();
    }
    // Whether chunk and stream ids follow time: a scan of each table (most of a second on a network
    // capture's or a busy syscall capture's millions of chunks), here rather than on the analyses' thread.
    const ordered = Promise.all(
      ORDERED_FAMILIES.map(async (family) => {
        const sql = outOfOrderSql(family);
        return [family, sql !== null && (await thread.all(sql, [])).length === 0] as const;
      }),
    );
    const early = Promise.all([Promise.all(jobs), groups, ordered])
      .then(([families, errorGroups, inOrder]): EarlyRollup => ({ version, span, width, families: new Map(families), ordered: new Map(inOrder), errorGroups, ms: performance.now() - started }))
      .catch(() => null)
      .finally(() => thread.close());
    earlyByConnection.set(db, early);
  } catch {
    earlyByConnection.delete(db);
  }
}

/** The early families, if they were computed over the index as it is now; handed over once. */
async function takeEarly(db: Database.Database, span: NsRange): Promise<EarlyRollup | null> {
  const pending = earlyByConnection.get(db);
  earlyByConnection.delete(db);
  const early = pending ? await pending : null;
  if (!early || early.span.from !== span.from || early.span.to !== span.to || early.version !== earlyVersion(db)) return null;
  return early;
}

/** The whole rollup of the index as it is (null when the case has no time span). */
export async function computeRollup(db: Database.Database): Promise<(RollupValues & { computeMs: number }) | null> {
  const span = captureSpan(db);
  if (!span) return null;
  const started = performance.now();
  const width = bucketWidth(span, FINE_BUCKETS);
  // What the early rollup does not compute is computed first, while it may still be at work on
  // its thread (its scans of a big capture's chunks outlast the HTTP analysis and the findings).
  const own = new Map<TimedFamily, Map<string, Float64Array>>();
  for (const family of TIMED_FAMILIES) if (!EARLY_FAMILIES.has(family)) own.set(family, fineFamily(db, span, width, family));
  const listeningPorts = countListeningPorts(db);
  const waitFrom = performance.now();
  const early = await takeEarly(db, span);
  const waited = performance.now() - waitFrom;
  const families = new Map<TimedFamily, Map<string, Float64Array>>();
  for (const family of TIMED_FAMILIES) {
    const computed = own.get(family) ?? early?.families.get(family);
    if (!computed) families.set(family, fineFamily(db, span, width, family));
    else families.set(family, family === 'events' && !own.has(family) ? completeEvents(db, span, width, computed) : computed);
  }
  const ordered = early?.ordered ?? new Map(ORDERED_FAMILIES.map((f) => [f, idsInTimeOrder(db, f)] as const));
  const groups = early?.errorGroups ?? errorGroups(db, span, width, FINE_BUCKETS);
  // What computing it cost in all, the part done early included (not the wait for it).
  return { span, width, families, ordered, errorGroups: groups, listeningPorts, computeMs: performance.now() - started - waited + (early?.ms ?? 0) };
}

/** Float64 values as little-endian bytes: the BLOB reads the same on any machine. */
function toBlob(values: Float64Array): Buffer {
  const out = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) out.writeDoubleLE(values[i]!, i * 8);
  return out;
}

function fromBlob(blob: Buffer, count: number): Float64Array {
  if (blob.length !== count * 8) throw new Error(`rollup series of ${blob.length} bytes, expected ${count * 8}`);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = blob.readDoubleLE(i * 8);
  return out;
}

export interface StoredRollupSummary {
  series: number;
  ms: number;
}

/** The post-ingest analysis: computes the rollup and stores it (replacing any earlier one). */
export async function storeRollup(db: Database.Database): Promise<StoredRollupSummary | null> {
  const rollup = await computeRollup(db);
  const ms = rollup?.computeMs ?? 0;
  let series = 0;
  db.transaction(() => {
    db.prepare('DELETE FROM rollup_series').run();
    db.prepare('DELETE FROM rollup_error_groups').run();
    db.prepare('DELETE FROM rollup').run();
    if (!rollup) return;
    db.prepare('INSERT INTO rollup (id, span_from, span_to, bucket_ns, buckets, chunks_time_ordered, streams_time_ordered, compute_ms, error_groups_stored, listening_ports) VALUES (1, ?, ?, ?, ?, ?, ?, ?, 1, ?)').run(
      rollup.span.from,
      rollup.span.to,
      rollup.width,
      FINE_BUCKETS,
      rollup.ordered.get('chunks') ? 1 : 0,
      rollup.ordered.get('streams') ? 1 : 0,
      ms,
      rollup.listeningPorts ?? null,
    );
    const insert = db.prepare('INSERT INTO rollup_series (family, metric, series) VALUES (?, ?, ?)');
    for (const [family, columns] of rollup.families) {
      for (const [metric, values] of columns) {
        insert.run(family, metric, toBlob(values));
        series++;
      }
    }
    const insertGroup = db.prepare('INSERT INTO rollup_error_groups (type, res, series) VALUES (?, ?, ?)');
    for (const g of rollup.errorGroups ?? []) insertGroup.run(g.type, g.res, toBlob(g.counts));
  })();
  return rollup ? { series, ms } : null;
}

/**
 * The stored rollup, or null when there is none: during an ingest (the analyses run at its end), after
 * one cancelled before them, or in an index older than the rollup tables.
 */
export function readStoredRollup(db: Database.Database): RollupValues | null {
  const tables = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('rollup', 'rollup_series')").pluck().get() as number;
  if (tables !== 2) return null;
  const row = db.prepare('SELECT * FROM rollup WHERE id = 1').safeIntegers().get() as
    | { span_from: bigint; span_to: bigint; bucket_ns: bigint; buckets: bigint; chunks_time_ordered: bigint; streams_time_ordered: bigint; error_groups_stored?: bigint; listening_ports?: bigint | null }
    | undefined;
  // A rollup of another grain (written by another capscope) is not this one's: compute it live.
  if (!row || Number(row.buckets) !== FINE_BUCKETS) return null;
  const families = new Map<TimedFamily, Map<string, Float64Array>>();
  for (const { family, metric, series } of db.prepare('SELECT family, metric, series FROM rollup_series').all() as { family: TimedFamily; metric: string; series: Buffer }[]) {
    let columns = families.get(family);
    if (!columns) families.set(family, (columns = new Map()));
    columns.set(metric, fromBlob(series, FINE_BUCKETS));
  }
  // A metric added since the rollup was stored has no series in it.
  if (!TIMED_FAMILIES.every((f) => familyColumns(f).every((c) => families.get(f)?.has(c.key)))) return null;
  // Error groups are read only where they were stored with the rollup.
  const errorGroups =
    row.error_groups_stored === 1n
      ? (db.prepare('SELECT type, res, series FROM rollup_error_groups').all() as { type: string; res: number; series: Buffer }[]).map((g) => ({ type: g.type, res: g.res, counts: fromBlob(g.series, FINE_BUCKETS) }))
      : undefined;
  return {
    span: { from: row.span_from, to: row.span_to },
    width: row.bucket_ns,
    errorGroups,
    // NULL: not stored with the rollup.
    listeningPorts: row.listening_ports === undefined || row.listening_ports === null ? undefined : Number(row.listening_ports),
    families,
    ordered: new Map<TimedFamily, boolean>([
      ['chunks', row.chunks_time_ordered === 1n],
      ['streams', row.streams_time_ordered === 1n],
    ]),
  };
}
