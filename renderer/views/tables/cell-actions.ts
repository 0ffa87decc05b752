// What a right-click on a table cell offers (Wireshark's Apply as Filter / Prepare as Filter … not,
// Copy): the cell as a clause of the filter in force, and the cell or its row as text to paste.

import type { Cell, TableColumn, TableRow } from '../../../core/domain/tables/contract';
import { cellClause, narrowFilter } from '../../../common/filter-clause';
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
  const items: MenuItem[] = [];
  if (column.field) {
    const keep = cellClause(column.field, value, false);
    const drop = cellClause(column.field, value, true);
    items.push(
      { label: 'Apply as filter', detail: keep, onSelect: () => onFilter(narrowFilter(filter, keep)) },
      { label: 'Exclude from filter', detail: drop, onSelect: () => onFilter(narrowFilter(filter, drop)) },
    );
  }
  const text = copyValue(value, column);
  items.push(
    { label: `Copy ${column.label}`, detail: text, onSelect: () => copy(text, column.label) },
    { label: 'Copy row', onSelect: () => copy(copyRow(row, columns, shown), 'the row') },
  );
  return items;
}
