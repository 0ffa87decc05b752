import { useCallback, useEffect, useState } from 'react';
import type { ApiError, CaseSummary } from '../../core/api';
import { useApp } from '../context/app-context';
import { toApiError } from '../transport/errors';

const RUNNING_POLL_MS = 250;
// 'idle' means the worker has not picked the case up yet; check back, but less eagerly.
const IDLE_POLL_MS = 1000;
const RETRY_MS = 2000;

export interface CaseSummaryState {
  summary: CaseSummary | null;
  error: ApiError | null;
  /** Replaces the summary with one from an action (cancel, re-index); polling follows its state. */
  update(summary: CaseSummary): void;
}

/** case.get for one case, polled while its ingest is under way. */
export function useCaseSummary(caseId: string): CaseSummaryState {
  const { api } = useApp();
  const [summary, setSummary] = useState<CaseSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // Bumped after every answer, so that each answer schedules the next poll.
  const [answers, setAnswers] = useState(0);

  const current = summary?.caseId === caseId ? summary : null;
  const state = current?.progress.state ?? null;
  const settled = state === 'done' || state === 'failed' || state === 'cancelled';
  // A missing case or a refused token will not heal by asking again.
  const hopeless = error !== null && error.code !== 'internal';

  useEffect(() => {
    if (settled || hopeless) return;
    let stopped = false;
    const delay =
      answers === 0 ? 0 : error ? RETRY_MS : state === 'running' ? RUNNING_POLL_MS : IDLE_POLL_MS;
    const timer = setTimeout(() => {
      api.call('case.get', { caseId }).then(
        (next) => {
          if (stopped) return;
          setSummary(next);
          setError(null);
          setAnswers((n) => n + 1);
        },
        (reason: unknown) => {
          if (stopped) return;
          setError(toApiError(reason));
          setAnswers((n) => n + 1);
        },
      );
    }, delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, caseId, answers, settled, hopeless, state, error]);

  useEffect(() => {
    setError(null);
    setAnswers(0);
  }, [caseId]);

  const update = useCallback((next: CaseSummary) => {
    setSummary(next);
    setError(null);
  }, []);
  return { summary: current, error, update };
}
