import { useState } from 'react';
import type { ApiError, CaseSummary } from '../../../core/api';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes, formatDuration, formatExactBytes, formatRate, formatTimeLeft } from '../../format';
import { useIngestRate } from '../../hooks/use-ingest-rate';
import { toApiError } from '../../transport/errors';

interface IngestProgressProps {
  summary: CaseSummary;
  onUpdate(summary: CaseSummary): void;
}

/** Where the indexing of a case stands: live while it runs, one line once it has ended. */
export function IngestProgress({ summary, onUpdate }: IngestProgressProps) {
  const { api } = useApp();
  const { progress } = summary;
  const rate = useIngestRate(progress);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function cancel() {
    setCancelling(true);
    setError(null);
    try {
      onUpdate(await api.call('case.cancel', { caseId: summary.caseId }));
    } catch (reason) {
      setError(toApiError(reason));
    } finally {
      setCancelling(false);
    }
  }

  const took =
    progress.startedAt !== null && progress.finishedAt !== null ? progress.finishedAt - progress.startedAt : null;

  switch (progress.state) {
    case 'idle':
      return (
        <section className="ingest ingest-idle" aria-label="Indexing">
          <p className="status-line">Waiting for the indexer to start…</p>
        </section>
      );
    case 'running':
      // Standard input still arriving: its size is unknown, so no bar and no time left.
      if (progress.streaming)
        return (
          <section className="ingest ingest-running ingest-streaming" aria-label="Indexing">
            <div className="status-line">
              <span>
                Following standard input: <strong title={formatExactBytes(progress.bytesDone)}>{formatBytes(progress.bytesDone)}</strong>{' '}
                indexed of <span title={formatExactBytes(progress.bytesTotal)}>{formatBytes(progress.bytesTotal)}</span> arrived so far; the
                views refresh as it grows.
              </span>
              <button type="button" onClick={() => void cancel()} disabled={cancelling} title="Stop reading standard input and index what arrived">
                {cancelling ? 'Stopping…' : 'Stop reading'}
              </button>
            </div>
            <dl className="ingest-facts">
              <div>
                <dt>Rate</dt>
                <dd>{rate.bytesPerSecond === null ? 'measuring…' : formatRate(rate.bytesPerSecond)}</dd>
              </div>
              <div className="ingest-entry">
                <dt>Copy</dt>
                <dd>{summary.file}</dd>
              </div>
            </dl>
            <ErrorLine error={error} />
          </section>
        );
      return (
        <section className="ingest ingest-running" aria-label="Indexing">
          <div className="status-line">
            <span>
              Indexing: <strong title={formatExactBytes(progress.bytesDone)}>{formatBytes(progress.bytesDone)}</strong>{' '}
              of <span title={formatExactBytes(progress.bytesTotal)}>{formatBytes(progress.bytesTotal)}</span>
              {progress.bytesTotal > 0 && ` (${Math.floor((progress.bytesDone / progress.bytesTotal) * 100)} %)`}
            </span>
            <button type="button" onClick={() => void cancel()} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          </div>
          <ProgressBar label="Indexing progress" done={progress.bytesDone} total={progress.bytesTotal} />
          <dl className="ingest-facts">
            <div>
              <dt>Rate</dt>
              <dd>{rate.bytesPerSecond === null ? 'measuring…' : formatRate(rate.bytesPerSecond)}</dd>
            </div>
            <div>
              <dt>Time left</dt>
              <dd>{formatTimeLeft(rate.msLeft)}</dd>
            </div>
            <div className="ingest-entry">
              <dt>Reading</dt>
              <dd>{progress.currentEntry ?? '—'}</dd>
            </div>
          </dl>
          <ErrorLine error={error} />
        </section>
      );
    case 'done':
      return (
        <section className="ingest ingest-done" aria-label="Indexing">
          <p className="status-line muted">
            {progress.reused
              ? 'Opened from an earlier index of this file; nothing was re-read.'
              : `Indexed ${formatBytes(progress.bytesTotal)} in ${formatDuration(took)}.`}
          </p>
        </section>
      );
    case 'cancelled':
      return (
        <section className="ingest ingest-cancelled" aria-label="Indexing">
          <p className="status-line">
            Indexing was cancelled after {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)}; what
            was read so far is shown below.
          </p>
        </section>
      );
    case 'failed':
      return (
        <section className="ingest ingest-failed" aria-label="Indexing">
          <p className="status-line">
            Indexing stopped after {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)}; what was
            read before the error is shown below.
          </p>
          <ErrorLine error={progress.error ?? 'The indexer failed without saying why.'} />
        </section>
      );
  }
}
