// Timeline series over the report's span, in equal buckets of a round width: requests by status
// class, latency, network bytes each way, syscall events and their errors.

import type Database from 'better-sqlite3';
import type { TimelineSection, TimelineSeries } from './model';
import { and, isRefused, omittedBecause, rangeCondition, type Condition, type ReportScope } from './report-scope';
import { nearestRank } from './percentiles';

const TARGET_BUCKETS = 60;
const MS = 1_000_000n;
const ROUND_WIDTHS_NS = [
  1n, 10n, 100n, 1_000n, 10_000n, 100_000n, 1n * MS, 2n * MS, 5n * MS, 10n * MS, 20n * MS, 50n * MS, 100n * MS, 200n * MS, 500n * MS,
  1_000n * MS, 2_000n * MS, 5_000n * MS, 10_000n * MS, 15_000n * MS, 30_000n * MS, 60_000n * MS, 120_000n * MS, 300_000n * MS, 600_000n * MS,
  900_000n * MS, 1_800_000n * MS, 3_600_000n * MS, 7_200_000n * MS, 21_600_000n * MS, 43_200_000n * MS, 86_400_000n * MS,
];

/** The smallest round width that covers the span in at most TARGET_BUCKETS buckets. */
export function bucketWidth(spanNs: bigint): bigint {
  for (const w of ROUND_WIDTHS_NS) if (spanNs / w < BigInt(TARGET_BUCKETS)) return w;
  const day = ROUND_WIDTHS_NS[ROUND_WIDTHS_NS.length - 1]!;
  return ((spanNs / BigInt(TARGET_BUCKETS)) / day + 1n) * day;
}

export function gatherTimeline(db: Database.Database, scope: ReportScope, span: { first: bigint; last: bigint }): TimelineSection {
  const from0 = scope.range?.from ?? span.first;
  const to = scope.range?.to ?? span.last;
  const width = bucketWidth(to - from0);
  const from = from0 - (((from0 % width) + width) % width);
  const buckets = Number((to - from) / width) + 1;
  const range = { from: from0, to };
  const series: TimelineSeries[] = [];
  const notes: string[] = [];
  const bucketOf = (column: string) => `(${column} - ${from}) / ${width}`;

  if (db.prepare('SELECT 1 FROM http_exchanges LIMIT 1').get() !== undefined) {
    if (isRefused(scope.http)) notes.push(omittedBecause('HTTP exchanges', scope.http));
    else series.push(...httpSeries(db, and(scope.http, rangeCondition('x.req_ts', range)), bucketOf('x.req_ts'), buckets));
  }
  if (db.prepare('SELECT 1 FROM streams WHERE l4proto IS NOT NULL LIMIT 1').get() !== undefined) {
    if (isRefused(scope.streams)) notes.push(omittedBecause('streams', scope.streams));
    else series.push(bytesSeries(db, and(scope.streams, { where: 's.l4proto IS NOT NULL', params: [] }), bucketOf('c.ts'), range, buckets));
  }
  if (db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined) {
    if (isRefused(scope.events)) notes.push(omittedBecause('syscall events', scope.events));
    else series.push(eventSeries(db, and(scope.events, rangeCondition('e.ts', range)), bucketOf('e.ts'), buckets));
  }
  return { from: String(from), bucketNs: String(width), buckets, series: series.filter((s) => s.layers.length > 0), notes };
}

const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx', '1xx', 'no response'];

function httpSeries(db: Database.Database, where: Condition, bucket: string, buckets: number): TimelineSeries[] {
  const counts = new Map<string, number[]>();
  const latencies: number[][] = Array.from({ length: buckets }, () => []);
  const rows = db.prepare(`SELECT ${bucket} AS b, x.status, x.resp_ts - x.req_ts AS latency FROM http_exchanges x WHERE ${where.where} AND x.req_ts IS NOT NULL`).iterate(...where.params) as IterableIterator<{ b: number; status: number | null; latency: number | null }>;
  for (const r of rows) {
    if (r.b < 0 || r.b >= buckets) continue;
    const cls = r.status === null ? 'no response' : `${Math.floor(r.status / 100)}xx`;
    let values = counts.get(cls);
    if (!values) counts.set(cls, (values = new Array<number>(buckets).fill(0)));
    values[r.b]!++;
    if (r.latency !== null) latencies[r.b]!.push(r.latency / 1e6);
  }
  const layers = STATUS_CLASSES.filter((c) => counts.has(c)).map((name) => ({ name, values: counts.get(name)! }));
  const sorted = latencies.map((l) => l.sort((a, b) => a - b));
  const anyLatency = sorted.some((l) => l.length > 0);
  return [
    { key: 'requests', title: 'HTTP requests by status', unit: 'requests', kind: 'stacked', layers },
    ...(anyLatency
      ? [
          {
            key: 'latency',
            title: 'Time to first response byte',
            unit: 'ms',
            kind: 'lines' as const,
            layers: [
              { name: 'median', values: sorted.map((l) => (l.length ? nearestRank(l, 50) : null)) },
              { name: 'max', values: sorted.map((l) => (l.length ? l[l.length - 1]! : null)) },
            ],
          },
        ]
      : []),
  ];
}

function bytesSeries(db: Database.Database, streams: Condition, bucket: string, range: { from: bigint; to: bigint }, buckets: number): TimelineSeries {
  const received = new Array<number>(buckets).fill(0);
  const sent = new Array<number>(buckets).fill(0);
  const rows = db
    .prepare(
      `SELECT ${bucket} AS b, sum(CASE WHEN c.dir = 'in' THEN c.length ELSE 0 END) AS bin, sum(CASE WHEN c.dir = 'out' THEN c.length ELSE 0 END) AS bout
       FROM streams s JOIN chunks c ON c.stream_id = s.id WHERE ${streams.where} AND c.ts BETWEEN ? AND ? GROUP BY b`,
    )
    .all(...streams.params, range.from, range.to) as { b: number; bin: number; bout: number }[];
  for (const r of rows) {
    if (r.b < 0 || r.b >= buckets) continue;
    received[r.b] = r.bin;
    sent[r.b] = r.bout;
  }
  const any = rows.length > 0;
  // For a network capture `out` is client → server; for a syscall capture, what the process sent.
  return { key: 'bytes', title: 'Network bytes', unit: 'bytes', kind: 'stacked', layers: any ? [{ name: 'out (client → server, or sent)', values: sent }, { name: 'in (server → client, or received)', values: received }] : [] };
}

function eventSeries(db: Database.Database, events: Condition, bucket: string, buckets: number): TimelineSeries {
  const ok = new Array<number>(buckets).fill(0);
  const failed = new Array<number>(buckets).fill(0);
  // pid -1: the capture's own metadata records, which sysdig does not show either.
  const rows = db.prepare(`SELECT ${bucket} AS b, count(*) AS n, sum(e.res < 0) AS errors FROM events e WHERE ${events.where} AND (e.pid IS NULL OR e.pid >= 0) GROUP BY b`).all(...events.params) as { b: number; n: number; errors: number | null }[];
  for (const r of rows) {
    if (r.b < 0 || r.b >= buckets) continue;
    failed[r.b] = Number(r.errors ?? 0);
    ok[r.b] = r.n - failed[r.b]!;
  }
  return { key: 'events', title: 'Syscall events', unit: 'events', kind: 'stacked', layers: rows.length ? [{ name: 'succeeded or no result', values: ok }, { name: 'failed (res < 0)', values: failed }] : [] };
}
