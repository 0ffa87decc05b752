import type { CaseSummary, ViewScope } from '../../core/api';
import { StatusBadge } from '../components/StatusBadge';
import { baseName, formatBytes, formatCount, formatExactBytes } from '../format';
import { ExportReportButton } from '../views/report/ExportReportButton';

interface CaseHeaderProps {
  summary: CaseSummary;
  /** What the views show now: the report exported from here covers the same. */
  scope: ViewScope;
  onReindex(): void;
  reindexing: boolean;
}

export function CaseHeader({ summary, scope, onReindex, reindexing }: CaseHeaderProps) {
  const running = summary.progress.state === 'running' || summary.progress.state === 'idle';
  return (
    <header className="case-header">
      <div className="case-title">
        <h1>{baseName(summary.file)}</h1>
        <StatusBadge status={summary.progress.state} />
      </div>
      <dl className="case-facts">
        <div>
          <dt>Path</dt>
          <dd className="mono">{summary.file}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd title={formatExactBytes(summary.fileBytes)}>{formatBytes(summary.fileBytes)}</dd>
        </div>
        <div>
          <dt>Sources</dt>
          <dd>{summary.sources.length}</dd>
        </div>
        <div>
          <dt>Diagnostics</dt>
          <dd>{formatCount(summary.diagnosticCount)}</dd>
        </div>
      </dl>
      <div className="case-actions">
        {!running && <ExportReportButton caseId={summary.caseId} scope={scope} />}
        <button type="button" onClick={onReindex} disabled={running || reindexing} title="Read the file again from the start">
          {reindexing ? 'Re-indexing…' : 'Re-index'}
        </button>
      </div>
    </header>
  );
}
