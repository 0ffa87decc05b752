import { useState } from 'react';
import type { TopSortColumn } from '../../../core/domain/profile/contract';
import { ErrorLine } from '../../components/ErrorLine';
import { SortableHeaderRow, type SortableColumn } from '../../components/SortableHeaderRow';
import { useApp } from '../../context/app-context';
import { useQuery } from '../../hooks/use-query';
import { Neighbours } from './Neighbours';
import { exactValue, formatValue, percent } from './values';

const COLUMNS: SortableColumn<TopSortColumn>[] = [
  { id: 'flat', label: 'Flat', numeric: true },
  { id: 'cum', label: 'Cum', numeric: true },
  { id: 'function', label: 'Function', numeric: false },
];
const LIMIT = 500;

export interface TopTableProps {
  caseId: string;
  sourceId: number;
  sampleType: string;
  baseSourceId?: number;
}

/**
 * pprof -top as a table: flat, flat %, cum, cum % per function, sortable, narrowed by a regular
 * expression over the function's name; a row opens its callers and callees. With a base profile
 * the values are the changes (pprof -diff_base).
 */
export function TopTable({ caseId, sourceId, sampleType, baseSourceId }: TopTableProps) {
  const { api } = useApp();
  const [sort, setSort] = useState<{ column: TopSortColumn; desc: boolean }>({ column: 'flat', desc: true });
  const [regex, setRegex] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const key = JSON.stringify([caseId, sourceId, sampleType, baseSourceId, sort, regex]);
  const { data, error } = useQuery(key, () => api.call('profile.top', { caseId, sourceId, sampleType, baseSourceId, sort, functionRegex: regex || undefined, limit: LIMIT }));
  const unit = data?.unit ?? '';
  const total = data?.total ?? 0;
  return (
    <div className="profile-top">
      <div className="toolbar">
        <label>
          Function matches{' '}
          <input type="search" className="top-filter" placeholder="regex, e.g. ^main\." value={regex} onChange={(e) => setRegex(e.target.value)} />
        </label>
        {data && (
          <span className="muted">
            {`${data.matched} ${data.matched === 1 ? 'function' : 'functions'}${data.matched > LIMIT ? `, first ${LIMIT} shown` : ''}; ${baseSourceId ? 'change in total' : 'total'} ${formatValue(total, unit)}`}
          </span>
        )}
      </div>
      <ErrorLine error={error} />
      <div className={picked ? 'top-split' : undefined}>
        <div className="table-scroll">
          <table className="data-table top-table">
            <thead>
              <SortableHeaderRow columns={COLUMNS} sort={sort} onSort={setSort} />
            </thead>
            <tbody>
              {data?.rows.map((r) => (
                <tr key={r.function} className={r.function === picked ? 'selected' : undefined} onClick={() => setPicked(r.function === picked ? null : r.function)}>
                  <td className="num" title={exactValue(r.flat, unit)}>
                    {formatValue(r.flat, unit)} <span className="muted">{percent(r.flat, total)}</span>
                  </td>
                  <td className="num" title={exactValue(r.cum, unit)}>
                    {formatValue(r.cum, unit)} <span className="muted">{percent(r.cum, total)}</span>
                  </td>
                  <td className="entry">{r.function}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {picked && <Neighbours caseId={caseId} sourceId={sourceId} sampleType={sampleType} unit={unit} fn={picked} onPick={setPicked} />}
      </div>
    </div>
  );
}
