import { useCallback, useEffect, useRef, useState } from 'react';
import type { ViewScope } from '../../../core/api';
import type { PacketRow } from '../../../core/domain/packets/contract';
import type { StreamTarget } from '../../view-kit/contract';
import { BookmarkButton } from '../../components/BookmarkButton';
import { cellMenuItems, copyToClipboard } from '../../components/cell-menu-items';
import { ContextMenu } from '../../components/ContextMenu';
import { ErrorLine } from '../../components/ErrorLine';
import { VirtualTable } from '../../components/VirtualTable';
import { useApp } from '../../context/app-context';
import { formatCount } from '../../format';
import { copyRow, copyValue } from '../tables/cell-actions';
import { PacketDetailPane } from './PacketDetailPane';
import { usePacketRows } from './use-packet-rows';
import type { PacketPlace } from './view';
import './packets.css';

interface PacketsViewProps {
  caseId: string;
  scope: ViewScope;
  revision: number;
  place: PacketPlace;
  go(place: PacketPlace): void;
  onFilter(filter: string): void;
  onOpenStream(target: StreamTarget): void;
}

const NO_SORT = { column: '', desc: false };

/**
 * A network capture's packets as Wireshark lists them, following the filter bar (over streams) and
 * the brushed range, or one connection's; the selected packet's layers and bytes below, read from
 * the capture. A packet opened from elsewhere (a bookmark) is found in the list and selected.
 */
export function PacketsView({ caseId, scope, revision, place, go, onFilter, onOpenStream }: PacketsViewProps) {
  const { api } = useApp();
  const rows = usePacketRows({ caseId, scope, streamId: place.streamId, revision });
  const [selected, setSelected] = useState(0);
  const [scrollTo, setScrollTo] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [menu, setMenu] = useState<{ index: number; column: number; at: { x: number; y: number } } | null>(null);
  const grid = useRef<HTMLDivElement>(null);

  // A packet named by the address: where it is in the list as scoped now.
  const target = place.frame ? `${place.frame.sourceId}:${place.frame.frame}` : null;
  useEffect(() => {
    if (!place.frame) return;
    let current = true;
    const { sourceId, frame } = place.frame;
    api.call('packets.locate', { caseId, scope, ...(place.streamId === undefined ? {} : { streamId: place.streamId }), sourceId, frame }).then(
      (found) => {
        if (!current) return;
        setNotice(found.reason);
        if (found.index !== null) {
          setSelected(found.index);
          setScrollTo(found.index);
        }
      },
      (reason: unknown) => current && setNotice(reason instanceof Error ? reason.message : String(reason)),
    );
    return () => {
      current = false;
    };
  }, [caseId, target, place.streamId, JSON.stringify(scope)]);

  // Another scope or connection without a packet to find: back to the top.
  useEffect(() => {
    if (place.frame) return;
    setSelected(0);
    setScrollTo(0);
    setNotice(null);
  }, [place.streamId, JSON.stringify(scope)]);

  const shown = rows.columns.length > 0;
  useEffect(() => {
    if (shown && !place.frame) grid.current?.querySelector<HTMLElement>('.vt-viewport')?.focus({ preventScroll: true });
  }, [shown]);

  const row: PacketRow | undefined = rows.rowAt(selected);
  // The connection's tuple, as its rows' drill names it (the stream view's heading says the same).
  const first = rows.rowAt(0);
  const connection = first?.drill?.kind === 'stream' ? first.drill.label : null;
  const activate = useCallback(
    (index: number) => {
      const r = rows.rowAt(index);
      if (r?.streamId !== null && r?.streamId !== undefined) onOpenStream({ streamId: r.streamId });
    },
    [rows, onOpenStream],
  );
  const closeMenu = useCallback(() => {
    setMenu(null);
    grid.current?.querySelector<HTMLElement>('.vt-viewport')?.focus({ preventScroll: true });
  }, []);
  const menuRow = menu ? rows.rowAt(menu.index) : undefined;
  const menuColumn = menu ? rows.columns[menu.column] : undefined;
  const copy = (text: string, what: string) => copyToClipboard(text, what, setStatus);

  return (
    <div className="packets-view">
      <div className="toolbar">
        <h2 className="packets-title">{place.streamId === undefined ? 'Packets' : `Packets of stream ${place.streamId}${connection ? ` (${connection})` : ''}`}</h2>
        {place.streamId !== undefined && (
          <button type="button" onClick={() => go({})} title="Every packet in the filter and range">
            Show all packets
          </button>
        )}
        {row && <BookmarkButton caseId={caseId} place={{ kind: 'packet', sourceId: row.sourceId, frame: row.frame }} what={`packet ${row.frame}`} shortcut />}
        <span className="pager-range" aria-live="polite">
          {rows.loading && !shown ? 'Loading…' : `${formatCount(rows.total)} packets`}
        </span>
      </div>
      <ErrorLine error={rows.error} />
      {notice && <p className="muted small packets-notice">{`Not in this list: ${notice}.`}</p>}
      {rows.unread && <p className="muted small packets-notice">{`Some records were not read from the capture: ${rows.unread}`}</p>}
      {shown && (
        <div ref={grid} className={rows.loading ? 'is-stale' : undefined}>
          <VirtualTable
            label="Packets"
            columns={rows.columns}
            total={rows.total}
            rowAt={rows.rowAt}
            onVisible={rows.ensure}
            selected={selected}
            onSelect={setSelected}
            onActivate={activate}
            sort={NO_SORT}
            onSort={() => undefined}
            onCellMenu={(index, column, at) => setMenu({ index, column, at })}
            scrollToRow={scrollTo}
          />
        </div>
      )}
      {menu && menuRow && menuColumn && (
        <ContextMenu
          label={`${menuColumn.label} of packet ${menuRow.frame}`}
          at={menu.at}
          onClose={closeMenu}
          items={cellMenuItems({
            ...(menuRow.filters[menu.column] ? { field: menuRow.filters[menu.column]!.field } : {}),
            value: menuRow.filters[menu.column]?.value ?? menuRow.cells[menu.column] ?? null,
            label: menuColumn.label,
            copyText: copyValue(menuRow.cells[menu.column] ?? null, menuColumn),
            rowText: () => copyRow(menuRow, rows.columns, () => true),
            filter: scope.filter ?? '',
            onFilter,
            copy,
          })}
        />
      )}
      <p className="muted small table-status" role="status">
        {status}
      </p>
      {!rows.loading && !rows.error && rows.total === 0 && <p className="muted empty">No packets in this scope.</p>}
      <p className="muted small table-help">↑↓ select · Enter the connection's bytes · b bookmark the packet · right-click (or the menu key) a cell: filter by it, copy it</p>
      {row && <PacketDetailPane caseId={caseId} sourceId={row.sourceId} frame={row.frame} revision={revision} />}
    </div>
  );
}
