import { useState } from 'react';
import type { ApiError, ViewScope } from '../../../core/api';
import type { ReportFormat } from '../../../core/domain/report/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { offerDownload } from '../../components/download';

interface ExportReportButtonProps {
  caseId: string;
  /** The filter bar's expression and the timeline's range: the report covers what the views show. */
  scope: ViewScope;
}

/**
 * Export report: the core writes the post-mortem (core/report) and the page offers it as a
 * download. Credentials are masked unless the user unticks the box.
 */
export function ExportReportButton({ caseId, scope }: ExportReportButtonProps) {
  const { api } = useApp();
  const [format, setFormat] = useState<ReportFormat>('html');
  const [redact, setRedact] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const exportReport = async () => {
    setBusy(true);
    setError(null);
    try {
      const report = await api.call('report.export', { caseId, format, redact, scope });
      offerDownload(report.text, report.mediaType, report.fileName);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="export-report">
      <select aria-label="Report format" value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)} disabled={busy}>
        <option value="html">HTML</option>
        <option value="md">Markdown</option>
      </select>{' '}
      <label title="Mask Authorization and Cookie values and token-like parameters">
        <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} disabled={busy} /> mask credentials
      </label>{' '}
      <button type="button" onClick={() => void exportReport()} disabled={busy} title="A post-mortem of what the views show, as one file">
        {busy ? 'Writing report…' : 'Export report'}
      </button>
      <ErrorLine error={error} />
    </span>
  );
}
