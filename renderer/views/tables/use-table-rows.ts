import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ViewScope } from '../../../core/api';
import type { DrillContext, TableColumn, TableId, TablePage, TableRow, TableSort } from '../../../core/domain/tables/contract';
import { useApp } from '../../context/app-context';
import { toApiError } from '../../transport/errors';

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
  const key = JSON.stringify(query);
  const blocks = useRef(new Map<number, TableRow[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const [, setTick] = useState(0);
  const [meta, setMeta] = useState<{ columns: TableColumn[]; total: number; totalExact: boolean; sort: TableSort | null; metadata: TablePage['metadata'] }>({
    columns: [],
    total: 0,
    totalExact: true,
    sort: null,
    metadata: null,
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const current = useRef(query);
  current.current = query;

  const fetchBlock = useCallback(
    (block: number) => {
      if (blocks.current.has(block) || pending.current.has(block)) return;
      pending.current.add(block);
      const gen = generation.current;
      const q = current.current;
      api
        .call('table.page', { caseId: q.caseId, table: q.table, scope: q.scope, drill: q.drill, sort: q.sort, offset: block * BLOCK, limit: BLOCK, metadata: q.metadata })
        .then(
          (page) => {
            if (gen !== generation.current) return;
            pending.current.delete(block);
            blocks.current.set(block, page.rows);
            setMeta({ columns: page.columns, total: page.total, totalExact: page.totalExact, sort: page.sort, metadata: page.metadata });
            setError(null);
            setLoading(false);
            setTick((n) => n + 1);
          },
          (reason: unknown) => {
            if (gen !== generation.current) return;
            pending.current.delete(block);
            setError(toApiError(reason));
            setLoading(false);
          },
        );
    },
    [api],
  );

  // A new query starts over; the old rows stay until the first new block lands, so nothing flickers.
  useEffect(() => {
    generation.current++;
    blocks.current = new Map();
    pending.current = new Set();
    setLoading(true);
    fetchBlock(0);
  }, [key, fetchBlock]);

  const ensure = useCallback(
    (first: number, last: number) => {
      for (let b = Math.floor(first / BLOCK); b <= Math.floor(last / BLOCK); b++) fetchBlock(b);
    },
    [fetchBlock],
  );

  const rowAt = useCallback((index: number) => blocks.current.get(Math.floor(index / BLOCK))?.[index % BLOCK], []);
  return { ...meta, error, loading, rowAt, ensure };
}
