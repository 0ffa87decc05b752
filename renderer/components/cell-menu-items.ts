// The items a right-click on a table cell offers, whatever the table (Wireshark's Apply as Filter /
// Prepare as Filter … not, and Copy): the cell as a clause of the filter in force where its
// column is a filter field, and the cell or its row as text to paste.

import { cellClause, narrowFilter } from '../../common/filter-clause';
import type { MenuItem } from './ContextMenu';

export interface CellMenuInput {
  /** The filter field the cell equals; absent when no field says it (the menu then only copies). */
  field?: string;
  /** The cell's value as the filter compares it (a number bare, null for a missing value). */
  value: string | number | null;
  /** The column's name, for "Copy PID". */
  label: string;
  /** The cell as text to paste, and the row's. */
  copyText: string;
  rowText(): string;
  /** The filter in force, which a filter item narrows. */
  filter: string;
  onFilter(filter: string): void;
  copy(text: string, what: string): void;
}

export function cellMenuItems({ field, value, label, copyText, rowText, filter, onFilter, copy }: CellMenuInput): MenuItem[] {
  const items: MenuItem[] = [];
  if (field) {
    const keep = cellClause(field, value, false);
    const drop = cellClause(field, value, true);
    items.push(
      { label: 'Apply as filter', detail: keep, onSelect: () => onFilter(narrowFilter(filter, keep)) },
      { label: 'Exclude from filter', detail: drop, onSelect: () => onFilter(narrowFilter(filter, drop)) },
    );
  }
  items.push({ label: `Copy ${label}`, detail: copyText, onSelect: () => copy(copyText, label) }, { label: 'Copy row', onSelect: () => copy(rowText(), 'the row') });
  return items;
}

/** Puts text on the clipboard and says how it went, in a line the table shows. */
export function copyToClipboard(text: string, what: string, say: (line: string) => void): void {
  navigator.clipboard.writeText(text).then(
    () => say(`Copied ${what}.`),
    (reason: unknown) => say(`Could not copy ${what}: ${reason instanceof Error ? reason.message : String(reason)}`),
  );
}
