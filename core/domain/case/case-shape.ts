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
import { timeDigits } from './time-digits';

export function caseShape(db: Database.Database): CaseShape {
  const sources = db.prepare('SELECT id, format FROM sources ORDER BY id').all() as { id: number; format: FormatName }[];
  const count = (sql: string) => Number(db.prepare(sql).pluck().get() ?? 0);
  // Event numbers are consecutive from 1 in each syscall capture: the last one is the count.
  const events = sources
    .filter((s) => formatHas(s.format, 'syscalls'))
    .reduce((sum, s) => sum + Number(db.prepare('SELECT num FROM events WHERE source_id = ? ORDER BY num DESC LIMIT 1').pluck().get(s.id) ?? 0), 0);
  const ingest = db.prepare('SELECT state FROM ingests ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  const span = currentRollup(db)?.span ?? captureSpan(db);
  // Counting processes and containers walks the threads table: once per state of the index.
  const counts = memoized(db, 'shape', () => ({
    containers: count('SELECT COUNT(*) FROM (SELECT id FROM containers UNION SELECT container_id FROM threads)'),
    processes: count('SELECT COUNT(*) FROM processes'),
    httpExchanges: count('SELECT COUNT(*) FROM http_exchanges'),
    findings: count('SELECT COUNT(*) FROM findings'),
    timeDigits: timeDigits(db),
  }));
  const capabilities = capabilitiesOf(sources.map((s) => s.format));
  const streams = count('SELECT MAX(rowid) FROM streams');
  const syscalls = capabilities.includes('syscalls');
  return {
    formats: [...new Set(sources.map((s) => s.format))],
    capabilities,
    span: span ? toTimeRange(span) : null,
    events,
    streams,
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
