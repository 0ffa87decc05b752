import type { ApiError, ViewScope } from '../../../core/api';
import type { PacketRow } from '../../../core/domain/packets/contract';
import type { TableColumn } from '../../../core/domain/tables/contract';
import { useApp } from '../../context/app-context';
import { usePagedRows } from '../../hooks/use-paged-rows';

/** Packets are fetched in pages of this many: each page's records are decoded from the capture on the server. */
const BLOCK = 100;

export interface PacketRows {
  columns: TableColumn[];
  total: number;
  /** Why some records of a page shown were not read from the capture, or null. */
  unread: string | null;
  error: ApiError | null;
  loading: boolean;
  rowAt(index: number): PacketRow | undefined;
  ensure(first: number, last: number): void;
}

interface PacketMeta {
  columns: TableColumn[];
  total: number;
  unread: string | null;
}

const NO_PACKETS: PacketMeta = { columns: [], total: 0, unread: null };

interface Query {
  caseId: string;
  scope: ViewScope;
  streamId: number | undefined;
  revision: number;
}

/** The packet list under one query, fetched page by page as it comes on screen. */
export function usePacketRows(query: Query): PacketRows {
  const { api } = useApp();
  const { meta, ...rows } = usePagedRows<PacketRow, PacketMeta>(JSON.stringify(query), BLOCK, NO_PACKETS, async (offset, limit) => {
    const page = await api.call('packets.page', { caseId: query.caseId, scope: query.scope, ...(query.streamId === undefined ? {} : { streamId: query.streamId }), offset, limit });
    return { rows: page.rows, meta: { columns: page.columns, total: page.total, unread: page.unread } };
  });
  return { ...meta, ...rows };
}
