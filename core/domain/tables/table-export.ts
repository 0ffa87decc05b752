// table.export: every row of a table under the scope and the drill, not the page on screen, read
// page by page through table.page and written by row-values/export-text.ts (CSV or JSON).

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { Cell, TableColumn, TableExport, TableMethods } from './contract';
import { PAGE_MAX, tablePage } from './table-page';
import { exportText } from '../row-values/export-text';

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
  const { text, mediaType } = exportText(format, picks.map((i) => first.columns[i]!), rows);
  return { fileName: `${req.table}.${format}`, mediaType, text, rows: rows.length };
}

function pickColumns(columns: readonly TableColumn[], wanted: readonly string[] | undefined): number[] {
  if (wanted === undefined || wanted.length === 0) return columns.map((_, i) => i);
  return wanted.map((id) => {
    const i = columns.findIndex((c) => c.id === id);
    if (i < 0) throw new ApiError('bad-request', `table.export: no column '${id}'; columns: ${columns.map((c) => c.id).join(', ')}`);
    return i;
  });
}
