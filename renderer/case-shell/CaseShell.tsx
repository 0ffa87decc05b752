import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../core/api';
import type { TableId } from '../../core/domain/tables/contract';
import type { TileDrill } from '../../core/domain/overview/contract';
import { ErrorLine } from '../components/ErrorLine';
import { useApp } from '../context/app-context';
import { baseName } from '../format';
import { useCaseSummary } from '../hooks/use-case-summary';
import { useQuery } from '../hooks/use-query';
import { caseRoute, type CasePage } from '../routing/route';
import { toApiError } from '../transport/errors';
import type { CaseContext } from '../view-kit/case-view';
import type { StreamTarget } from '../view-kit/contract';
import { FilterBar, type FilterBarHandle } from '../views/filter/FilterBar';
import { IngestProgress } from '../views/ingest/IngestProgress';
import { httpView, openViewAt, pageOf, streamView, tablesView, viewNamed } from '../views/registry';
import { Timeline } from '../views/timeline/Timeline';
import { CaseHeader } from './CaseHeader';
import { CaseTabs } from './CaseTabs';
import { useCaseKeys } from './use-case-keys';
import { useCaseScope } from './use-case-scope';
import { useDrillPath } from './use-drill-path';
import { useIndexRevision } from './use-revision';
import { TimeDisplayContext, useTimeFormat } from '../context/time-display-context';
import { timeDisplayFor } from '../formatting/time-display';

/**
 * The shell of one case: header, indexing state, the filter bar and the timeline (the scope every
 * view is narrowed by), and a tab per registered view that applies to what the case holds.
 */
export function CaseShell({ caseId, page }: { caseId: string; page: CasePage }) {
  const { api, navigate } = useApp();
  const { summary, error, update } = useCaseSummary(caseId);
  const [reindexing, setReindexing] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const revision = useIndexRevision(summary);
  const shapeQuery = useQuery(summary ? JSON.stringify([caseId, revision]) : null, () => api.call('explore.shape', { caseId }));
  const shape = shapeQuery.data;
  const scoped = useCaseScope();
  const { setFilter } = scoped;
  const filterBar = useRef<FilterBarHandle>(null);
  const [timeFormat, setTimeFormat] = useTimeFormat();
  const timeDisplay = useMemo(() => timeDisplayFor(shape?.span ?? null, shape?.timeDigits ?? 9, timeFormat), [shape?.span?.from, shape?.span?.to, shape?.timeDigits, timeFormat]);
  const open = openViewAt(page);

  useEffect(() => {
    if (summary) document.title = `${baseName(summary.file)} — capscope`;
  }, [summary?.file]);

  const go = useCallback((next: CasePage, { replace }: { replace: boolean }) => navigate(caseRoute(caseId, next), { replace }), [navigate, caseId]);
  const openTable = useCallback((table: TableId) => go(pageOf(tablesView, table), { replace: false }), [go]);
  const openStream = useCallback((target: StreamTarget) => go(pageOf(streamView, target), { replace: false }), [go]);
  const openExchange = useCallback((exchangeId: number) => go(pageOf(httpView, { exchangeId }), { replace: false }), [go]);
  const drillPath = useDrillPath({ openTable, openStream });
  const { clear: clearDrillPath } = drillPath;
  // A stream opened from a view (a finding's evidence, a search hit, an exchange's bytes) is not a
  // step down the tables: Backspace takes it back where it was opened, as the browser's Back does.
  const openedFromView = useRef(false);
  const openStreamFromView = useCallback(
    (target: StreamTarget) => {
      clearDrillPath();
      openedFromView.current = true;
      openStream(target);
    },
    [clearDrillPath, openStream],
  );
  const back = useCallback(() => {
    if (!openedFromView.current) return false;
    openedFromView.current = false;
    history.back();
    return true;
  }, []);
  const openTile = useCallback(
    (drill: TileDrill) => {
      clearDrillPath();
      if ('view' in drill) {
        const view = viewNamed(drill.view);
        if (view?.tab && shape) go(pageOf(view, view.tab.initial(shape)), { replace: false });
      } else {
        if (drill.filter !== undefined) setFilter(drill.filter);
        openTable(drill.table);
      }
    },
    [clearDrillPath, go, shape, setFilter, openTable],
  );

  const focusFilter = useCallback(() => filterBar.current?.focus(), []);
  useCaseKeys({ focusFilter, drillPath, onDrillPath: open.view.onDrillPath === true, back: open.view.tab === null ? back : null });

  const context = useMemo<CaseContext | null>(
    () =>
      summary && shape
        ? { caseId, summary, shape, scope: scoped.scope, revision, pinned: scoped.pinned, togglePin: scoped.togglePin, drillPath, openTile, openTable, openStream: openStreamFromView, openExchange, setRange: scoped.setRange, setFilter }
        : null,
    [caseId, summary, shape, scoped.scope, revision, scoped.pinned, scoped.togglePin, drillPath, openTile, openTable, openStreamFromView, openExchange, scoped.setRange, setFilter],
  );

  if (!summary) {
    return (
      <div className="case-view">
        {error ? (
          <>
            <h1>Case not available</h1>
            <ErrorLine error={error} />
            <button type="button" onClick={() => navigate({ name: 'open' })}>
              Open another file
            </button>
          </>
        ) : (
          <p className="status-line muted">Loading case…</p>
        )}
      </div>
    );
  }

  async function reindex() {
    setReindexing(true);
    setActionError(null);
    try {
      update(await api.call('case.reindex', { caseId }));
    } catch (reason) {
      setActionError(toApiError(reason));
    } finally {
      setReindexing(false);
    }
  }

  // Heap dumps have no activity over time: nothing for the filter bar to narrow.
  const timeless = !!shape && shape.capabilities.length > 0 && shape.capabilities.every((c) => c === 'heap');
  const target = shape && open.view.filterTarget ? open.view.filterTarget(open.params, shape) : null;
  const timed = !!open.view.filterTarget && !!shape?.span;

  return (
    <TimeDisplayContext.Provider value={timeDisplay}>
    <div className="case-view">
      <CaseHeader summary={summary} scope={scoped.scope} onReindex={() => void reindex()} reindexing={reindexing} />
      <ErrorLine error={actionError} />
      <IngestProgress summary={summary} onUpdate={update} />
      {error && <ErrorLine error={`Lost touch with the indexer: ${error.message}`} />}
      {shape?.partial && <p className="partial-note small">Indexing: the views show what has been read so far and fill in as it goes.</p>}
      {!timeless && <FilterBar ref={filterBar} caseId={caseId} applied={scoped.filter} target={target} onApply={setFilter} />}
      {timed && shape?.span && (
        <Timeline
          caseId={caseId}
          span={shape.span}
          filter={scoped.filter}
          range={scoped.range}
          window={scoped.window}
          mainMetric={shape.mainMetric}
          mainLabel={shape.metricLabels[shape.mainMetric]}
          pinned={scoped.pinned.map((metric) => ({ metric, label: shape.metricLabels[metric] }))}
          revision={revision}
          onRangeChange={scoped.setRange}
          onWindowChange={scoped.setWindow}
          onUnpin={scoped.togglePin}
          timeFormat={timeFormat}
          onTimeFormat={setTimeFormat}
        />
      )}
      <ErrorLine error={shapeQuery.error} />
      {context ? <CaseTabs context={context} open={open} go={go} /> : !shapeQuery.error && <p className="status-line muted">Loading…</p>}
    </div>
    </TimeDisplayContext.Provider>
  );
}
