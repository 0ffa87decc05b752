import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { TableColumn, TableRow, TableSort } from '../../core/domain/tables/contract';
import { cellTitle, formatCell } from '../formatting/explore-format';
import { useTimeDisplay } from '../context/time-display-context';
import { formatInstant, type TimeDisplay } from '../formatting/time-display';

export const ROW_HEIGHT = 26;
const OVERSCAN = 8;
// Browsers cap an element's height (Chrome near 33 million px): past this the scroll bar maps to
// row numbers proportionally instead of one row per 26 px.
const MAX_SCROLL_PX = 8_000_000;

const WIDTH_BY_KIND: Record<TableColumn['kind'], string> = {
  text: 'minmax(72px, 1fr)',
  mono: 'minmax(90px, 1.2fr)',
  count: 'minmax(56px, 0.5fr)',
  bytes: 'minmax(70px, 0.6fr)',
  time: 'minmax(136px, 0.9fr)',
  duration: 'minmax(70px, 0.6fr)',
  state: 'minmax(60px, 0.5fr)',
};

/** A column no narrower than this, however it is dragged. */
const MIN_WIDTH_PX = 40;

function columnWidth(col: TableColumn, widths: Readonly<Record<string, number>>): string {
  const dragged = widths[col.id];
  if (dragged !== undefined) return `${dragged}px`;
  if (col.size === 'narrow') return 'minmax(50px, 0.4fr)';
  if (col.size === 'wide') return 'minmax(160px, 3fr)';
  return WIDTH_BY_KIND[col.kind];
}

/** A time column's heading says its base when it is not the time of day ("First (s since start)"). */
function headingOf(col: TableColumn, time: TimeDisplay): string {
  if (col.kind !== 'time') return col.label;
  if (time.format === 'relative') return `${col.label} (s since start)`;
  if (time.format === 'delta') return `${col.label} (Δ s)`;
  return time.withDate && !time.crossesMidnight && time.day ? `${col.label} (${time.day})` : col.label;
}

interface VirtualTableProps {
  label: string;
  columns: readonly TableColumn[];
  total: number;
  /** The row at an index, or undefined while its page is being fetched. */
  rowAt(index: number): TableRow | undefined;
  /** Tells the owner which rows are on screen, so it can fetch their pages. */
  onVisible(first: number, last: number): void;
  selected: number;
  onSelect(index: number): void;
  onActivate(index: number): void;
  sort: TableSort;
  onSort(column: string): void;
  /** Columns left out of the view (the column chooser's). */
  hidden?: ReadonlySet<string>;
  /** A right-click on a cell (or the menu key on the selected row): its row, its column's index, where to open. */
  onCellMenu?(index: number, column: number, at: { x: number; y: number }): void;
  /** A row to bring on screen whenever this changes (a place opened from another view); null: none. */
  scrollToRow?: number | null;
}

/**
 * A table that renders only the rows on screen (fixed row height), for tables of any length: the
 * rows come from the owner page by page. Arrow keys, Page Up/Down and Home/End move the
 * selection; Enter activates it (the owner drills down). Cells are always text.
 */
export function VirtualTable({ label, columns, total, rowAt, onVisible, selected, onSelect, onActivate, sort, onSort, hidden, onCellMenu, scrollToRow = null }: VirtualTableProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  // Widths the user dragged, in px, by column id; the others share the rest.
  const [widths, setWidths] = useState<Record<string, number>>({});
  const shown = columns.flatMap((col, c) => (hidden?.has(col.id) ? [] : [c]));
  const template = shown.map((c) => columnWidth(columns[c]!, widths)).join(' ');
  const time = useTimeDisplay();

  const fullHeight = total * ROW_HEIGHT;
  const scaled = fullHeight > MAX_SCROLL_PX;
  const spacerHeight = scaled ? MAX_SCROLL_PX : fullHeight;
  const visibleCount = Math.ceil(height / ROW_HEIGHT);
  const firstVisible = scaled
    ? Math.round((scrollTop / Math.max(1, spacerHeight - height)) * Math.max(0, total - visibleCount))
    : Math.floor(scrollTop / ROW_HEIGHT);
  const first = Math.max(0, firstVisible - OVERSCAN);
  const last = Math.min(total - 1, firstVisible + visibleCount + OVERSCAN);
  // Rows are laid out from the scroll position: exact when unscaled, a moving window when scaled.
  const offsetOf = (index: number) => (scaled ? scrollTop + (index - firstVisible) * ROW_HEIGHT : index * ROW_HEIGHT);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setHeight(entry.contentRect.height));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (total > 0) onVisible(first, last);
  }, [first, last, total, onVisible]);

  // Keep the selected row on screen when the keyboard moves it.
  function reveal(index: number) {
    const el = viewport.current;
    if (!el) return;
    if (scaled) {
      const target = (index / Math.max(1, total - visibleCount)) * (spacerHeight - height);
      if (index < firstVisible || index >= firstVisible + visibleCount - 1) el.scrollTop = Math.max(0, target);
      return;
    }
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }

  useEffect(() => {
    if (scrollToRow !== null && scrollToRow < total) reveal(scrollToRow);
    // Only a new row to show moves the view; the total coming in later does too, once.
  }, [scrollToRow, total > 0]);

  function onKeyDown(event: KeyboardEvent) {
    if (total === 0) return;
    const page = Math.max(1, visibleCount - 1);
    const moves: Record<string, number> = {
      ArrowDown: selected + 1,
      ArrowUp: selected - 1,
      PageDown: selected + page,
      PageUp: selected - page,
      Home: 0,
      End: total - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      const next = Math.max(0, Math.min(total - 1, moves[event.key]!));
      onSelect(next);
      reveal(next);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onActivate(Math.max(0, selected));
    } else if (onCellMenu && (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey))) {
      event.preventDefault();
      const row = viewport.current?.querySelector<HTMLElement>('.vt-selected .vt-cell');
      const box = (row ?? viewport.current)?.getBoundingClientRect();
      const c = shown.find((i) => columns[i]!.field) ?? shown[0];
      if (box && c !== undefined) onCellMenu(Math.max(0, selected), c, { x: box.left + 8, y: box.bottom });
    }
  }

  /** Dragging a heading's right edge sets that column's width. */
  function startResize(event: PointerEvent<HTMLSpanElement>, id: string) {
    event.preventDefault();
    event.stopPropagation();
    const handle = event.currentTarget;
    const start = event.clientX;
    const from = handle.parentElement!.getBoundingClientRect().width;
    handle.setPointerCapture(event.pointerId);
    const move = (e: globalThis.PointerEvent) => setWidths((w) => ({ ...w, [id]: Math.max(MIN_WIDTH_PX, Math.round(from + e.clientX - start)) }));
    const stop = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', stop);
      handle.removeEventListener('pointercancel', stop);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', stop);
    handle.addEventListener('pointercancel', stop);
  }

  /** The same from the keyboard: arrows on the focused edge, 10 px a step. */
  function resizeByKey(event: KeyboardEvent<HTMLSpanElement>, id: string) {
    const step = event.key === 'ArrowRight' ? 10 : event.key === 'ArrowLeft' ? -10 : 0;
    if (step === 0) return;
    event.preventDefault();
    const from = widths[id] ?? event.currentTarget.parentElement!.getBoundingClientRect().width;
    setWidths((w) => ({ ...w, [id]: Math.max(MIN_WIDTH_PX, Math.round(from + step)) }));
  }

  // A delta time counts from the same column of the row above (Wireshark's "since previous displayed").
  const timeAbove = (i: number, c: number): string | null => {
    const above = i > 0 ? rowAt(i - 1)?.cells[c] : undefined;
    return above === undefined || above === null ? null : String(above);
  };
  const rows = [];
  for (let i = first; i <= last; i++) {
    const row = rowAt(i);
    rows.push(
      <div
        key={i}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={i === selected}
        className={`vt-row${i === selected ? ' vt-selected' : ''}${row?.drill ? ' vt-drillable' : ''}${i % 2 ? ' vt-odd' : ''}`}
        style={{ top: offsetOf(i), gridTemplateColumns: template }}
        onClick={() => onSelect(i)}
        onDoubleClick={() => onActivate(i)}
      >
        {row
          ? shown.map((c) => {
              const col = columns[c]!;
              const value = row.cells[c] ?? null;
              return (
                <span
                  key={col.id}
                  role="gridcell"
                  data-column={col.id}
                  className={`vt-cell vt-${col.kind}`}
                  title={cellTitle(value, col.kind)}
                  onContextMenu={
                    onCellMenu &&
                    ((e) => {
                      e.preventDefault();
                      onSelect(i);
                      onCellMenu(i, c, { x: e.clientX, y: e.clientY });
                    })
                  }
                >
                  {col.kind === 'time' ? (value === null ? '' : formatInstant(String(value), time, timeAbove(i, c))) : formatCell(value, col.kind)}
                </span>
              );
            })
          : <span role="gridcell" className="vt-cell muted">…</span>}
      </div>,
    );
  }

  return (
    <div className="vt" role="grid" aria-label={label} aria-rowcount={total + 1} aria-colcount={shown.length}>
      <div role="row" aria-rowindex={1} className="vt-head" style={{ gridTemplateColumns: template }}>
        {shown.map((c) => {
          const col = columns[c]!;
          const active = sort.column === col.id;
          return (
            <span
              key={col.id}
              role="columnheader"
              data-column={col.id}
              className={`vt-cell vt-head-cell vt-${col.kind}`}
              aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              title={col.title}
            >
              {col.sortable ? (
                <button type="button" className="vt-sort" onClick={() => onSort(col.id)}>
                  {headingOf(col, time)}
                  {active ? (sort.desc ? ' ▾' : ' ▴') : ''}
                </button>
              ) : (
                headingOf(col, time)
              )}
              <span
                className="vt-resize"
                role="separator"
                aria-orientation="vertical"
                aria-label={`Width of ${col.label}`}
                tabIndex={0}
                onPointerDown={(e) => startResize(e, col.id)}
                onKeyDown={(e) => resizeByKey(e, col.id)}
              />
            </span>
          );
        })}
      </div>
      <div
        ref={viewport}
        className="vt-viewport"
        tabIndex={0}
        aria-activedescendant={undefined}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div className="vt-spacer" style={{ height: spacerHeight }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
