import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ViewScope } from '../../../core/api';
import type { PacketRow } from '../../../core/domain/packets/contract';
import type { TableColumn } from '../../../core/domain/tables/contract';
import { useApp } from '../../context/app-context';
import { toApiError } from '../../transport/errors';

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

interface Query {
  caseId: string;
  scope: ViewScope;
  streamId: number | undefined;
  revision: number;
}

/** The packet list under one query, fetched page by page as it comes on screen. */
export function usePacketRows(query: Query): PacketRows {
  const { api } = useApp();
  const key = JSON.stringify(query);
  const blocks = useRef(new Map<number, PacketRow[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const [, setTick] = useState(0);
  const [meta, setMeta] = useState<{ columns: TableColumn[]; total: number; unread: string | null }>({ columns: [], total: 0, unread: null });
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
      api.call('packets.page', { caseId: q.caseId, scope: q.scope, ...(q.streamId === undefined ? {} : { streamId: q.streamId }), offset: block * BLOCK, limit: BLOCK }).then(
        (page) => {
          if (gen !== generation.current) return;
          pending.current.delete(block);
          blocks.current.set(block, page.rows);
          setMeta({ columns: page.columns, total: page.total, unread: page.unread });
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

  // A new query starts over; the old rows' frame stays until the first new page lands.
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
