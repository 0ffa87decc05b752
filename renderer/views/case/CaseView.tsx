import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, TimeRange, ViewScope } from '../../../core/api';
import type { MetricId, TileDrill } from '../../../core/domain/overview/contract';
import type { FilterTargetName, RowDrill, TableId } from '../../../core/domain/tables/contract';
import { useApp } from '../../app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { TabBar, panelId, tabId, type TabSpec } from '../../components/TabBar';
import { baseName } from '../../format';
import { useCaseSummary } from '../../hooks/use-case-summary';
import { caseRoute, type CasePage, type CaseTab } from '../../router';
import { toApiError } from '../../transport/errors';
import { FilterBar, type FilterBarHandle } from '../filter/FilterBar';
import { HeapView } from '../heap/HeapView';
import { HttpView } from '../http/HttpView';
import { IngestProgress } from '../ingest/IngestProgress';
import { OverviewView } from '../overview/OverviewView';
import { StreamView } from '../stream/StreamView';
import { Breadcrumb } from '../tables/Breadcrumb';
import type { DrillStep } from '../tables/drill-path';
import { TABLE_LABELS, TablesView, tablesFor } from '../tables/TablesView';
import { Timeline } from '../timeline/Timeline';
import type { StreamTarget } from '../view-contract';
import { CaseHeader } from './CaseHeader';
import { DiagnosticsTab } from './DiagnosticsTab';
import { SourcesTab } from './SourcesTab';
import { useQuery } from '../../hooks/use-query';
import { useIndexRevision } from './use-revision';

const TAB_PREFIX = 'case';

const TABLE_TARGETS: Record<TableId, FilterTargetName> = {
  containers: 'events',
  processes: 'events',
  threads: 'events',
  connections: 'streams',
  files: 'streams',
  directories: 'streams',
  errors: 'events',
  events: 'events',
};

const METRIC_LABELS: Partial<Record<MetricId, string>> = {
  processes: 'Processes',
  containers: 'Containers',
  syscalls: 'System calls',
  findings: 'Findings',
  fileBytesIn: 'File bytes in',
  fileBytesOut: 'File bytes out',
  fileOpenErrors: 'File open errors',
  netBytesIn: 'Net bytes in',
  netBytesOut: 'Net bytes out',
  connectionsIn: 'New inbound connections',
  connectionsOut: 'New outbound connections',
  connectionsFailed: 'Failed connections',
  httpExchanges: 'HTTP exchanges',
  httpErrors: 'HTTP errors',
  execs: 'Executed commands',
  signals: 'Signals',
  syscallErrors: 'System call errors',
  slowSyscalls: 'Slow system calls',
  logWrites: 'Log writes',
};

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/**
 * The shell of one case: header, indexing state, the filter bar and the timeline (the scope every
 * view is narrowed by), the drill path, and a tab per view of the index.
 */
export function CaseView({ caseId, page }: { caseId: string; page: CasePage }) {
  const { api, navigate } = useApp();
  const { summary, error, update } = useCaseSummary(caseId);
  const [reindexing, setReindexing] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const revision = useIndexRevision(summary);
  const shapeQuery = useQuery(summary ? JSON.stringify([caseId, revision]) : null, () => api.call('explore.shape', { caseId }));
  const shape = shapeQuery.data;

  const [filter, setFilter] = useState('');
  const [range, setRange] = useState<TimeRange | null>(null);
  const [window, setWindow] = useState<TimeRange | null>(null);
  const [pinned, setPinned] = useState<MetricId[]>([]);
  const [path, setPath] = useState<DrillStep[]>([]);
  const [restoreSelection, setRestoreSelection] = useState<number | null>(null);
  const [lastTab, setLastTab] = useState<CaseTab>('overview');
  const filterBar = useRef<FilterBarHandle>(null);
  const scope = useMemo<ViewScope>(() => ({ filter, range }), [filter, range]);

  useEffect(() => {
    if (summary) document.title = `${baseName(summary.file)} — capscope`;
  }, [summary?.file]);
  useEffect(() => {
    if (page.tab !== 'stream') setLastTab(page.tab);
  }, [page.tab]);

  const go = useCallback((next: CasePage, replace = false) => navigate(caseRoute(caseId, next), { replace }), [navigate, caseId]);
  const openStream = useCallback(
    (target: StreamTarget) => go({ tab: 'stream', streamId: target.streamId, ...(target.dir !== undefined && target.offset !== undefined ? { dir: target.dir, offset: target.offset } : {}) }),
    [go],
  );

  const up = useCallback(
    (depth: number) => {
      const step = path[depth];
      if (!step) return;
      setPath(path.slice(0, depth));
      setRestoreSelection(step.selected);
      go({ tab: 'tables', table: step.from });
    },
    [path, go],
  );

  const drillDown = useCallback(
    (drill: RowDrill, from: TableId, selected: number) => {
      setPath((p) => [...p, { label: drill.label, from, selected, set: drill.kind === 'table' ? drill.set : {} }]);
      setRestoreSelection(null);
      if (drill.kind === 'table') go({ tab: 'tables', table: drill.next });
      else openStream({ streamId: drill.streamId });
    },
    [go, openStream],
  );

  const tileDrill = useCallback(
    (drill: TileDrill) => {
      setPath([]);
      setRestoreSelection(null);
      if ('view' in drill) go({ tab: drill.view });
      else {
        if (drill.filter !== undefined) setFilter(drill.filter);
        go({ tab: 'tables', table: drill.table });
      }
    },
    [go],
  );

  const togglePin = useCallback((metric: MetricId) => setPinned((p) => (p.includes(metric) ? p.filter((m) => m !== metric) : [...p, metric])), []);
  const onRangeChange = useCallback((next: TimeRange | null) => setRange(next), []);
  const onWindowChange = useCallback((next: TimeRange | null) => setWindow(next), []);

  // Keys that work anywhere on the case page (but not while typing): / and s focus the filter,
  // Backspace goes back up the drill path (from a stream's bytes too).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === '/' || event.key === 's') {
        event.preventDefault();
        filterBar.current?.focus();
      } else if (event.key === 'Backspace' && path.length > 0 && (page.tab === 'tables' || page.tab === 'stream')) {
        event.preventDefault();
        up(path.length - 1);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [path, page.tab, up]);

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

  const scap = shape?.formats.includes('scap') ?? false;
  const tables = shape ? tablesFor(shape) : [];
  const hasHttp = !!shape && (shape.streams > 0 || shape.httpExchanges > 0);
  const heapSources = shape?.heapSourceIds ?? [];
  const heapOnly = !!shape && shape.formats.length > 0 && shape.formats.every((f) => f === 'hprof');
  const tabs: TabSpec<CaseTab>[] = [
    { id: 'overview', label: 'Overview' },
    ...(tables.length > 0 ? [{ id: 'tables' as const, label: 'Tables' }] : []),
    ...(hasHttp ? [{ id: 'http' as const, label: 'HTTP', count: shape!.httpExchanges }] : []),
    ...(heapSources.length > 0 ? [{ id: 'heap' as const, label: 'Heap', count: heapSources.length }] : []),
    { id: 'sources', label: 'Sources', count: summary.sources.length },
    { id: 'diagnostics', label: 'Diagnostics', count: summary.diagnosticCount },
  ];
  const selectedTab: CaseTab = page.tab === 'stream' ? lastTab : page.tab;
  const target: FilterTargetName | null =
    page.tab === 'overview' ? (scap ? 'events' : 'streams') : page.tab === 'tables' ? TABLE_TARGETS[page.table] : page.tab === 'http' ? 'http' : null;
  const timed = !!shape?.span && (page.tab === 'overview' || page.tab === 'tables' || page.tab === 'http');
  const mainMetric: MetricId = scap ? 'syscalls' : 'netBytesIn';

  function selectTab(next: CaseTab) {
    if (next === 'tables') go({ tab: 'tables', table: tables.includes('processes') ? 'processes' : (tables[0] ?? 'connections') }, true);
    else if (next === 'heap') go({ tab: 'heap', sourceId: null }, true);
    else go({ tab: next } as CasePage, true);
  }

  return (
    <div className="case-view">
      <CaseHeader summary={summary} scope={scope} onReindex={() => void reindex()} reindexing={reindexing} />
      <ErrorLine error={actionError} />
      <IngestProgress summary={summary} onUpdate={update} />
      {error && <ErrorLine error={`Lost touch with the indexer: ${error.message}`} />}
      {shape?.partial && <p className="partial-note small">Indexing: the views show what has been read so far and fill in as it goes.</p>}
      {!heapOnly && <FilterBar ref={filterBar} applied={filter} target={target} onApply={setFilter} />}
      {timed && shape?.span && (
        <Timeline
          caseId={caseId}
          span={shape.span}
          filter={filter}
          range={range}
          window={window}
          mainMetric={mainMetric}
          mainLabel={scap ? 'System calls' : 'Net bytes in'}
          pinned={pinned.map((metric) => ({ metric, label: METRIC_LABELS[metric] ?? metric }))}
          revision={revision}
          onRangeChange={onRangeChange}
          onWindowChange={onWindowChange}
          onUnpin={togglePin}
        />
      )}
      <TabBar label="Case views" idPrefix={TAB_PREFIX} tabs={tabs} selected={selectedTab} onSelect={selectTab} />
      <section
        className="tab-panel"
        role="tabpanel"
        id={panelId(TAB_PREFIX, selectedTab)}
        aria-labelledby={tabId(TAB_PREFIX, selectedTab)}
        // Reachable by Tab even when the panel holds nothing focusable (a plain table).
        tabIndex={0}
      >
        {page.tab === 'overview' && shape && (
          <OverviewView
            caseId={caseId}
            shape={shape}
            scope={scope}
            revision={revision}
            pinned={pinned}
            onTogglePin={togglePin}
            onDrill={tileDrill}
            onOpenStream={openStream}
          />
        )}
        {page.tab === 'tables' && shape && (
          <TablesView
            caseId={caseId}
            shape={shape}
            table={page.table}
            scope={scope}
            revision={revision}
            path={path}
            onTable={(table) => go({ tab: 'tables', table }, true)}
            onDrill={drillDown}
            onUp={up}
            restoreSelection={restoreSelection}
          />
        )}
        {page.tab === 'http' && <HttpView caseId={caseId} scope={scope} revision={revision} onOpenStream={openStream} onRangeChange={onRangeChange} />}
        {page.tab === 'stream' && (
          <>
            {path.length > 0 && (
              <div className="toolbar">
                <Breadcrumb path={path} current="I/O" onUp={up} />
                <span className="muted small">Backspace: back to {TABLE_LABELS[path[path.length - 1]!.from].toLowerCase()}</span>
              </div>
            )}
            <StreamView
              caseId={caseId}
              target={{ streamId: page.streamId, ...(page.dir !== undefined && page.offset !== undefined ? { dir: page.dir, offset: page.offset } : {}) }}
            />
          </>
        )}
        {page.tab === 'heap' &&
          (heapSources.length > 0 ? (
            <HeapView caseId={caseId} sourceId={page.sourceId ?? heapSources[0]!} />
          ) : (
            <p className="muted empty">{shape ? 'This case holds no heap dump.' : 'Loading…'}</p>
          ))}
        {page.tab === 'sources' && (
          <SourcesTab sources={summary.sources} indexing={summary.progress.state === 'running' || summary.progress.state === 'idle'} />
        )}
        {page.tab === 'diagnostics' && <DiagnosticsTab caseId={caseId} sources={summary.sources} diagnosticCount={summary.diagnosticCount} />}
      </section>
    </div>
  );
}
