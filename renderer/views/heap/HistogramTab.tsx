import { useState } from 'react';
import type { HistogramSortColumn } from '../../../core/domain/heap/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { Pager } from '../../components/Pager';
import { SortableHeaderRow, type SortableColumn } from '../../components/SortableHeaderRow';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { formatCount } from '../../format';

const PAGE = 100;
const COLUMNS: SortableColumn<HistogramSortColumn>[] = [
  { id: 'class', label: 'Class', numeric: false },
  { id: 'instances', label: 'Instances', numeric: true },
  { id: 'shallow', label: 'Shallow bytes', numeric: true },
  { id: 'retained', label: 'Retained bytes', numeric: true },
];

/** Classes by retained (or shallow) size, a page at a time, narrowed by a part of the class name. */
export function HistogramTab({ caseId, sourceId, model }: HeapTabProps) {
  const { api } = useApp();
  const [sort, setSort] = useState<{ column: HistogramSortColumn; desc: boolean }>({ column: 'retained', desc: true });
  const [offset, setOffset] = useState(0);
  const [contains, setContains] = useState('');
  const key = JSON.stringify([caseId, sourceId, model, sort, offset, contains]);
  const { data, error } = useQuery(key, () => api.call('heap.histogram', { caseId, sourceId, model, sort, classContains: contains, offset, limit: PAGE }));
  return (
    <div>
      <div className="toolbar">
        <label>
          Class name contains{' '}
          <input
            type="search"
            value={contains}
            onChange={(e) => {
              setContains(e.target.value);
              setOffset(0);
            }}
          />
        </label>
        {data && <Pager offset={offset} limit={PAGE} total={data.total} noun={['class', 'classes']} onOffset={setOffset} />}
      </div>
      <ErrorLine error={error} />
      <div className="table-scroll">
        <table className="data-table histogram-table">
          <thead>
            <SortableHeaderRow
              columns={COLUMNS}
              sort={sort}
              onSort={(next) => {
                setSort(next);
                setOffset(0);
              }}
            />
          </thead>
          <tbody>
            {data?.rows.map((r) => (
              <tr key={r.classId + r.class}>
                <td className="entry">{r.class}</td>
                <td className="num">{formatCount(r.instances)}</td>
                <td className="num">{formatCount(r.shallowBytes)}</td>
                <td className="num">{formatCount(r.retainedBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
