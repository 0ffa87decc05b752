import { useEffect, useState } from 'react';
import type { ApiError } from '../../core/api';
import { toApiError } from '../transport/errors';

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
}

/**
 * Runs `load` whenever `key` changes and keeps the last answer on screen while the next one is on
 * its way (a brush or a new filter swaps values in place rather than blanking the view); an answer
 * to a superseded key is dropped, so a slow reply never overwrites a newer one. A null key asks
 * nothing and clears the view.
 */
export function useQuery<T>(key: string | null, load: () => Promise<T>): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, loading: key !== null });
  useEffect(() => {
    if (key === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (reason: unknown) => current && setState((s) => ({ data: s.data, error: toApiError(reason), loading: false })),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `key` says when what it asks for changed.
  }, [key]);
  return state;
}
