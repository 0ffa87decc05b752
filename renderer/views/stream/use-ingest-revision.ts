import { useEffect, useState } from 'react';
import { useApp } from '../../app-context';

/** How often a view asks whether the case's ingest has ended, while it runs. */
const POLL_MS = 1000;

/**
 * A number that changes when the case's ingest ends: findings and HTTP exchanges are written by the
 * analyses at its very end, so a view opened while indexing runs must ask again then.
 */
export function useIngestRevision(caseId: string): number {
  const { api } = useApp();
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    let stopped = false;
    let wasRunning = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      api.call('case.get', { caseId }).then(
        (summary) => {
          if (stopped) return;
          const state = summary.progress.state;
          if (state === 'running' || state === 'idle') {
            wasRunning = true;
            timer = setTimeout(check, POLL_MS);
          } else if (wasRunning) setRevision((n) => n + 1);
        },
        // The case view reports a lost case; this hook only refreshes.
        () => undefined,
      );
    };
    check();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, caseId]);
  return revision;
}
