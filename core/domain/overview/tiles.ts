// overview.tiles and timeline.series: metric values and series over the scope, per family of
// metrics, from the rollup when the filter is empty and live otherwise.

import type Database from 'better-sqlite3';
import { countListeningPorts } from '../../analysis/rollup/listening-ports';
import type { ViewScope } from '../../api/wire';
import type { Buckets, MetricId, MetricSeries, TileValue } from './contract';
import { distinctCounts } from '../../analysis/rollup/distinct';
import { FAMILIES, PCAP_FAILED_KEY, type Condition, type TimedFamily } from '../../analysis/rollup/metric-families';
import { METRIC_BY_ID, METRICS, type MetricDef } from '../../analysis/rollup/metric-defs';
import { bucketWidth, currentRollup, seriesFor, totalsFor } from '../state-cache/rollup';
import { memoized } from '../state-cache/memo';
import { readRange, scopeFilter, toTimeRange, tryCompileScopeFilter, type NsRange } from '../scope/view-scope';
import { captureSpan } from '../../analysis/rollup/span';
import { hasSourceWith } from '../case-access/sources-with';
import { countFindingsInScope } from '../findings/finding-scope';

/** What the case's evidence can count: syscalls (a syscall capture), streams (either kind of capture). */
export interface CaseKinds {
  syscalls: boolean;
  streams: boolean;
}

export function caseKinds(db: Database.Database): CaseKinds {
  const syscalls = hasSourceWith(db, 'syscalls');
  const streams = db.prepare('SELECT 1 FROM streams LIMIT 1').get() !== undefined;
  return { syscalls, streams };
}

/** Why a metric cannot be counted in this case, or null when it can. */
function inapplicable(metric: MetricDef, kinds: CaseKinds): string | null {
  if (!kinds.syscalls && !kinds.streams) return 'No syscall or network capture in this case.';
  const needsSyscalls = metric.family === 'events' && metric.id !== 'connectionsFailed';
  if ((needsSyscalls || metric.id === 'connectionsIn' || metric.id === 'fileBytesIn' || metric.id === 'fileBytesOut' || metric.id === 'logWrites') && !kinds.syscalls) {
    return metric.id === 'connectionsIn'
      ? 'A network capture shows connections, not which process accepted them.'
      : 'Needs a syscall capture (.scap): this case has none.';
  }
  if (metric.id === 'connectionsFailed' && !kinds.syscalls && !kinds.streams) return 'No syscall or network capture in this case.';
  if ((metric.family === 'chunks' || metric.family === 'streams' || metric.family === 'http' || metric.family === 'findings') && !kinds.streams && !kinds.syscalls) {
    return 'No syscall or network capture in this case.';
  }
  if (metric.family === 'alerts' && !kinds.syscalls) {
    return 'Needs a syscall capture (.scap): the Falco rules read its events.';
  }
  return null;
}

interface FamilyScope {
  condition: Condition | null;
  /** The filter does not read for this family's target: its metrics are not counted. */
  error: string | null;
  /** The filter does not narrow this family at all (findings). */
  unfiltered: boolean;
}

function familyScope(family: TimedFamily, filter: string): FamilyScope {
  const target = FAMILIES[family].target;
  if (filter === '') return { condition: null, error: null, unfiltered: false };
  if (target === null) return { condition: null, error: null, unfiltered: true };
  const compiled = tryCompileScopeFilter(filter, target);
  if ('error' in compiled) return { condition: null, error: `The filter does not apply to ${target}: ${compiled.error}`, unfiltered: false };
  return { condition: compiled, error: null, unfiltered: false };
}

const DEFAULT_BUCKETS = 60;
const MAX_BUCKETS = 2000;

function bucketCount(requested: unknown): number {
  return typeof requested === 'number' && Number.isFinite(requested) ? Math.min(MAX_BUCKETS, Math.max(1, Math.trunc(requested))) : DEFAULT_BUCKETS;
}

function describeBuckets(window: NsRange | null, count: number): Buckets {
  return window ? { window: toTimeRange(window), bucketNs: bucketWidth(window, count).toString(), count } : { window: null, bucketNs: null, count };
}

export function overviewTiles(db: Database.Database, scope: ViewScope, requestedBuckets: unknown): { buckets: Buckets; tiles: TileValue[] } {
  const range = readRange(scope?.range, 'scope.range');
  const filter = scopeFilter(scope);
  const count = bucketCount(requestedBuckets);
  const kinds = caseKinds(db);
  const span = currentRollup(db)?.span ?? captureSpan(db);

  const scopes = new Map<TimedFamily, FamilyScope>();
  const series = new Map<string, Float64Array>();
  const values = new Map<string, number>();
  for (const family of Object.keys(FAMILIES) as TimedFamily[]) {
    const fs = familyScope(family, filter);
    scopes.set(family, fs);
    if (fs.error) continue;
    if (span) for (const [k, v] of seriesFor(db, family, span, count, fs.condition)) series.set(k, v);
    for (const [k, v] of totalsFor(db, family, range, fs.condition)) values.set(k, v);
  }
  const eventsScope = scopes.get('events')!;
  if (kinds.syscalls && !eventsScope.error) {
    const distinct = distinctCounts(db, range, eventsScope.condition);
    values.set('processes', distinct.processes);
    values.set('containers', distinct.containers);
  }
  // The findings panel's own count (its scope rule), so the tile and the panel's badge agree.
  const findings = countFindingsInScope(db, scope);
  values.set('findings', findings.count);

  const tiles = METRICS.map((metric): TileValue => {
    const base = { metric: metric.id, category: metric.category, label: metric.label, description: metric.description, unit: metric.unit, seriesKind: metric.seriesKind, drill: metric.drill };
    const why = inapplicable(metric, kinds);
    if (why) return { ...base, value: null, series: null, note: why, drill: null };
    if (metric.family === 'static') {
      const notes = [range ? 'Not narrowed by the time range: the fd table has no times.' : null, filter ? 'Not narrowed by the filter.' : null].filter(Boolean);
      return { ...base, value: currentRollup(db)?.listeningPorts ?? memoized(db, 'listeningPorts', () => countListeningPorts(db)), series: null, note: notes.length ? notes.join(' ') : null };
    }
    const fs = scopes.get(metric.family)!;
    if (metric.id === 'connectionsFailed') {
      const streamsScope = scopes.get('streams')!;
      const fromEvents = eventsScope.error ? 0 : (values.get(metric.id) ?? 0);
      const fromStreams = streamsScope.error ? 0 : (values.get(PCAP_FAILED_KEY) ?? 0);
      const a = series.get(metric.id);
      const b = series.get(PCAP_FAILED_KEY);
      const combined = a || b ? Float64Array.from({ length: count }, (_, i) => (a?.[i] ?? 0) + (b?.[i] ?? 0)) : null;
      const error = eventsScope.error && streamsScope.error ? eventsScope.error : null;
      return { ...base, value: error ? null : fromEvents + fromStreams, series: combined ? Array.from(combined) : null, note: error };
    }
    if (fs.error) return { ...base, value: null, series: null, note: fs.error };
    const s = series.get(metric.id);
    if (metric.id === 'findings') return { ...base, value: findings.count, series: s ? Array.from(s) : null, note: findings.filterNote };
    return {
      ...base,
      value: values.get(metric.id) ?? 0,
      series: s ? Array.from(s) : null,
      note: fs.unfiltered ? 'Not narrowed by the filter.' : null,
    };
  });
  return { buckets: describeBuckets(span, count), tiles };
}

export function timelineSeries(
  db: Database.Database,
  scope: ViewScope,
  metrics: MetricId[],
  requestedWindow: unknown,
  requestedBuckets: unknown,
): { buckets: Buckets; series: MetricSeries[] } {
  const filter = scopeFilter(scope);
  const count = bucketCount(requestedBuckets);
  const kinds = caseKinds(db);
  const window = readRange(requestedWindow as never, 'window') ?? currentRollup(db)?.span ?? captureSpan(db);
  const wanted = (Array.isArray(metrics) ? metrics : []).map((id) => METRIC_BY_ID.get(id));
  const byFamily = new Map<TimedFamily, Map<string, Float64Array> | { error: string }>();
  // Only the asked-for columns are computed (a live scan costs per column).
  const keys = wanted.flatMap((m) => (m ? (m.id === 'connectionsFailed' ? [m.id, PCAP_FAILED_KEY] : [m.id]) : []));
  const familyOf = (family: TimedFamily) => {
    let got = byFamily.get(family);
    if (!got) {
      const fs = familyScope(family, filter);
      got = fs.error ? { error: fs.error } : window ? seriesFor(db, family, window, count, fs.condition, keys) : new Map<string, Float64Array>();
      byFamily.set(family, got);
    }
    return got;
  };
  const series = wanted.map((metric, i): MetricSeries => {
    if (!metric) return { metric: metrics[i]!, unit: 'count', values: null, note: `unknown metric '${String(metrics[i])}'` };
    const why = inapplicable(metric, kinds);
    if (why || metric.family === 'static' || !window) return { metric: metric.id, unit: metric.unit, values: null, note: why ?? 'No time line for this metric.' };
    const got = familyOf(metric.family);
    if ('error' in got && typeof got.error === 'string') return { metric: metric.id, unit: metric.unit, values: null, note: got.error };
    const map = got as Map<string, Float64Array>;
    let values = map.get(metric.id);
    if (metric.id === 'connectionsFailed') {
      const streams = familyOf('streams');
      const extra = streams instanceof Map ? streams.get(PCAP_FAILED_KEY) : undefined;
      if (extra) values = Float64Array.from({ length: count }, (_, k) => (values?.[k] ?? 0) + extra[k]!);
    }
    return { metric: metric.id, unit: metric.unit, values: values ? Array.from(values) : new Array<number>(count).fill(0), note: null };
  });
  return { buckets: describeBuckets(window, count), series };
}
