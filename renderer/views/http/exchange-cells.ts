// An exchange's cells as the right-click menu of the HTTP table reads them: per column, the filter
// field it equals (http.status, http.url, …), its value for the filter, and its text to paste.

import type { ExchangeRow, ExchangeSortColumn } from '../../../core/domain/http/contract';
import { formatFullInstant } from '../../formatting/time-display';

export interface ExchangeCell {
  field?: string;
  value: string | number | null;
  copyText: string;
}

export function exchangeCell(row: ExchangeRow, column: ExchangeSortColumn): ExchangeCell {
  const text = (value: string | number | null) => (value === null ? '' : String(value));
  switch (column) {
    case 'time':
      return { value: row.reqTs, copyText: formatFullInstant(row.reqTs) };
    case 'method':
      return { field: 'http.method', value: row.method, copyText: text(row.method) };
    case 'target':
      return { field: 'http.url', value: row.target, copyText: text(row.target) };
    case 'status':
      return { field: 'http.status', value: row.status, copyText: text(row.status) };
    case 'latency':
      // In ns, as http.latency compares it.
      return { value: row.latencyNs, copyText: text(row.latencyNs) };
    case 'container':
      if (row.container) {
        return row.container.name !== null
          ? { field: 'container.name', value: row.container.name, copyText: row.container.name }
          : { field: 'container.id', value: row.container.id, copyText: row.container.id };
      }
      return { field: 'http.server', value: row.server, copyText: text(row.server) };
    case 'diagnostics':
      return { value: row.diagnosticCount, copyText: String(row.diagnosticCount) };
  }
}

/** The row's cells, tab-separated, in the table's column order. */
export function exchangeRowText(row: ExchangeRow, columns: readonly ExchangeSortColumn[]): string {
  return columns.map((c) => exchangeCell(row, c).copyText).join('\t');
}
