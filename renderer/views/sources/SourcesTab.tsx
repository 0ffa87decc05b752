import type { SourceRow } from '../../../core/api';
import { StatusBadge } from '../../components/StatusBadge';
import { formatBytes, formatCompression, formatDuration, formatExactBytes } from '../../format';

/** One row per piece of evidence in the file: what it is, how it was wrapped, how reading went. */
export function SourcesTab({ sources, indexing }: { sources: readonly SourceRow[]; indexing: boolean }) {
  if (sources.length === 0) {
    return (
      <p className="muted empty">
        {indexing ? 'No evidence found in the file yet.' : 'capscope found no evidence it can read in this file.'}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data-table sources-table">
        <thead>
          <tr>
            <th scope="col">Entry</th>
            <th scope="col">Format</th>
            <th scope="col">Compression</th>
            <th scope="col" className="num">
              Uncompressed
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Parse time
            </th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => (
            <tr key={source.id} data-status={source.status}>
              <td className="mono entry" title={source.entry}>
                {source.entry}
              </td>
              <td>{source.format}</td>
              <td>{formatCompression(source.compression)}</td>
              <td className="num" title={source.bytes === null ? undefined : formatExactBytes(source.bytes)}>
                {formatBytes(source.bytes)}
              </td>
              <td>
                <StatusBadge status={source.status} />
              </td>
              <td className="num">{formatDuration(source.parseMs)}</td>
              <td className="error-cell">{source.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
