import { useMemo, useState } from 'react';
import type { ProfileInfo, ProfileLink } from '../../../core/domain/profile/contract';
import { ErrorLine } from '../../components/ErrorLine';
import { TabBar, panelId, tabId, type TabSpec } from '../../components/TabBar';
import { useApp } from '../../context/app-context';
import { useQuery } from '../../hooks/use-query';
import { BundleDocuments } from './BundleDocuments';
import { FlameGraph } from './FlameGraph';
import { GoroutineGroups } from './GoroutineGroups';
import { ProfileFindings } from './ProfileFindings';
import { TopTable } from './TopTable';
import { formatValue } from './values';
import './profile.css';

export type ProfileTab = 'flame' | 'top' | 'goroutines' | 'compare' | 'documents';
const PREFIX = 'profile';

/**
 * The Go profiles of a case: pick a profile and a sample type, then its flame graph, its top table
 * (with callers and callees), its goroutine groups (goroutine profiles and dumps), or its comparison
 * with another profile of the same kind (a differential flame graph and a delta top table), or the
 * text documents that came with the profiles in their bundle.
 */
export function ProfileView({ caseId, sourceId, tab, onPlace }: { caseId: string; sourceId: number | null; tab: ProfileTab; onPlace(sourceId: number, tab: ProfileTab): void }) {
  const { api } = useApp();
  const list = useQuery(`${caseId}/profiles`, () => api.call('profile.list', { caseId }));
  const profiles = useMemo(() => (list.data?.profiles ?? []).filter((p) => p.sampleTypes.length > 0), [list.data]);
  const traces = (list.data?.profiles ?? []).filter((p) => p.form === 'trace');
  const documentList = useQuery(`${caseId}/documents`, () => api.call('profile.documents', { caseId }));
  const documents = documentList.data?.documents ?? [];
  const profile = profiles.find((p) => p.sourceId === sourceId) ?? profiles[0];
  // What was picked (or a finding asked for) holds for the profile it was picked for; another
  // profile starts from its own defaults.
  const [picked, setPicked] = useState<{ sourceId: number; sampleType?: string; search?: string } | null>(null);
  const mine = picked && profile && picked.sourceId === profile.sourceId ? picked : null;
  const type = mine?.sampleType ?? profile?.defaultType ?? null;
  const setSampleType = (t: string) => profile && setPicked({ sourceId: profile.sourceId, sampleType: t });
  const others = profiles.filter((p) => profile && p.kind === profile.kind && p.sourceId !== profile.sourceId);
  const [baseId, setBaseId] = useState<number | null>(null);
  const openFinding = (link: ProfileLink) => {
    setPicked({ sourceId: link.sourceId, sampleType: link.sampleType, search: link.search });
    if (link.baseSourceId !== undefined) setBaseId(link.baseSourceId);
    onPlace(link.sourceId, link.tab);
  };
  const base = others.find((p) => p.sourceId === baseId) ?? others[0];

  const isGoroutines = profile?.sampleTypes.some((t) => t.type === 'goroutine') ?? false;
  const tabs: TabSpec<ProfileTab>[] = [
    { id: 'flame', label: 'Flame graph' },
    { id: 'top', label: 'Top' },
    ...(isGoroutines ? [{ id: 'goroutines' as const, label: 'Goroutines' }] : []),
    ...(others.length > 0 ? [{ id: 'compare' as const, label: 'Compare' }] : []),
    ...(documents.length > 0 ? [{ id: 'documents' as const, label: `Documents (${documents.length})` }] : []),
  ];
  const shown = tabs.some((t) => t.id === tab) ? tab : 'flame';
  if (list.error) return <ErrorLine error={list.error} />;
  if (!list.data) return <p className="muted">Reading the profiles…</p>;
  if (!profile || !type) return <p className="muted empty">This case holds no Go profile with samples.</p>;
  return (
    <div className="profile-view">
      <header className="profile-header">
        <label>
          Profile{' '}
          <select className="profile-picker" value={profile.sourceId} onChange={(e) => onPlace(Number(e.target.value), shown)}>
            {profiles.map((p) => (
              <option key={p.sourceId} value={p.sourceId}>{`${p.entry} — ${p.kind}`}</option>
            ))}
          </select>
        </label>
        <label>
          Sample type{' '}
          <select className="sample-type-picker" value={type} onChange={(e) => setSampleType(e.target.value)}>
            {profile.sampleTypes.map((t) => (
              <option key={t.type} value={t.type}>{`${t.type} (${t.unit})`}</option>
            ))}
          </select>
        </label>
        <Facts profile={profile} type={type} />
      </header>
      <ProfileFindings caseId={caseId} onOpen={openFinding} />
      <ErrorLine error={documentList.error} />
      {traces.length > 0 && <p className="muted small">{`Also in the case, recognised but not read: ${traces.map((t) => `${t.entry} (Go execution trace)`).join(', ')}.`}</p>}
      <TabBar<ProfileTab> label="Profile views" idPrefix={PREFIX} tabs={tabs} selected={shown} onSelect={(t) => onPlace(profile.sourceId, t)} />
      <section className="tab-panel" role="tabpanel" id={panelId(PREFIX, shown)} aria-labelledby={tabId(PREFIX, shown)} tabIndex={0}>
        {shown === 'flame' && <Flame caseId={caseId} sourceId={profile.sourceId} sampleType={type} search={mine?.search} />}
        {shown === 'top' && <TopTable caseId={caseId} sourceId={profile.sourceId} sampleType={type} />}
        {shown === 'goroutines' && <GoroutineGroups caseId={caseId} sourceId={profile.sourceId} />}
        {shown === 'documents' && <BundleDocuments caseId={caseId} documents={documents} />}
        {shown === 'compare' && base && (
          <div className="compare">
            <div className="toolbar">
              <label>
                Compare with (base){' '}
                <select className="base-picker" value={base.sourceId} onChange={(e) => setBaseId(Number(e.target.value))}>
                  {others.map((p) => (
                    <option key={p.sourceId} value={p.sourceId}>{`${p.entry} — ${p.kind}`}</option>
                  ))}
                </select>
              </label>
              <span className="muted">{`${profile.entry} minus ${base.entry}, as pprof -diff_base`}</span>
            </div>
            <Flame caseId={caseId} sourceId={profile.sourceId} sampleType={type} baseSourceId={base.sourceId} search={mine?.search} />
            <TopTable caseId={caseId} sourceId={profile.sourceId} sampleType={type} baseSourceId={base.sourceId} />
          </div>
        )}
      </section>
    </div>
  );
}

function Flame({ caseId, sourceId, sampleType, baseSourceId, search }: { caseId: string; sourceId: number; sampleType: string; baseSourceId?: number; search?: string }) {
  const { api } = useApp();
  const { data, error } = useQuery(JSON.stringify([caseId, sourceId, sampleType, baseSourceId]), () => api.call('profile.flame', { caseId, sourceId, sampleType, baseSourceId }));
  return (
    <>
      <ErrorLine error={error} />
      {data && <FlameGraph flame={data} initialSearch={search} />}
    </>
  );
}

function Facts({ profile, type }: { profile: ProfileInfo; type: string }) {
  const unit = profile.sampleTypes.find((t) => t.type === type)?.unit ?? '';
  const facts: [string, string][] = [
    ['total', formatValue(profile.totals[type] ?? 0, unit)],
    ['samples', profile.samples.toLocaleString()],
    ['form', profile.form === 'proto' ? 'profile.proto' : profile.form === 'debug1' ? 'debug=1 text' : 'debug=2 dump'],
  ];
  if (profile.timeNanos) facts.push(['taken', new Date(profile.timeNanos / 1e6).toISOString()]);
  if (profile.durationNanos) facts.push(['duration', formatValue(profile.durationNanos, 'nanoseconds')]);
  if (profile.periodType) facts.push(['period', `${profile.period.toLocaleString()} ${profile.periodType.split('/')[1] ?? ''}`]);
  return (
    <dl className="profile-facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
