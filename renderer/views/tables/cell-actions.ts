// What a right-click on a cell of the tables view offers: the cell as a clause of the filter in
// force, and the cell or its row as text to paste (components/cell-menu-items.ts).

import type { Cell, TableColumn, TableRow } from '../../../core/domain/tables/contract';
import { cellMenuItems } from '../../components/cell-menu-items';
import type { MenuItem } from '../../components/ContextMenu';
import { formatIsoNs } from '../../formatting/explore-format';

/**
 * A cell as text that pastes where it came from: numbers bare (a pid, a port, a byte count, a
 * duration in ns: no thousands separator), times as full UTC timestamps, text as it is.
 */
export function copyValue(value: Cell, column: TableColumn): string {
  if (value === null) return '';
  if (column.kind === 'time') return formatIsoNs(String(value));
  return String(value);
}

/** The row's shown columns, tab-separated, as copyValue writes each. */
export function copyRow(row: TableRow, columns: readonly TableColumn[], shown: (column: TableColumn) => boolean): string {
  return columns.flatMap((column, i) => (shown(column) ? [copyValue(row.cells[i] ?? null, column)] : [])).join('\t');
}

interface CellActionsInput {
  row: TableRow;
  column: TableColumn;
  columns: readonly TableColumn[];
  shown(column: TableColumn): boolean;
  /** The filter in force, which a filter action narrows. */
  filter: string;
  onFilter(filter: string): void;
  copy(text: string, what: string): void;
}

export function cellActions({ row, column, columns, shown, filter, onFilter, copy }: CellActionsInput): MenuItem[] {
  const value = row.cells[columns.indexOf(column)] ?? null;
  return cellMenuItems({
    ...(column.field ? { field: column.field } : {}),
    value,
    label: column.label,
    copyText: copyValue(value, column),
    rowText: () => copyRow(row, columns, shown),
    filter,
    onFilter,
    copy,
  });
}
