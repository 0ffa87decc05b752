import { useEffect, useRef, useState } from 'react';
import type { CaseSummary } from '../../core/api';

/** While indexing, views are asked again at most this often (each ask may scan what is there so far). */
const PARTIAL_REFRESH_MS = 1500;

/**
 * A number that changes when the index has grown enough to ask the views again: every
 * PARTIAL_REFRESH_MS while the ingest runs (partial results as they arrive), and once when it ends.
 */
export function useIndexRevision(summary: CaseSummary | null): number {
  const [revision, setRevision] = useState(0);
  const last = useRef({ at: 0, bytes: -1, state: '' });
  const state = summary?.progress.state ?? '';
  const bytes = summary?.progress.bytesDone ?? 0;
  const sources = summary?.sources.length ?? 0;
  useEffect(() => {
    const now = performance.now();
    const stateChanged = state !== last.current.state;
    const grew = bytes !== last.current.bytes;
    if (stateChanged || (grew && now - last.current.at >= PARTIAL_REFRESH_MS)) {
      last.current = { at: now, bytes, state };
      setRevision((n) => n + 1);
    }
  }, [state, bytes, sources]);
  return revision;
}
