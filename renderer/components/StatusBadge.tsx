import type { IngestState, Severity, SourceStatus } from '../../core/api';

const LABELS: Record<IngestState | SourceStatus | Severity, string> = {
  idle: 'waiting',
  running: 'indexing',
  done: 'indexed',
  pending: 'pending',
  indexing: 'indexing',
  indexed: 'indexed',
  failed: 'failed',
  cancelled: 'cancelled',
  info: 'info',
  warning: 'warning',
  error: 'error',
};

const TONES: Record<IngestState | SourceStatus | Severity, 'neutral' | 'busy' | 'good' | 'warn' | 'bad'> = {
  idle: 'neutral',
  running: 'busy',
  done: 'good',
  pending: 'neutral',
  indexing: 'busy',
  indexed: 'good',
  failed: 'bad',
  cancelled: 'warn',
  info: 'neutral',
  warning: 'warn',
  error: 'bad',
};

export function StatusBadge({ status }: { status: IngestState | SourceStatus | Severity }) {
  return <span className={`badge badge-${TONES[status]}`}>{LABELS[status]}</span>;
}
