import { useEffect, useState } from 'react';
import type { ApiError, DiagnosticRow, SourceRow } from '../../../core/api';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { toApiError } from '../../transport/errors';
import { formatCount } from '../../format';

const PAGE_SIZE = 100;

interface DiagnosticsTabProps {
  caseId: string;
  sources: readonly SourceRow[];
  /** From the case summary: when it grows during indexing, the page is fetched again. */
  diagnosticCount: number;
}

/** One line, cut with an ellipsis: the full entry (often a long archive path) is in the tooltip. */
function SourceCell({ entry }: { entry: string | null }) {
  return (
    <td className="mono source-cell" title={entry ?? undefined}>
      {entry ?? '—'}
    </td>
  );
}

/** What the parsers had to say about the bytes, a page at a time, optionally for one source. */
export function DiagnosticsTab({ caseId, sources, diagnosticCount }: DiagnosticsTabProps) {
  const { api } = useApp();
  const [offset, setOffset] = useState(0);
  const [sourceId, setSourceId] = useState<number | null>(null);
  const [page, setPage] = useState<{ total: number; rows: DiagnosticRow[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    const req = { caseId, limit: PAGE_SIZE, offset, ...(sourceId === null ? {} : { sourceId }) };
    api.call('case.diagnostics', req).then(
      (res) => {
        if (!live) return;
        setPage(res);
        setError(null);
      },
      (reason: unknown) => live && setError(toApiError(reason)),
    );
    return () => {
      live = false;
    };
  }, [api, caseId, offset, sourceId, diagnosticCount]);

  const entryOf = new Map(sources.map((s) => [s.id, s.entry]));

  return (
    <div className="diagnostics">
      <div className="toolbar">
        {sources.length > 1 && (
          <label>
            Source{' '}
            <select
              value={sourceId ?? ''}
              onChange={(event) => {
                setSourceId(event.target.value === '' ? null : Number(event.target.value));
                setOffset(0);
              }}
            >
              <option value="">All sources</option>
              {sources.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.entry}
                </option>
              ))}
            </select>
          </label>
        )}
        {page && page.total > 0 && (
          <Pager offset={offset} limit={PAGE_SIZE} total={page.total} noun={['diagnostic', 'diagnostics']} onOffset={setOffset} />
        )}
      </div>
      <ErrorLine error={error} />
      {page && page.total === 0 && <p className="muted empty">No diagnostics: the parsers found nothing to report.</p>}
      {page && page.rows.length > 0 && (
        <div className="table-scroll">
          <table className="data-table diagnostics-table">
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Source</th>
                <th scope="col" className="num">
                  Offset
                </th>
                <th scope="col">Code</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <StatusBadge status={row.severity} />
                  </td>
                  <SourceCell entry={row.sourceId === null ? null : (entryOf.get(row.sourceId) ?? `#${row.sourceId}`)} />
                  <td className="num mono" title={row.offset === null ? undefined : `0x${row.offset.toString(16)}`}>
                    {row.offset === null ? '—' : formatCount(row.offset)}
                  </td>
                  <td className="mono">{row.code}</td>
                  <td className="message">{row.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
