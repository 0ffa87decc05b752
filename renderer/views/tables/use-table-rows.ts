import type { ApiError, ViewScope } from '../../../core/api';
import type { DrillContext, TableColumn, TableId, TablePage, TableRow, TableSort } from '../../../core/domain/tables/contract';
import { useApp } from '../../context/app-context';
import { usePagedRows } from '../../hooks/use-paged-rows';

/** Rows are fetched in blocks of this many: one request per screenful or so. */
const BLOCK = 100;

export interface TableRows {
  columns: TableColumn[];
  total: number;
  totalExact: boolean;
  sort: TableSort | null;
  /** Whether the capture's own records are left out of this table (null: it has none). */
  metadata: TablePage['metadata'];
  error: ApiError | null;
  loading: boolean;
  rowAt(index: number): TableRow | undefined;
  ensure(first: number, last: number): void;
}

type TableMeta = Pick<TableRows, 'columns' | 'total' | 'totalExact' | 'sort' | 'metadata'>;

const NO_ROWS: TableMeta = { columns: [], total: 0, totalExact: true, sort: null, metadata: null };

interface Query {
  caseId: string;
  table: TableId;
  scope: ViewScope;
  drill: DrillContext;
  sort: TableSort | null;
  /** List the capture's metadata too (metaevents, processes known only from the process list). */
  metadata: boolean;
  revision: number;
}

/** A table's rows under one query, fetched block by block as they come on screen. */
export function useTableRows(query: Query): TableRows {
  const { api } = useApp();
  const { meta, ...rows } = usePagedRows<TableRow, TableMeta>(JSON.stringify(query), BLOCK, NO_ROWS, async (offset, limit) => {
    const q = query;
    const page = await api.call('table.page', { caseId: q.caseId, table: q.table, scope: q.scope, drill: q.drill, sort: q.sort, offset, limit, metadata: q.metadata });
    return { rows: page.rows, meta: { columns: page.columns, total: page.total, totalExact: page.totalExact, sort: page.sort, metadata: page.metadata } };
  });
  return { ...meta, ...rows };
}
