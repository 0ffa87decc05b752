import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { ApiError, ViewScope } from '../../../core/api';
import type { ExchangeRow, ExchangeSortColumn } from '../../../core/domain/http/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { SortableHeaderRow, type SortableColumn } from '../../components/SortableHeaderRow';
import { toApiError } from '../../transport/errors';
import { formatNs } from '../../formatting/time';
import { useTimeDisplay } from '../../context/time-display-context';
import { formatFullInstant, formatInstant, timeHeading, type TimeDisplay } from '../../formatting/time-display';
import { formatCount } from '../../format';
import { ContextMenu } from '../../components/ContextMenu';
import { cellMenuItems, copyToClipboard } from '../../components/cell-menu-items';
import { exchangeCell, exchangeRowText } from './exchange-cells';
import { offerDownload } from '../../components/download';
import type { TableExportFormat } from '../../../core/domain/tables/contract';

/** Rows fetched per request; the table asks for the pages the viewport shows, nothing else. */
const PAGE = 100;
const ROW_HEIGHT = 30;
const VIEWPORT_ROWS = 14;

const COLUMNS: SortableColumn<ExchangeSortColumn>[] = [
  { id: 'time', label: 'Time' },
  { id: 'method', label: 'Method' },
  { id: 'target', label: 'Target' },
  { id: 'status', label: 'Status', numeric: true },
  { id: 'latency', label: 'Latency', numeric: true },
  { id: 'container', label: 'Container / server' },
  { id: 'diagnostics', label: 'Diagnostics', numeric: true },
];

export interface SortState {
  column: ExchangeSortColumn;
  desc: boolean;
}

interface ExchangeTableProps {
  caseId: string;
  scope: ViewScope;
  /** Changes when the index has more to show (the ingest ended). */
  revision: number;
  sort: SortState;
  onSort(sort: SortState): void;
  selected: number | null;
  onSelect(id: number): void;
  /** Puts a filter in force (a cell applied as a filter or excluded from it). */
  onFilter(filter: string): void;
}

interface CellMenu {
  row: ExchangeRow;
  column: ExchangeSortColumn;
  at: { x: number; y: number };
}

/** The exchanges, virtualised: only the rows in view are in the DOM, fetched a page at a time. */
export function ExchangeTable({ caseId, scope, revision, sort, onSort, selected, onSelect, onFilter }: ExchangeTableProps) {
  const [menu, setMenu] = useState<CellMenu | null>(null);
  const [exporting, setExporting] = useState<TableExportFormat | null>(null);
  const [status, setStatus] = useState('');
  const closeMenu = useCallback(() => {
    setMenu(null);
    viewport.current?.focus({ preventScroll: true });
  }, []);
  const { api } = useApp();
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, ExchangeRow[]>>(new Map());
  const [error, setError] = useState<ApiError | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [cursor, setCursor] = useState(0);
  const requested = useRef(new Set<number>());
  const generation = useRef(0);
  const viewport = useRef<HTMLDivElement | null>(null);
  const queryKey = JSON.stringify([caseId, scope.filter ?? '', scope.range ?? null, sort, revision]);
  const time = useTimeDisplay();
  // The time column is headed in the case's time base (with the capture's date when it is not today's).
  const columns = COLUMNS.map((c) => (c.id === 'time' ? { ...c, label: timeHeading(time) } : c));

  const fetchPage = useCallback(
    (index: number) => {
      if (requested.current.has(index)) return;
      requested.current.add(index);
      const mine = generation.current;
      api.call('http.exchanges', { caseId, scope, sort, offset: index * PAGE, limit: PAGE }).then(
        (res) => {
          if (mine !== generation.current) return;
          setTotal(res.total);
          setPages((prev) => new Map(prev).set(index, res.rows));
        },
        (reason) => {
          if (mine !== generation.current) return;
          requested.current.delete(index);
          setError(toApiError(reason));
        },
      );
    },
    // queryKey stands for caseId, scope, sort and revision.
    [api, queryKey],
  );

  useEffect(() => {
    generation.current++;
    requested.current = new Set();
    setPages(new Map());
    setTotal(null);
    setError(null);
    setCursor(0);
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
    fetchPage(0);
  }, [fetchPage]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 5);
  const last = Math.min(total ?? 0, first + VIEWPORT_ROWS + 10);
  useEffect(() => {
    if (total === null) return;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) fetchPage(p);
  }, [first, last, total, fetchPage]);

  const rowAt = (i: number): ExchangeRow | undefined => pages.get(Math.floor(i / PAGE))?.[i % PAGE];

  function moveCursor(to: number) {
    if (!total) return;
    const next = Math.max(0, Math.min(total - 1, to));
    setCursor(next);
    const el = viewport.current;
    if (el) {
      const top = next * ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + 2 * ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + 2 * ROW_HEIGHT - el.clientHeight;
    }
    const row = rowAt(next);
    if (row) onSelect(row.id);
  }

  /** Every exchange in scope, asked of the API (not the rows on screen), offered as a download. */
  async function exportRows(format: TableExportFormat) {
    setExporting(format);
    setStatus(`Exporting ${format.toUpperCase()}…`);
    try {
      const out = await api.call('http.export', { caseId, scope, sort, format });
      offerDownload(out.text, out.mediaType, out.fileName);
      setStatus(`Exported ${formatCount(out.rows)} exchange${out.rows === 1 ? '' : 's'} to ${out.fileName}.`);
    } catch (reason) {
      setStatus(`Export failed: ${toApiError(reason).message}`);
    } finally {
      setExporting(null);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    const row = rowAt(cursor);
    if (row && (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey))) {
      event.preventDefault();
      const box = viewport.current?.querySelector('tr.cursor')?.getBoundingClientRect();
      setMenu({ row, column: 'status', at: { x: (box?.left ?? 0) + 8, y: box?.bottom ?? 0 } });
      return;
    }
    const moves: Record<string, number> = { ArrowDown: cursor + 1, ArrowUp: cursor - 1, PageDown: cursor + VIEWPORT_ROWS, PageUp: cursor - VIEWPORT_ROWS, Home: 0, End: (total ?? 1) - 1 };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    moveCursor(to);
  }

  const rows = [];
  for (let i = first; i < last; i++) {
    const row = rowAt(i);
    rows.push(
      <tr
        key={i}
        className={`${row && row.id === selected ? 'selected' : ''}${i === cursor ? ' cursor' : ''}`}
        aria-selected={row ? row.id === selected : undefined}
        onClick={() => {
          setCursor(i);
          if (row) onSelect(row.id);
        }}
        style={{ height: ROW_HEIGHT }}
      >
        {row ? (
          <RowCells
            row={row}
            previousTs={rowAt(i - 1)?.reqTs ?? null}
            time={time}
            onMenu={(column, at) => {
              setCursor(i);
              onSelect(row.id);
              setMenu({ row, column, at });
            }}
          />
        ) : (
          <td colSpan={COLUMNS.length} className="muted">
            …
          </td>
        )}
      </tr>,
    );
  }

  return (
    <div className="exchange-table">
      <ErrorLine error={error} />
      <div className="toolbar">
        <div className="table-tools">
          <button type="button" disabled={exporting !== null} onClick={() => void exportRows('csv')}>
            Export CSV
          </button>
          <button type="button" disabled={exporting !== null} onClick={() => void exportRows('json')}>
            Export JSON
          </button>
        </div>
        <span className="pager-range">{total === null ? 'Loading exchanges…' : `${formatCount(total)} exchange${total === 1 ? '' : 's'}`}</span>
      </div>
      <div
        className="exchange-viewport"
        ref={viewport}
        tabIndex={0}
        role="region"
        aria-label="HTTP exchanges (arrow keys move, the selected exchange opens below)"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
        // A short list takes only the room it needs; a long one scrolls inside a fixed viewport.
        style={{ height: ROW_HEIGHT * (Math.max(1, Math.min(VIEWPORT_ROWS, total ?? VIEWPORT_ROWS)) + 1) + 2 }}
      >
        <table className="data-table exchange-rows" aria-rowcount={total ?? undefined}>
          <thead>
            <SortableHeaderRow columns={columns} sort={sort} onSort={onSort} />
          </thead>
          <tbody>
            {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
            {rows}
            {total !== null && last < total && <tr aria-hidden="true" style={{ height: (total - last) * ROW_HEIGHT }} />}
          </tbody>
        </table>
      </div>
      {menu && (
        <ContextMenu
          label={`${COLUMNS.find((c) => c.id === menu.column)!.label} of exchange ${menu.row.id}`}
          at={menu.at}
          onClose={closeMenu}
          items={cellMenuItems({
            ...exchangeCell(menu.row, menu.column),
            label: COLUMNS.find((c) => c.id === menu.column)!.label,
            rowText: () => exchangeRowText(menu.row, COLUMNS.map((c) => c.id)),
            filter: scope.filter ?? '',
            onFilter,
            copy: (text, what) => copyToClipboard(text, what, setStatus),
          })}
        />
      )}
      <p className="muted small table-status" role="status">
        {status}
      </p>
    </div>
  );
}

interface RowCellsProps {
  row: ExchangeRow;
  previousTs: string | null;
  time: TimeDisplay;
  /** A right-click on a cell: its column, and where to open the menu. */
  onMenu(column: ExchangeSortColumn, at: { x: number; y: number }): void;
}

function RowCells({ row, previousTs, time, onMenu }: RowCellsProps) {
  const status = row.status === null ? '—' : String(row.status);
  const statusClass = row.status === null ? '' : row.status >= 500 ? 'status-5xx' : row.status >= 400 ? 'status-4xx' : '';
  const menu = (column: ExchangeSortColumn) => ({
    'data-column': column,
    onContextMenu: (e: MouseEvent) => {
      e.preventDefault();
      onMenu(column, { x: e.clientX, y: e.clientY });
    },
  });
  return (
    <>
      <td className="mono" title={formatFullInstant(row.reqTs)} {...menu('time')}>
        {formatInstant(row.reqTs, time, previousTs)}
      </td>
      <td {...menu('method')}>{row.method ?? '—'}</td>
      <td className="target-cell" title={row.target ?? undefined} {...menu('target')}>
        {row.version === '2' && <span className="badge badge-neutral proto-badge">{row.grpc ? 'gRPC' : 'h2'}</span>}
        {row.target ?? '—'}
      </td>
      <td className={`num ${statusClass}`} {...menu('status')}>
        {status}
        {row.grpc && <GrpcStatus grpc={row.grpc} />}
        {!row.grpc && row.http2Error && <span className="grpc-status grpc-error">{` ${row.http2Error}`}</span>}
      </td>
      <td className="num" {...menu('latency')}>
        {formatNs(row.latencyNs)}
      </td>
      <td className="server-cell" {...menu('container')}>
        {row.container ? (row.container.name ?? row.container.id) : (row.server ?? '—')}
      </td>
      <td className="num" {...menu('diagnostics')}>
        {row.diagnosticCount > 0 ? <span className={`badge badge-${row.worstSeverity === 'error' ? 'bad' : row.worstSeverity === 'warning' ? 'warn' : 'neutral'}`}>{row.diagnosticCount}</span> : ''}
      </td>
    </>
  );
}

/** A gRPC call's status beside the HTTP one: a call answered 200 can still have failed. */
function GrpcStatus({ grpc }: { grpc: NonNullable<ExchangeRow['grpc']> }) {
  const failed = grpc.status !== null && grpc.status !== 0;
  const title = grpc.status === null ? 'no grpc-status seen' : `grpc-status ${grpc.status}${grpc.message !== null ? `: ${grpc.message}` : ''}`;
  return (
    <span className={`grpc-status${failed ? ' grpc-error' : ''}`} title={title}>
      {` ${grpc.statusName ?? '?'}`}
    </span>
  );
}
