import { useState } from 'react';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { Pager } from '../../components/Pager';
import { formatBytes, formatCount } from '../../format';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { ObjectName } from './ObjectName';
import { PathToRoot } from './PathToRoot';

const PAGE = 50;
type Direction = 'outgoing' | 'incoming';

/**
 * One object: its sizes, what makes it a GC root, its path from a GC root, and its outgoing and
 * incoming references (Eclipse MAT's "List objects with outgoing / incoming references"), paged.
 */
export function ObjectInspector(props: HeapTabProps & { objectId: string }) {
  const { caseId, sourceId, model, objectId } = props;
  const { api } = useApp();
  const [direction, setDirection] = useState<Direction>('outgoing');
  const [offset, setOffset] = useState(0);
  const key = JSON.stringify([caseId, sourceId, model, objectId, direction, offset]);
  const { data, error } = useQuery(key, () => api.call('heap.references', { caseId, sourceId, model, objectId, direction, offset, limit: PAGE }));
  const pick = (d: Direction) => {
    setDirection(d);
    setOffset(0);
  };
  return (
    <div className="object-inspector">
      {data && (
        <h2 className="inspected">
          <ObjectName object={data.object} />
          <span className="muted small">{` retains ${formatBytes(data.object.retainedBytes)} (${formatCount(data.object.retainedBytes)} bytes), shallow ${formatCount(data.object.shallowBytes)} bytes`}</span>
        </h2>
      )}
      <h3>Path from GC root</h3>
      <PathToRoot {...props} objectId={objectId} />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="References">
          <button type="button" aria-pressed={direction === 'outgoing'} onClick={() => pick('outgoing')}>
            Outgoing references
          </button>
          <button type="button" aria-pressed={direction === 'incoming'} onClick={() => pick('incoming')}>
            Incoming references
          </button>
        </div>
        {data && <Pager offset={offset} limit={PAGE} total={data.total} noun={['reference', 'references']} onOffset={setOffset} />}
      </div>
      <ErrorLine error={error} />
      {data && data.total === 0 && <p className="muted">{direction === 'outgoing' ? 'It refers to no object.' : 'No object refers to it.'}</p>}
      {data && data.total > 0 && (
        <div className="table-scroll">
          <table className="data-table references-table" aria-label={direction === 'outgoing' ? 'Objects it refers to' : 'Objects that refer to it'}>
            <thead>
              <tr>
                <th>{direction === 'outgoing' ? 'Its field' : 'Their field'}</th>
                <th>Object</th>
                <th className="num">Shallow bytes</th>
                <th className="num">Retained bytes</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r, i) => (
                <tr key={`${offset + i}`}>
                  <td className="mono">{r.field}</td>
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
      {direction === 'incoming' && data?.object.classOf && (
        <p className="muted small">The instances of a class refer to its class object too; they are listed from the histogram (the class's row), not here.</p>
      )}
    </div>
  );
}
