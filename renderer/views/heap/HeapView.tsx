import { useEffect, useState } from 'react';
import type { HeapModel, HeapSummaryInfo } from '../../../core/domain/heap/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { TabBar, panelId, tabId, type TabSpec } from '../../components/TabBar';
import { formatBytes, formatCount } from '../../format';
import { useQuery } from '../../hooks/use-query';
import { DominatorTreeTab } from './DominatorTreeTab';
import { DuplicateStringsTab } from './DuplicateStringsTab';
import { HistogramTab } from './HistogramTab';
import { InspectObject } from './inspect';
import { ObjectInspector } from './ObjectInspector';
import { SuspectsTab } from './SuspectsTab';
import { ThreadsTab } from './ThreadsTab';
import './heap.css';

type HeapTab = 'suspects' | 'histogram' | 'dominators' | 'strings' | 'threads' | 'object';
const TABS: TabSpec<HeapTab>[] = [
  { id: 'suspects', label: 'Leak suspects' },
  { id: 'histogram', label: 'Histogram' },
  { id: 'dominators', label: 'Dominator tree' },
  { id: 'strings', label: 'Duplicate strings' },
  { id: 'threads', label: 'Threads' },
];
const PREFIX = 'heap';

export interface HeapTabProps {
  caseId: string;
  sourceId: number;
  model: HeapModel;
}
/**
 * A Java heap dump: summary, then leak suspects, histogram, dominator tree, duplicate strings,
 * threads, and the object being inspected (named in the address, so a finding can open it): any
 * object named in the view opens there.
 */
export function HeapView({ caseId, sourceId, objectId, onInspect }: { caseId: string; sourceId: number; objectId: string | null; onInspect(objectId: string): void }) {
  const { api } = useApp();
  const [model, setModel] = useState<HeapModel>('jvm');
  const [tab, setTab] = useState<HeapTab>(objectId ? 'object' : 'suspects');
  useEffect(() => {
    if (objectId) setTab('object');
  }, [objectId]);
  const summary = useQuery(`${caseId}/${sourceId}/${model}`, () => api.call('heap.summary', { caseId, sourceId, model }));
  const props: HeapTabProps = { caseId, sourceId, model };
  const tabs = objectId ? [...TABS, { id: 'object' as const, label: `Object ${objectId}` }] : TABS;
  return (
    <InspectObject.Provider
      value={(id) => {
        // The same object again still brings its tab to the front.
        setTab('object');
        onInspect(id);
      }}
    >
    <div className="heap-view">
      <ErrorLine error={summary.error} />
      {summary.data && <SummaryBlock summary={summary.data} model={model} onModel={setModel} />}
      <TabBar<HeapTab> label="Heap views" idPrefix={PREFIX} tabs={tabs} selected={tab === 'object' && !objectId ? 'suspects' : tab} onSelect={setTab} />
      <section className="tab-panel" role="tabpanel" id={panelId(PREFIX, tab)} aria-labelledby={tabId(PREFIX, tab)} tabIndex={0}>
        {tab === 'suspects' && <SuspectsTab {...props} />}
        {tab === 'histogram' && <HistogramTab {...props} />}
        {tab === 'dominators' && <DominatorTreeTab {...props} />}
        {tab === 'strings' && <DuplicateStringsTab {...props} />}
        {tab === 'threads' && <ThreadsTab {...props} />}
        {tab === 'object' && objectId && <ObjectInspector key={objectId} {...props} objectId={objectId} />}
      </section>
    </div>
    </InspectObject.Provider>
  );
}

function SummaryBlock({ summary: s, model, onModel }: { summary: HeapSummaryInfo; model: HeapModel; onModel(m: HeapModel): void }) {
  return (
    <header className="heap-summary">
      <div className="heap-title">
        <h1>{s.entry}</h1>
        <label className="heap-model">
          Sizes{' '}
          <select value={model} onChange={(e) => onModel(e.target.value as HeapModel)}>
            <option value="jvm">as the JVM counts them</option>
            <option value="visualvm">as VisualVM counts them</option>
          </select>
        </label>
      </div>
      {!s.complete && <p className="error-line">The dump ends early: these results cover what came before the end.</p>}
      <dl className="heap-facts">
        <div>
          <dt>heap</dt>
          <dd title={`${formatCount(s.heapBytes)} bytes`}>{formatBytes(s.heapBytes)}</dd>
        </div>
        <div>
          <dt>objects</dt>
          <dd>{formatCount(s.objects)}</dd>
        </div>
        <div>
          <dt>classes</dt>
          <dd>{formatCount(s.classes)}</dd>
        </div>
        <div>
          <dt>GC roots</dt>
          <dd>{`${formatCount(s.gcRoots)} (${formatCount(s.gcRootObjects)} objects)`}</dd>
        </div>
        <div>
          <dt>unreachable</dt>
          <dd title={s.unreachablePolicy}>{`${formatCount(s.unreachableObjects)} objects, ${formatBytes(s.unreachableBytes)}`}</dd>
        </div>
        <div>
          <dt>taken</dt>
          <dd>{s.takenAt ?? 'unknown (the header holds no date)'}</dd>
        </div>
        <div>
          <dt>format</dt>
          <dd>{`${s.format}, ${s.idSize}-byte ids, ${s.vm}`}</dd>
        </div>
      </dl>
      <p className="muted small">{s.modelDescription}</p>
    </header>
  );
}
