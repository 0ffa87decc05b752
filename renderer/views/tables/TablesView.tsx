import { useCallback, useEffect, useRef, useState } from 'react';
import type { ViewScope } from '../../../core/api';
import type { CaseShape } from '../../../core/domain/case/contract';
import type { RowDrill, TableId, TableSort } from '../../../core/domain/tables/contract';
import { ErrorLine } from '../../components/ErrorLine';
import { TabBar, panelId, tabId, type TabSpec } from '../../components/TabBar';
import { VirtualTable } from '../../components/VirtualTable';
import { Breadcrumb } from '../../components/Breadcrumb';
import { drillContext, type DrillStep } from '../../view-kit/drill-path';
import { formatCount } from '../../format';
import { useTableRows } from './use-table-rows';
import { TableExports } from './TableExports';
import { ContextMenu } from '../../components/ContextMenu';
import { copyToClipboard } from '../../components/cell-menu-items';
import { cellActions } from './cell-actions';
import { TableTools, useHiddenColumns } from './TableTools';
import { BookmarkButton } from '../../components/BookmarkButton';
import { rowBookmark } from './row-bookmark';

interface TablesViewProps {
  caseId: string;
  shape: CaseShape;
  table: TableId;
  scope: ViewScope;
  /** Puts a filter in force (a cell applied as a filter or excluded from it). */
  onFilter(filter: string): void;
  revision: number;
  path: readonly DrillStep[];
  onTable(table: TableId): void;
  /** Enter on a row: a step down (into another table, or into a stream's bytes). */
  onDrill(drill: RowDrill, from: TableId, selected: number): void;
  /** Backspace or a breadcrumb: back up to a depth (0: the top). */
  onUp(depth: number): void;
  /** The row to select when coming back up to this table. */
  restoreSelection: number | null;
}

const TAB_PREFIX = 'tables';

export function TablesView(props: TablesViewProps) {
  const { caseId, shape, table, scope, onFilter, revision, path, onTable, onDrill, onUp, restoreSelection } = props;
  const [hidden, setHidden] = useHiddenColumns(table);
  const [menu, setMenu] = useState<{ index: number; column: number; at: { x: number; y: number } } | null>(null);
  const [status, setStatus] = useState('');
  const closeMenu = useCallback(() => {
    setMenu(null);
    // The keyboard goes back to the table the menu was opened on.
    grid.current?.querySelector<HTMLElement>('.vt-viewport')?.focus({ preventScroll: true });
  }, []);
  const [sorts, setSorts] = useState<Partial<Record<TableId, TableSort>>>({});
  const [selected, setSelected] = useState(restoreSelection ?? 0);
  // One switch for every table of the case, as sysdig's -D (debug) shows its internal events.
  const [metadata, setMetadata] = useState(false);
  const drill = drillContext(path);
  const rows = useTableRows({ caseId, table, scope, drill, sort: sorts[table] ?? null, metadata, revision });
  const grid = useRef<HTMLDivElement>(null);
  const tables = shape.tables;
  const label = tables.find((t) => t.id === table)?.label;

  // A new table or drill starts at its top row (or where the user was, coming back up).
  useEffect(() => setSelected(restoreSelection ?? 0), [table, path.length, restoreSelection]);
  // The table takes the keyboard as soon as it shows, so Enter and Backspace work at once. It shows
  // only once its first rows have come (on a slow machine, after the table or drill changed).
  const shown = rows.columns.length > 0;
  useEffect(() => {
    if (shown) grid.current?.querySelector<HTMLElement>('.vt-viewport')?.focus({ preventScroll: true });
  }, [table, path.length, shown]);

  const activate = useCallback(
    (index: number) => {
      const row = rows.rowAt(index);
      if (row?.drill) onDrill(row.drill, table, index);
    },
    [rows, onDrill, table],
  );

  const sort = rows.sort ?? sorts[table] ?? null;
  const onSort = (column: string) => {
    const desc = sort?.column === column ? !sort.desc : false;
    setSorts((s) => ({ ...s, [table]: { column, desc } }));
  };

  const copy = (text: string, what: string) => copyToClipboard(text, what, setStatus);
  const menuRow = menu ? rows.rowAt(menu.index) : undefined;
  const menuColumn = menu ? rows.columns[menu.column] : undefined;

  const tabs: TabSpec<TableId>[] = tables.map(({ id, label }) => ({ id, label }));
  const mark = rowBookmark(table, rows.rowAt(selected));
  if (label === undefined) {
    return <p className="muted empty">{`${table[0]!.toUpperCase()}${table.slice(1)} need a syscall capture (.scap); this case has none.`}</p>;
  }
  return (
    <div className="tables-view">
      <TabBar label="Tables" idPrefix={TAB_PREFIX} tabs={tabs} selected={table} onSelect={onTable} />
      <div className="tables-panel" role="tabpanel" id={panelId(TAB_PREFIX, table)} aria-labelledby={tabId(TAB_PREFIX, table)}>
        <div className="toolbar">
          <Breadcrumb path={path} current={label} onUp={onUp} />
          {rows.metadata !== null && (
            <label className="metadata-switch" title="The capture's own records: process-list (procinfo) and container metadata events, drops, and the processes, threads and containers known only from them. sysdig lists and counts none of them.">
              <input type="checkbox" checked={metadata} onChange={(e) => setMetadata(e.currentTarget.checked)} /> Show capture metadata
            </label>
          )}
          <TableExports caseId={caseId} table={table} scope={scope} network={!shape.capabilities.includes('syscalls')} />
          <TableTools
            caseId={caseId}
            table={table}
            scope={scope}
            drill={drill}
            sort={sort}
            columns={rows.columns}
            hidden={hidden}
            onHidden={setHidden}
            onStatus={setStatus}
          />
          {mark && <BookmarkButton caseId={caseId} place={mark.place} what={mark.what} shortcut />}
          <span className="pager-range" aria-live="polite">
            {rows.loading && rows.columns.length === 0 ? 'Loading…' : `${rows.totalExact ? '' : 'more than '}${formatCount(rows.total)} rows`}
          </span>
        </div>
        <ErrorLine error={rows.error} />
        {shown && (
          <div ref={grid} className={rows.loading ? 'is-stale' : undefined}>
            <VirtualTable
              label={label}
              columns={rows.columns}
              total={rows.total}
              rowAt={rows.rowAt}
              onVisible={rows.ensure}
              selected={selected}
              onSelect={setSelected}
              onActivate={activate}
              sort={sort ?? { column: '', desc: false }}
              onSort={onSort}
              hidden={hidden}
              onCellMenu={(index, column, at) => setMenu({ index, column, at })}
            />
          </div>
        )}
        {menu && menuRow && menuColumn && (
          <ContextMenu
            label={`${menuColumn.label} of row ${menu.index + 1}`}
            at={menu.at}
            onClose={closeMenu}
            items={cellActions({
              row: menuRow,
              column: menuColumn,
              columns: rows.columns,
              shown: (c) => !hidden.has(c.id),
              filter: scope.filter ?? '',
              onFilter,
              copy,
            })}
          />
        )}
        <p className="muted small table-status" role="status">
          {status}
        </p>
        {!rows.loading && !rows.error && rows.total === 0 && <p className="muted empty">No rows in this scope.</p>}
        <p className="muted small table-help">↑↓ select · Enter drill down · Backspace up · / filter · b bookmark the row · right-click (or the menu key) a cell: filter by it, copy it</p>
      </div>
    </div>
  );
}
