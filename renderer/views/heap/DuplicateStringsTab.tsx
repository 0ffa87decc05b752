import { useState } from 'react';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { Pager } from '../../components/Pager';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { formatCount } from '../../format';

const PAGE = 100;

/** Strings held in many copies, by the bytes the extra copies waste. */
export function DuplicateStringsTab({ caseId, sourceId, model }: HeapTabProps) {
  const { api } = useApp();
  const [offset, setOffset] = useState(0);
  const { data, error } = useQuery(JSON.stringify([caseId, sourceId, model, offset]), () => api.call('heap.duplicateStrings', { caseId, sourceId, model, offset, limit: PAGE }));
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="status-line muted">Loading…</p>;
  if (data.total === 0) return <p className="empty">No string is held in more than one copy.</p>;
  return (
    <div>
      <div className="toolbar">
        <Pager offset={offset} limit={PAGE} total={data.total} noun={['string', 'strings']} onOffset={setOffset} />
      </div>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th className="num">Copies</th>
              <th className="num">Wasted bytes</th>
              <th className="num">Length</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r, i) => (
              <tr key={offset + i}>
                <td className="num">{formatCount(r.count)}</td>
                <td className="num">{formatCount(r.wastedBytes)}</td>
                <td className="num">{formatCount(r.length)}</td>
                <td className="string-value mono">{JSON.stringify(r.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
