export interface SortableColumn<C extends string> {
  id: C;
  label: string;
  numeric?: boolean;
}

export interface ColumnSort<C extends string> {
  column: C;
  desc: boolean;
}

/**
 * The header row of a table sorted by the server: each column name is a button that sorts by it
 * (a numeric column largest first, anything else A to Z) and, clicked again, turns the order.
 */
export function SortableHeaderRow<C extends string>({ columns, sort, onSort }: { columns: readonly SortableColumn<C>[]; sort: ColumnSort<C>; onSort(next: ColumnSort<C>): void }) {
  return (
    <tr>
      {columns.map((c) => (
        <th key={c.id} className={c.numeric ? 'num' : undefined} aria-sort={sort.column === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
          <button type="button" className="sort-button" onClick={() => onSort({ column: c.id, desc: sort.column === c.id ? !sort.desc : c.numeric === true })}>
            {c.label}
            <span aria-hidden="true">{sort.column === c.id ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
          </button>
        </th>
      ))}
    </tr>
  );
}
