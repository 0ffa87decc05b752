import { useState } from 'react';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { Pager } from '../../components/Pager';
import { formatCount } from '../../format';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { ObjectName } from './ObjectName';

const PAGE = 50;

/** A class's instances, biggest retained size first, a page at a time; each opens in the inspector. */
export function ClassInstances({ caseId, sourceId, model, classId }: HeapTabProps & { classId: string }) {
  const { api } = useApp();
  const [offset, setOffset] = useState(0);
  const key = JSON.stringify([caseId, sourceId, model, classId, offset]);
  const { data, error, loading } = useQuery(key, () => api.call('heap.instances', { caseId, sourceId, model, classId, offset, limit: PAGE }));
  return (
    <div>
      <div className="toolbar">{data && <Pager offset={offset} limit={PAGE} total={data.total} noun={['instance', 'instances']} onOffset={setOffset} />}</div>
      <ErrorLine error={error} />
      {loading && !data && <p className="status-line muted">Reading the dump's object graph (the first time only)…</p>}
      {data && (
        <div className="table-scroll">
          <table className="data-table instances-table" aria-label={`Instances of ${data.class}`}>
            <thead>
              <tr>
                <th>Object</th>
                <th className="num">Shallow bytes</th>
                <th className="num">Retained bytes</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.objectId}>
                  <td>
                    <ObjectName object={r} />
                  </td>
                  <td className="num">{formatCount(r.shallowBytes)}</td>
                  <td className="num">{formatCount(r.retainedBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
