// table.export: every row of a table under the scope and the drill, not the page on screen, as
// CSV (for a spreadsheet: times as UTC timestamps) or JSON (for a program: times as the API gives
// them, ns since the epoch as decimal strings), read page by page through table.page.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { Cell, TableColumn, TableExport, TableMethods } from './contract';
import { PAGE_MAX, tablePage } from './table-page';

/** Past this many rows an export is refused, rather than built in memory. */
export const EXPORT_MAX_ROWS = 1_000_000;

export function tableExport(db: Database.Database, req: TableMethods['table.export']['req']): TableExport {
  const { format, columns: wanted, ...query } = req;
  const first = tablePage(db, { ...query, offset: 0, limit: PAGE_MAX });
  const picks = pickColumns(first.columns, wanted);
  const rows: Cell[][] = [];
  let page = first;
  for (let offset = 0; ; ) {
    for (const row of page.rows) rows.push(picks.map((i) => row.cells[i] ?? null));
    offset += page.rows.length;
    if (page.rows.length < PAGE_MAX) break;
    if (offset >= EXPORT_MAX_ROWS) throw new ApiError('bad-request', `table.export: more than ${EXPORT_MAX_ROWS} rows in this scope; narrow it with the filter or the range`);
    page = tablePage(db, { ...query, offset, limit: PAGE_MAX });
  }
  const columns = picks.map((i) => first.columns[i]!);
  const text = format === 'csv' ? toCsv(columns, rows) : toJson(columns, rows);
  return { fileName: `${req.table}.${format}`, mediaType: format === 'csv' ? 'text/csv' : 'application/json', text, rows: rows.length };
}

function pickColumns(columns: readonly TableColumn[], wanted: readonly string[] | undefined): number[] {
  if (wanted === undefined || wanted.length === 0) return columns.map((_, i) => i);
  return wanted.map((id) => {
    const i = columns.findIndex((c) => c.id === id);
    if (i < 0) throw new ApiError('bad-request', `table.export: no column '${id}'; columns: ${columns.map((c) => c.id).join(', ')}`);
    return i;
  });
}

function toCsv(columns: readonly TableColumn[], rows: readonly Cell[][]): string {
  const lines = [columns.map((c) => csvField(c.label)).join(',')];
  for (const row of rows) lines.push(row.map((value, i) => csvField(columns[i]!.kind === 'time' && value !== null ? utcTimestamp(String(value)) : value)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** ns since the epoch as `2026-11-22T06:51:56.421009123Z`: every digit kept. */
export function utcTimestamp(ns: string): string {
  const value = BigInt(ns);
  const seconds = value / 1_000_000_000n;
  const fraction = (value % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

function toJson(columns: readonly TableColumn[], rows: readonly Cell[][]): string {
  const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.id, row[i] ?? null])));
  return `${JSON.stringify({ columns: columns.map(({ id, label, kind }) => ({ id, label, kind })), rows: objects }, null, 1)}\n`;
}
