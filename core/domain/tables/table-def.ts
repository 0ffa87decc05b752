// What a table is to the tables view: its columns with their sort expressions, its filter target,
// and its page query; and what every page shares: the order, a bounded count, rows as cells.
// The conditions a page is narrowed by are ./table-where.ts.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { Cell, CellKind, DrillContext, FilterTargetName, TableColumn, TableId, TableRow, TableSort } from './contract';
import type { SqlParam } from '../../filter/language';
import type { NsRange } from '../scope/view-scope';

export interface ColumnDef {
  id: string;
  label: string;
  kind: CellKind;
  /** The expression the column sorts by (a result column's alias); null: not sortable. */
  sort: string | null;
  title?: string;
  size?: 'narrow' | 'wide';
  /** The filter field a cell equals (TableColumn.field). */
  field?: string;
}

export interface PageInput {
  db: Database.Database;
  range: NsRange | null;
  filter: string;
  drill: DrillContext;
  sort: TableSort;
  offset: number;
  limit: number;
  /** List the capture's own records too (metaevents, processes known only from the process list). */
  metadata: boolean;
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
  /** The table's name in the tables view (its tab, its breadcrumb). */
  label: string;
  columns: ColumnDef[];
  filterTarget: FilterTargetName | null;
  /** Whether the table leaves the capture's own records out unless asked (PageInput.metadata). */
  hasMetadata?: true;
  defaultSort: TableSort;
  page(input: PageInput): PageOutput;
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
  return columns.map(({ id, label, kind, sort, title, size, field }) => ({
    id,
    label,
    kind,
    sortable: sort !== null,
    ...(title ? { title } : {}),
    ...(size ? { size } : {}),
    ...(field ? { field } : {}),
  }));
}

export function n(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
