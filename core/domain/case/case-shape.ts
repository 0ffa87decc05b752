// explore.shape: what the case holds, by counts the index answers cheaply (small tables, the
// syscall captures' machine rows, and index-only counts).

import type Database from 'better-sqlite3';
import type { Capability, FormatName } from '../../../common/evidence';
import { capabilitiesOf } from '../../registry/formats';
import { formatHas } from '../case-access/sources-with';
import type { CaseShape, CaseTable } from './contract';
import type { MetricId } from '../overview/contract';
import { METRICS } from '../../analysis/rollup/metric-defs';
import { TABLES } from '../tables/tables-by-id';
import { toTimeRange } from '../scope/view-scope';
import { currentRollup } from '../state-cache/rollup';
import { memoized } from '../state-cache/memo';
import { captureSpan } from '../../analysis/rollup/span';
import { distinctCounts } from '../../analysis/rollup/distinct';
import { timeDigits } from './time-digits';

export function caseShape(db: Database.Database): CaseShape {
  const sources = db.prepare('SELECT id, format FROM sources ORDER BY id').all() as { id: number; format: FormatName }[];
  const count = (sql: string) => Number(db.prepare(sql).pluck().get() ?? 0);
  // Event numbers are consecutive from 1 in each syscall capture: the last one is the count. Once
  // a capture is read, its machine row says how many of them are metaevents, which the events
  // table leaves out as sysdig does (tables/events.ts).
  const events = sources
    .filter((s) => formatHas(s.format, 'syscalls'))
    .reduce((sum, s) => {
      const last = Number(db.prepare('SELECT num FROM events WHERE source_id = ? ORDER BY num DESC LIMIT 1').pluck().get(s.id) ?? 0);
      const meta = db.prepare('SELECT event_count, metaevent_count FROM machine WHERE source_id = ?').get(s.id) as { event_count: number; metaevent_count: number } | undefined;
      return sum + (meta && meta.event_count === last ? last - meta.metaevent_count : last);
    }, 0);
  const ingest = db.prepare('SELECT state FROM ingests ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  const span = currentRollup(db)?.span ?? captureSpan(db);
  // Counting processes and containers seeks through the events' indexes: once per state of the index.
  const counts = memoized(db, 'shape', () => ({
    // What did something in the capture, as the Processes and Containers tiles count (sysdig's count).
    ...distinctCounts(db, null, null),
    httpExchanges: count('SELECT COUNT(*) FROM http_exchanges'),
    findings: count('SELECT COUNT(*) FROM findings'),
    timeDigits: timeDigits(db),
  }));
  const capabilities = capabilitiesOf(sources.map((s) => s.format));
  const streams = count('SELECT MAX(rowid) FROM streams');
  // Packets are only ever appended, numbered from 1 (their id is their row): the last is the count.
  const packets = count('SELECT MAX(id) FROM packets');
  const syscalls = capabilities.includes('syscalls');
  return {
    formats: [...new Set(sources.map((s) => s.format))],
    capabilities,
    span: span ? toTimeRange(span) : null,
    events,
    streams,
    packets,
    ...counts,
    heapSourceIds: sources.filter((s) => formatHas(s.format, 'heap')).map((s) => s.id),
    partial: ingest === 'running',
    tables: tablesFilled(capabilities, streams),
    metricLabels: METRIC_LABELS,
    mainMetric: syscalls ? 'syscalls' : 'netBytesIn',
    overviewTarget: syscalls ? 'events' : 'streams',
  };
}

const METRIC_LABELS = Object.fromEntries(METRICS.map((m) => [m.id, m.label])) as Record<MetricId, string>;

/** Every table from system calls; from a network capture, its connections (when it has streams). */
function tablesFilled(capabilities: readonly Capability[], streams: number): CaseTable[] {
  const all = Object.values(TABLES);
  const filled = capabilities.includes('syscalls') ? all : all.filter((t) => t.id === 'connections' && streams > 0);
  return filled.map(({ id, label, filterTarget }) => ({ id, label, filterTarget }));
}
