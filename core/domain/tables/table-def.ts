// What every table shares: column definitions with their sort expressions, drill-context
// conditions per table alias, and a page query with a bounded count.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { Cell, CellKind, DrillContext, FilterTargetName, TableColumn, TableId, TableRow, TableSort } from './contract';
import type { SqlParam } from '../../filter/index';
import { compileScopeFilter, type NsRange } from '../scope/view-scope';

export interface ColumnDef {
  id: string;
  label: string;
  kind: CellKind;
  /** The expression the column sorts by (a result column's alias); null: not sortable. */
  sort: string | null;
  title?: string;
  size?: 'narrow' | 'wide';
}

export interface PageInput {
  db: Database.Database;
  range: NsRange | null;
  filter: string;
  drill: DrillContext;
  sort: TableSort;
  offset: number;
  limit: number;
}

export interface PageOutput {
  rows: TableRow[];
  total: number;
  totalExact: boolean;
  /** Columns this case cannot fill (a network capture knows no processes): left out of the answer. */
  hidden?: string[];
}

export interface TableDef {
  id: TableId;
  columns: ColumnDef[];
  filterTarget: FilterTargetName | null;
  defaultSort: TableSort;
  page(input: PageInput): PageOutput;
}

export interface Where {
  parts: string[];
  params: SqlParam[];
}

export function where(): Where {
  return { parts: [], params: [] };
}

export function add(w: Where, sql: string, ...params: SqlParam[]): void {
  w.parts.push(sql);
  w.params.push(...params);
}

export function whereSql(w: Where): string {
  return w.parts.length ? w.parts.map((p) => `(${p})`).join(' AND ') : '1';
}

/** Direct children of a directory ("/etc/" → "/etc/passwd", not "/etc/ssl/certs"). */
export function inDirectory(w: Where, column: string, directory: string): void {
  add(w, `substr(${column}, 1, ?) = ? AND instr(substr(${column}, ?), '/') = 0`, directory.length, directory, directory.length + 1);
}

/** Drill context as conditions on a table with container, pid and tid columns under `alias`. */
export function processContext(w: Where, alias: string, drill: DrillContext, columns: { container: string; pid: string; tid: string | null }): void {
  // A leading '+' in a column name keeps the planner from using an index on it.
  const column = (c: string) => (c.startsWith('+') ? `+${alias}.${c.slice(1)}` : `${alias}.${c}`);
  if (drill.containerId !== undefined) add(w, `${column(columns.container)} = ?`, drill.containerId);
  if (drill.pid !== undefined) add(w, `${column(columns.pid)} = ?`, drill.pid);
  if (drill.tid !== undefined && columns.tid) add(w, `${column(columns.tid)} = ?`, drill.tid);
}

/**
 * A row is in the scope when one of its events is: `link` ties an event (alias e) to the row, so
 * that an index on it makes the test one seek per row.
 */
export function someEventInScope(w: Where, link: string, range: NsRange | null, filter: string): void {
  if (!range && !filter) return;
  const f = compileScopeFilter(filter, 'events');
  const time = range ? 'AND e.ts >= ? AND e.ts <= ?' : '';
  add(w, `EXISTS (SELECT 1 FROM events e WHERE ${link} ${time} AND (${f.where}))`, ...(range ? [range.from, range.to] : []), ...f.params);
}

export function orderBy(columns: ColumnDef[], sort: TableSort, tieBreak: string): string {
  const col = columns.find((c) => c.id === sort.column && c.sort !== null);
  if (!col) throw new ApiError('bad-request', `cannot sort by '${sort.column}'; sortable: ${columns.filter((c) => c.sort).map((c) => c.id).join(', ')}`);
  const dir = sort.desc ? 'DESC' : 'ASC';
  return `${col.sort} ${dir} NULLS LAST, ${tieBreak} ${dir}`;
}

/** Counting a filtered set stops here: past it the total is shown as a lower bound. */
export const COUNT_CAP = 100_000;

export function boundedCount(db: Database.Database, selectOne: string, params: SqlParam[], cap = COUNT_CAP): { total: number; totalExact: boolean } {
  const n = db.prepare(`SELECT COUNT(*) FROM (${selectOne} LIMIT ${cap + 1})`).pluck().get(...params) as number;
  return n > cap ? { total: cap, totalExact: false } : { total: n, totalExact: true };
}

type Raw = Record<string, unknown>;

/** A page of a list that was computed whole (it is short, or memoized): its total is exact. */
export function pageOfList(all: Raw[], offset: number, limit: number, toRow: (row: Raw) => TableRow): PageOutput {
  return { total: all.length, totalExact: true, rows: all.slice(offset, offset + limit).map(toRow) };
}

/** A result row's value as a cell: times stay decimal strings, other integers become numbers. */
export function cell(value: unknown, kind: CellKind): Cell {
  if (value === null || value === undefined) return null;
  if (kind === 'time') return String(value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

export function cells(row: Raw, columns: ColumnDef[]): Cell[] {
  return columns.map((c) => cell(row[c.id], c.kind));
}

export function toColumns(columns: ColumnDef[]): TableColumn[] {
  return columns.map(({ id, label, kind, sort, title, size }) => ({ id, label, kind, sortable: sort !== null, ...(title ? { title } : {}), ...(size ? { size } : {}) }));
}

export function n(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A time-range condition for something that lasts from `first` to `last`: it overlaps the range. */
export function overlaps(w: Where, range: NsRange | null, first: string, last: string): void {
  if (range) add(w, `${first} <= ? AND ${last} >= ?`, range.to, range.from);
}
