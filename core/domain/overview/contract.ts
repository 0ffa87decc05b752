// The overview domain: the overview's tiles (a value over the scope, a sparkline over the capture)
// and the timeline's metric series. Types only, like every contract: the browser bundle imports it.

import type { TimeRange, ViewScope } from '../../api/wire';
import type { TableId } from '../tables/contract';

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
  | 'grpcCalls'
  | 'grpcErrors'
  | 'execs'
  | 'signals'
  | 'securityAlerts'
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

export interface OverviewMethods {
  /** Every overview tile: a value over the scope and a sparkline over the capture's span. */
  'overview.tiles': { req: { caseId: string; scope: ViewScope; buckets?: number }; res: { buckets: Buckets; tiles: TileValue[] } };
  /** Metric series over a window (the timeline's visible span, default the capture's), filtered by scope.filter. */
  'timeline.series': {
    req: { caseId: string; scope: ViewScope; metrics: MetricId[]; window?: TimeRange | null; buckets?: number };
    res: { buckets: Buckets; series: MetricSeries[] };
  };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const OVERVIEW_METHOD_NAMES: Record<keyof OverviewMethods, true> = {
  'overview.tiles': true,
  'timeline.series': true,
};
