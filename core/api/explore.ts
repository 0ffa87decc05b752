// API methods of the exploring views: overview tiles, the timeline, the tables (containers,
// processes, threads, connections, files, directories, errors, events) and their drill-downs.
// Types only, like core/api.ts: the browser bundle imports this file.

import type { Capability, FormatName, TimeRange, ViewScope } from '../api';

/** Which table a filter expression is compiled against (core/filter's targets). */
export type FilterTargetName = 'events' | 'streams' | 'http';

/** What a case holds, so that the shell offers only the views that apply. */
export interface CaseShape {
  formats: FormatName[];
  /** What the case's evidence lets it show (core/formats: each format declares its own). */
  capabilities: Capability[];
  /** First and last moment of captured activity (events, packets, HTTP), or null when there is none. */
  span: TimeRange | null;
  events: number;
  streams: number;
  containers: number;
  processes: number;
  httpExchanges: number;
  findings: number;
  /** Sources holding a heap dump, in source order. */
  heapSourceIds: number[];
  /** True while the index is being written: counts grow between calls. */
  partial: boolean;
  /** The tables this case can fill, in the order the tables view lists them. */
  tables: CaseTable[];
  /** Every metric's label, as its tile names it (the timeline names its pinned rows by them). */
  metricLabels: Record<MetricId, string>;
  /** The timeline's main row: the metric that shows this case's activity over time. */
  mainMetric: MetricId;
  /** What the overview's filter narrows: events when the case has system calls, else streams. */
  overviewTarget: FilterTargetName;
}

/** A table the case can fill: its label and the filter target its rows are narrowed by. */
export interface CaseTable {
  id: TableId;
  label: string;
  filterTarget: FilterTargetName | null;
}

// ---- Overview tiles and timeline series --------------------------------------------------------

export type MetricId =
  | 'processes'
  | 'containers'
  | 'syscalls'
  | 'findings'
  | 'fileBytesIn'
  | 'fileBytesOut'
  | 'fileOpenErrors'
  | 'netBytesIn'
  | 'netBytesOut'
  | 'connectionsIn'
  | 'connectionsOut'
  | 'connectionsFailed'
  | 'listeningPorts'
  | 'httpExchanges'
  | 'httpErrors'
  | 'execs'
  | 'signals'
  | 'syscallErrors'
  | 'slowSyscalls'
  | 'logWrites';

export type TileCategory = 'General' | 'File' | 'Network' | 'Security' | 'Performance' | 'Logs';

/** Where a tile leads: a table narrowed by a filter, or another view. */
export type TileDrill = { table: TableId; filter?: string } | { view: 'http' };

export interface TileValue {
  metric: MetricId;
  category: TileCategory;
  label: string;
  /** One sentence: what is counted. */
  description: string;
  unit: 'count' | 'bytes';
  /** Over the scope's range (the whole capture without one); null when the case cannot tell. */
  value: number | null;
  /** One value per bucket of the response's buckets; null when the metric has no time line. */
  series: number[] | null;
  /** 'sum': the bucket's total; 'peak': the most at once within the bucket (running processes). */
  seriesKind: 'sum' | 'peak';
  /** Why value is null, or what the filter did to this tile (a filter for another target). */
  note: string | null;
  drill: TileDrill | null;
}

export interface Buckets {
  /** The window the buckets cover, ns as decimal strings; null when the case has no time span. */
  window: TimeRange | null;
  /** Width of one bucket in ns (decimal string). */
  bucketNs: string | null;
  count: number;
}

export interface MetricSeries {
  metric: MetricId;
  unit: 'count' | 'bytes';
  values: number[] | null;
  note: string | null;
}

// ---- Tables -----------------------------------------------------------------------------------

export type TableId = 'containers' | 'processes' | 'threads' | 'connections' | 'files' | 'directories' | 'errors' | 'events';

export const TABLE_IDS: readonly TableId[] = ['containers', 'processes', 'threads', 'connections', 'files', 'directories', 'errors', 'events'];

/** The drill path's narrowing, merged from every step (container → process → ...). */
export interface DrillContext {
  containerId?: string;
  pid?: number;
  tid?: number;
  /** A directory, with its trailing slash ("/etc/"). */
  directory?: string;
  /** A syscall's name and an error result (errors table → its events). */
  syscall?: string;
  res?: number;
}

export type CellKind = 'text' | 'mono' | 'count' | 'bytes' | 'time' | 'duration' | 'state';

export interface TableColumn {
  id: string;
  label: string;
  kind: CellKind;
  sortable: boolean;
  /** A hint shown on hover: what the column counts. */
  title?: string;
  /** Layout hint: a narrow number, or the one wide column of the row (paths, arguments). */
  size?: 'narrow' | 'wide';
}

/** Text, a number, or a time in ns as a decimal string (kind 'time'). */
export type Cell = string | number | null;

/** What Enter (or a click) on a row does. */
export type RowDrill =
  | { kind: 'table'; label: string; set: DrillContext; next: TableId }
  | { kind: 'stream'; label: string; streamId: number };

export interface TableRow {
  key: string;
  cells: Cell[];
  drill: RowDrill | null;
}

export interface TableSort {
  column: string;
  desc: boolean;
}

export interface TablePage {
  columns: TableColumn[];
  rows: TableRow[];
  /** Rows in the table under this scope and drill; a lower bound when totalExact is false. */
  total: number;
  totalExact: boolean;
  sort: TableSort;
  /** Which filter target the table's rows were filtered by (null: the filter does not apply to it). */
  filterTarget: FilterTargetName | null;
}

export type FilterCheck = { ok: true } | { ok: false; message: string; column: number };

export interface ExploreMethods {
  /** What the case holds: which views apply, the capture's time span. */
  'explore.shape': { req: { caseId: string }; res: CaseShape };
  /** Every overview tile: a value over the scope and a sparkline over the capture's span. */
  'overview.tiles': { req: { caseId: string; scope: ViewScope; buckets?: number }; res: { buckets: Buckets; tiles: TileValue[] } };
  /** Metric series over a window (the timeline's visible span, default the capture's), filtered by scope.filter. */
  'timeline.series': {
    req: { caseId: string; scope: ViewScope; metrics: MetricId[]; window?: TimeRange | null; buckets?: number };
    res: { buckets: Buckets; series: MetricSeries[] };
  };
  /** One page of a table, narrowed by the scope and the drill context, sorted. */
  'table.page': {
    req: { caseId: string; table: TableId; scope: ViewScope; drill?: DrillContext; sort?: TableSort | null; offset?: number; limit?: number };
    res: TablePage;
  };
  /** Whether an expression reads for a target; on failure, the message and the 1-based column. */
  'filter.check': { req: { expr: string; target: FilterTargetName }; res: FilterCheck };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const EXPLORE_METHOD_NAMES: Record<keyof ExploreMethods, true> = {
  'explore.shape': true,
  'overview.tiles': true,
  'timeline.series': true,
  'table.page': true,
  'filter.check': true,
};
