import { useState } from 'react';
import type { HistogramRowInfo, HistogramSortColumn } from '../../../core/domain/heap/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { Pager } from '../../components/Pager';
import { SortableHeaderRow, type SortableColumn } from '../../components/SortableHeaderRow';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { formatBytes, formatCount } from '../../format';
import { ClassInstances } from './ClassInstances';
import { MergedPaths } from './MergedPaths';

const PAGE = 100;
const COLUMNS: SortableColumn<HistogramSortColumn>[] = [
  { id: 'class', label: 'Class', numeric: false },
  { id: 'instances', label: 'Instances', numeric: true },
  { id: 'shallow', label: 'Shallow bytes', numeric: true },
  { id: 'retained', label: 'Retained bytes', numeric: true },
];

/**
 * Classes by retained (or shallow) size, a page at a time, narrowed by a part of the class name; a
 * class's row opens its instances and the merged shortest paths from GC roots to them.
 */
export function HistogramTab(props: HeapTabProps) {
  const { caseId, sourceId, model } = props;
  const { api } = useApp();
  const [picked, setPicked] = useState<HistogramRowInfo | null>(null);
  const [sort, setSort] = useState<{ column: HistogramSortColumn; desc: boolean }>({ column: 'retained', desc: true });
  const [offset, setOffset] = useState(0);
  const [contains, setContains] = useState('');
  const key = JSON.stringify([caseId, sourceId, model, sort, offset, contains]);
  const { data, error } = useQuery(key, () => api.call('heap.histogram', { caseId, sourceId, model, sort, classContains: contains, offset, limit: PAGE }));
  if (picked) return <ClassPanel {...props} row={picked} onBack={() => setPicked(null)} />;
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
              <tr key={r.classId + r.class} className="clickable-row" onClick={() => setPicked(r)}>
                <td className="entry">
                  <button type="button" className="class-link" onClick={(e) => (e.stopPropagation(), setPicked(r))} title="Its instances, and the merged paths from GC roots to them">
                    {r.class}
                  </button>
                </td>
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

type ClassPanelView = 'instances' | 'paths';

/** One class of the histogram: its instances, or Eclipse MAT's merged shortest paths to GC roots. */
function ClassPanel(props: HeapTabProps & { row: HistogramRowInfo; onBack(): void }) {
  const { row, onBack } = props;
  const [view, setView] = useState<ClassPanelView>('instances');
  return (
    <div className="class-panel">
      <div className="toolbar">
        <button type="button" onClick={onBack}>
          ‹ All classes
        </button>
        <h2 className="class-panel-name">{row.class}</h2>
        <span className="muted small">{`${formatCount(row.instances)} instances, ${formatBytes(row.shallowBytes)} shallow, ${formatBytes(row.retainedBytes)} retained`}</span>
      </div>
      <div className="segmented" role="group" aria-label="Of this class">
        <button type="button" aria-pressed={view === 'instances'} onClick={() => setView('instances')}>
          Instances
        </button>
        <button type="button" aria-pressed={view === 'paths'} onClick={() => setView('paths')}>
          Merge shortest paths to GC roots
        </button>
      </div>
      {view === 'instances' ? <ClassInstances {...props} classId={row.classId} /> : <MergedPaths {...props} classId={row.classId} />}
    </div>
  );
}
