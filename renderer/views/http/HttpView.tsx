import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { useQuery } from '../../hooks/use-query';
import type { RangeSetter, ScopedViewProps } from '../../view-kit/contract';
import { ExchangeDetail } from './ExchangeDetail';
import { ExchangeTable, type SortState } from './ExchangeTable';
import { LatencyChart } from './LatencyChart';
import { formatSpan } from '../../formatting/time-display';
import { useTimeDisplay } from '../../context/time-display-context';
import '../../formatting/bytes.css';
import './http.css';

/** Bars of the latency chart when the exchanges are too many to draw one by one. */
const CHART_BUCKETS = 150;

/** HTTP exchanges: latency over time (brushable), the sortable table, and the selected exchange. */
export function HttpView({
  caseId,
  scope,
  revision,
  onOpenStream,
  onRangeChange,
  onFilter,
  initialExchange,
}: ScopedViewProps & RangeSetter & { onFilter(filter: string): void; initialExchange: number | null }) {
  const { api } = useApp();
  const [sort, setSort] = useState<SortState>({ column: 'time', desc: false });
  const [selected, setSelected] = useState<number | null>(initialExchange);
  const time = useTimeDisplay();
  // Opened at one exchange (a finding's link): select it; its detail brings itself into view.
  useEffect(() => {
    if (initialExchange !== null) setSelected(initialExchange);
  }, [initialExchange]);
  const scopeKey = JSON.stringify([caseId, scope.filter ?? '', scope.range ?? null, revision]);
  const latency = useQuery(scopeKey, () => api.call('http.latency', { caseId, scope, buckets: CHART_BUCKETS }));
  const table = useRef<HTMLDivElement>(null);
  // The selected exchange's detail is below the table: when its heading is off screen, the page
  // scrolls so the table's top is at the window's, which leaves the selected row in sight and
  // brings the detail up under it (on a short window, just enough to show the heading).
  const keepInView = useCallback((heading: HTMLElement) => {
    const visible = (el: HTMLElement) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    };
    if (visible(heading)) return;
    table.current?.scrollIntoView({ block: 'start' });
    if (!visible(heading)) heading.scrollIntoView({ block: 'nearest' });
  }, []);

  return (
    <div className="http-view">
      <ErrorLine error={latency.error} />
      {scope.range && (
        <p className="range-line">
          {`Time range ${formatSpan(scope.range.from, scope.range.to, time)} `}
          <button type="button" onClick={() => onRangeChange(null)}>
            Clear time range
          </button>
        </p>
      )}
      {latency.data && latency.data.total > 0 && <LatencyChart series={latency.data} onRangeChange={onRangeChange} />}
      {latency.data && latency.data.total === 0 && <p className="empty">No answered HTTP exchange in this scope.</p>}
      <div ref={table}>
        <ExchangeTable caseId={caseId} scope={scope} revision={revision} sort={sort} onSort={setSort} selected={selected} onSelect={setSelected} onFilter={onFilter} />
      </div>
      {selected !== null && <ExchangeDetail caseId={caseId} id={selected} onOpenStream={onOpenStream} reveal={selected === initialExchange} onShown={keepInView} />}
    </div>
  );
}
