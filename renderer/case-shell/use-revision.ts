import { useEffect, useRef, useState } from 'react';
import type { CaseSummary } from '../../core/api';
import { RefreshPacer } from './refresh-pacer';

/** While indexing, views are asked again at most this often (each ask may scan what is there so far). */
const PARTIAL_REFRESH_MS = 1500;

/**
 * A number that changes when the index has grown enough to ask the views again: as the ingest's
 * progress says it grew, at most every PARTIAL_REFRESH_MS (refresh-pacer.ts), and once when it ends.
 */
export function useIndexRevision(summary: CaseSummary | null): number {
  const [revision, setRevision] = useState(0);
  const pacer = useRef<RefreshPacer | null>(null);
  pacer.current ??= new RefreshPacer(PARTIAL_REFRESH_MS, () => setRevision((n) => n + 1));
  const state = summary?.progress.state ?? '';
  const growth = `${summary?.progress.bytesDone ?? 0}/${summary?.progress.updates ?? 0}/${summary?.sources.length ?? 0}`;
  useEffect(() => pacer.current?.observe(state, growth), [state, growth]);
  useEffect(() => () => pacer.current?.dispose(), []);
  return revision;
}
