// Rows of a long list fetched a page at a time as they come on screen, for the tables and the
// packet list alike: pages are cached by number, a page asked for twice is fetched once, and a new
// query (its key changes) starts over while the old rows stay until the first new page lands, so
// nothing flickers. A page of an older query that lands late is dropped.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../core/api';
import { toApiError } from '../transport/errors';

export interface Page<Row, Meta> {
  rows: Row[];
  /** What the page says of the whole list (its columns, total, ...), kept from the latest page. */
  meta: Meta;
}

export interface PagedRows<Row, Meta> {
  meta: Meta;
  error: ApiError | null;
  loading: boolean;
  rowAt(index: number): Row | undefined;
  ensure(first: number, last: number): void;
}

/**
 * `fetchPage(offset, limit)` is read when a page is fetched, so it may close over the latest
 * query; `key` says when the query changed (everything that changes the rows belongs in it).
 */
export function usePagedRows<Row, Meta>(key: string, pageSize: number, initialMeta: Meta, fetchPage: (offset: number, limit: number) => Promise<Page<Row, Meta>>): PagedRows<Row, Meta> {
  const pages = useRef(new Map<number, Row[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const [, setTick] = useState(0);
  const [meta, setMeta] = useState<Meta>(initialMeta);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;

  const fetchOne = useCallback(
    (page: number) => {
      if (pages.current.has(page) || pending.current.has(page)) return;
      pending.current.add(page);
      const gen = generation.current;
      fetcher.current(page * pageSize, pageSize).then(
        (result) => {
          if (gen !== generation.current) return;
          pending.current.delete(page);
          pages.current.set(page, result.rows);
          setMeta(result.meta);
          setError(null);
          setLoading(false);
          setTick((n) => n + 1);
        },
        (reason: unknown) => {
          if (gen !== generation.current) return;
          pending.current.delete(page);
          setError(toApiError(reason));
          setLoading(false);
        },
      );
    },
    [pageSize],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    pending.current = new Set();
    setLoading(true);
    fetchOne(0);
  }, [key, fetchOne]);

  const ensure = useCallback(
    (first: number, last: number) => {
      for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) fetchOne(p);
    },
    [fetchOne, pageSize],
  );

  const rowAt = useCallback((index: number) => pages.current.get(Math.floor(index / pageSize))?.[index % pageSize], [pageSize]);
  return { meta, error, loading, rowAt, ensure };
}
