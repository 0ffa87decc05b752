// http.export: every exchange in scope, not the page on screen, read page by page through the
// exchanges' page query and written by row-values/export-text.ts (CSV or JSON), with more of each
// exchange than the table shows (host, reason, both ends, bytes, its stream).

import type Database from 'better-sqlite3';
import { ApiError, type ViewScope } from '../../api/wire';
import type { TableExport, TableExportFormat } from '../tables/contract';
import { exportText, type ExportCell, type ExportColumn } from '../row-values/export-text';
import type { ExchangeRow, ExchangeSortColumn } from './contract';
import { exchangePage } from './exchanges';

const PAGE = 1000;
/** Past this many exchanges an export is refused, rather than built in memory. */
export const EXPORT_MAX_EXCHANGES = 1_000_000;

const COLUMNS: readonly (ExportColumn & { of(row: ExchangeRow): ExportCell })[] = [
  { id: 'id', label: 'Exchange', kind: 'count', of: (r) => r.id },
  { id: 'time', label: 'Time', kind: 'time', of: (r) => r.reqTs },
  { id: 'method', label: 'Method', kind: 'text', of: (r) => r.method },
  { id: 'host', label: 'Host', kind: 'text', of: (r) => r.host },
  { id: 'target', label: 'Target', kind: 'text', of: (r) => r.target },
  { id: 'status', label: 'Status', kind: 'count', of: (r) => r.status },
  { id: 'reason', label: 'Reason', kind: 'text', of: (r) => r.reason },
  { id: 'latencyNs', label: 'Latency (ns)', kind: 'count', of: (r) => (r.latencyNs === null ? null : Number(r.latencyNs)) },
  { id: 'client', label: 'Client', kind: 'text', of: (r) => r.client },
  { id: 'server', label: 'Server', kind: 'text', of: (r) => r.server },
  { id: 'container', label: 'Container', kind: 'text', of: (r) => (r.container ? (r.container.name ?? r.container.id) : null) },
  { id: 'process', label: 'Process', kind: 'text', of: (r) => r.proc },
  { id: 'reqBytes', label: 'Request bytes', kind: 'count', of: (r) => r.reqBytes },
  { id: 'respBytes', label: 'Response bytes', kind: 'count', of: (r) => r.respBytes },
  { id: 'diagnostics', label: 'Diagnostics', kind: 'count', of: (r) => r.diagnosticCount },
  { id: 'stream', label: 'Stream', kind: 'count', of: (r) => r.streamId },
];

export function exchangeExport(db: Database.Database, scope: ViewScope | undefined, sort: { column: ExchangeSortColumn; desc: boolean }, format: TableExportFormat): TableExport {
  const rows: ExportCell[][] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = exchangePage(db, scope, sort, { limit: PAGE, offset });
    if (page.total > EXPORT_MAX_EXCHANGES) throw new ApiError('bad-request', `http.export: ${page.total} exchanges in this scope, more than ${EXPORT_MAX_EXCHANGES}; narrow it with the filter or the range`);
    for (const row of page.rows) rows.push(COLUMNS.map((c) => c.of(row)));
    if (page.rows.length < PAGE) break;
  }
  const { text, mediaType } = exportText(format, COLUMNS, rows);
  return { fileName: `http-exchanges.${format}`, mediaType, text, rows: rows.length };
}
