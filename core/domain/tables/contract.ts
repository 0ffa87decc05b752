// The tables domain: one page of a table (containers, processes, threads, connections, files,
// directories, errors, events), narrowed by the scope and the drill path, and the filter bar's
// check. Types only, like every contract: the browser bundle imports this file.

import type { ViewScope } from '../../api/wire';

/** Which table a filter expression is compiled against (core/filter's targets). */
export type FilterTargetName = 'events' | 'streams' | 'http';

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
  /**
   * The filter field (of the table's filter target) a cell of this column equals, so a cell can be
   * applied as a filter or excluded from it (`proc.pid=4242`); absent when no field says it.
   */
  field?: string;
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
  /**
   * Whether the capture's own records are left out (the default, as sysdig lists and counts):
   * metaevents such as procinfo and container metadata, and processes, threads and containers
   * known only from them. Null: the table has no such records.
   */
  metadata: 'hidden' | 'shown' | null;
}

/**
 * Whether an expression reads: on success, with notes on fields this case's evidence never fills
 * (given a case); on failure, the message (which names the column) and the 1-based column.
 */
export type FilterCheck = { ok: true; notes?: string[] } | { ok: false; message: string; column: number };

export interface TableMethods {
  /** One page of a table, narrowed by the scope and the drill context, sorted. */
  'table.page': {
    req: { caseId: string; table: TableId; scope: ViewScope; drill?: DrillContext; sort?: TableSort | null; offset?: number; limit?: number; metadata?: boolean };
    res: TablePage;
  };
  /**
   * Every row of a table under the scope and the drill (not a page), as CSV or JSON, with the
   * columns asked for (all, when none are named), in the order asked.
   */
  'table.export': {
    req: { caseId: string; table: TableId; scope: ViewScope; drill?: DrillContext; sort?: TableSort | null; columns?: string[]; format: TableExportFormat };
    res: TableExport;
  };
  /** Whether an expression reads for a target (and, given a case, which of its fields the case never fills). */
  'filter.check': { req: { expr: string; target: FilterTargetName; caseId?: string }; res: FilterCheck };
}

export type TableExportFormat = 'csv' | 'json';

export interface TableExport {
  /** A file name for it: the table, and the format's extension. */
  fileName: string;
  mediaType: string;
  text: string;
  rows: number;
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const TABLE_METHOD_NAMES: Record<keyof TableMethods, true> = {
  'table.page': true,
  'table.export': true,
  'filter.check': true,
};
