import { useEffect, useState } from 'react';
import type { ApiError } from '../../../core/api';
import { toApiError } from '../../transport/errors';

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
}

/**
 * Runs `run` whenever `key` changes and keeps the last answer on screen until the next one lands
 * (a brush or a new filter swaps values in place rather than blanking the view). Answers to
 * superseded keys are dropped.
 */
export function useExploreQuery<T>(key: string | null, run: () => Promise<T>): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, loading: key !== null });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (reason: unknown) => live && setState((s) => ({ data: s.data, error: toApiError(reason), loading: false })),
    );
    return () => {
      live = false;
    };
    // `run` is a fresh closure each render; `key` says when its inputs changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}
