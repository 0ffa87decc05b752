import { useEffect, useState } from 'react';
import type { ApiError } from '../../../core/api';
import { useApp } from '../../app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { TabBar, panelId, tabId, type TabSpec } from '../../components/TabBar';
import { baseName } from '../../format';
import { useCaseSummary } from '../../hooks/use-case-summary';
import type { CaseTab } from '../../router';
import { toApiError } from '../../transport/errors';
import { IngestProgress } from '../ingest/IngestProgress';
import { CaseHeader } from './CaseHeader';
import { DiagnosticsTab } from './DiagnosticsTab';
import { SourcesTab } from './SourcesTab';

const TAB_PREFIX = 'case';

/** The shell of one case: header, indexing state, and a tab per view of the index. */
export function CaseView({ caseId, tab }: { caseId: string; tab: CaseTab }) {
  const { api, navigate } = useApp();
  const { summary, error, update } = useCaseSummary(caseId);
  const [reindexing, setReindexing] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (summary) document.title = `${baseName(summary.file)} — capscope`;
  }, [summary?.file]);

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
    if (!summary) return;
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

  const tabs: TabSpec<CaseTab>[] = [
    { id: 'sources', label: 'Sources', count: summary.sources.length },
    { id: 'diagnostics', label: 'Diagnostics', count: summary.diagnosticCount },
  ];

  return (
    <div className="case-view">
      <CaseHeader summary={summary} onReindex={() => void reindex()} reindexing={reindexing} />
      <ErrorLine error={actionError} />
      <IngestProgress summary={summary} onUpdate={update} />
      {error && <ErrorLine error={`Lost touch with the indexer: ${error.message}`} />}
      <TabBar
        label="Case views"
        idPrefix={TAB_PREFIX}
        tabs={tabs}
        selected={tab}
        onSelect={(next) => navigate({ name: 'case', caseId, tab: next }, { replace: true })}
      />
      <section
        className="tab-panel"
        role="tabpanel"
        id={panelId(TAB_PREFIX, tab)}
        aria-labelledby={tabId(TAB_PREFIX, tab)}
        // Reachable by Tab even when the panel holds nothing focusable (a plain table).
        tabIndex={0}
      >
        {tab === 'sources' && (
          <SourcesTab
            sources={summary.sources}
            indexing={summary.progress.state === 'running' || summary.progress.state === 'idle'}
          />
        )}
        {tab === 'diagnostics' && (
          <DiagnosticsTab caseId={caseId} sources={summary.sources} diagnosticCount={summary.diagnosticCount} />
        )}
      </section>
    </div>
  );
}
