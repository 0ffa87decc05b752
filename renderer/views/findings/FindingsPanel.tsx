import { useEffect, useRef, useState } from 'react';
import type { FindingEvidence, FindingGroupRow, FindingRow } from '../../../core/domain/findings/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import type { ExchangeOpener, ScopedViewProps } from '../../view-kit/contract';
import { useQuery } from '../../hooks/use-query';
import './findings.css';
import { formatCount } from '../../format';
import { useTimeDisplay } from '../../context/time-display-context';
import { formatInstant, type TimeDisplay } from '../../formatting/time-display';
import { evidenceWhere } from './evidence-where';
import { caseRoute, routeHash } from '../../routing/route';
import { heapView } from '../heap/view';
import { BookmarkButton } from '../../components/BookmarkButton';
import { findingsMemory, MEMBER_PAGE, takeOpened } from './findings-memory';


type PanelProps = ScopedViewProps & ExchangeOpener;

/**
 * What the analyses concluded, worst first, one entry per problem (the report's groups: the same
 * kind, cause and offending bytes), each with how often, when, where and the bytes it rests on;
 * expandable to its members. Nothing when there is nothing.
 */
export function FindingsPanel({ caseId, scope, revision, onOpenStream, onOpenExchange }: PanelProps) {
  const { api } = useApp();
  const key = JSON.stringify([caseId, scope.filter ?? '', scope.range ?? null, revision]);
  const { data, error } = useQuery(key, () => api.call('findings.groups', { caseId, scope }));

  if (error) {
    return (
      <section className="findings-panel" aria-label="Findings">
        <ErrorLine error={`Findings: ${error.message}`} />
      </section>
    );
  }
  if (!data || (data.total === 0 && data.leftOut === 0)) return null;
  return (
    <section className="findings-panel" aria-labelledby="findings-heading">
      <h2 id="findings-heading">
        Findings <span className="findings-count">{formatCount(data.total)}</span>
        {data.groups.length < data.total && <span className="muted small findings-group-count">{`in ${formatCount(data.groups.length)} ${data.groups.length === 1 ? 'group' : 'groups'}`}</span>}
      </h2>
      {data.note && <p className="findings-note small">{data.note}</p>}
      {data.leftOut > 0 && (
        <p className="findings-note small">{`${formatCount(data.leftOut)} ${data.leftOut === 1 ? 'finding is' : 'findings are'} about the whole capture (no one exchange), so left out while a time range or a filter narrows the view.`}</p>
      )}
      <ol className="findings-list">
        {data.groups.map((g) => (
          <FindingGroupItem key={g.key} group={g} caseId={caseId} scopeKey={key} scope={scope} onOpenStream={onOpenStream} onOpenExchange={onOpenExchange} />
        ))}
      </ol>
    </section>
  );
}

interface GroupProps extends ExchangeOpener {
  group: FindingGroupRow;
  caseId: string;
  scope: ScopedViewProps['scope'];
  scopeKey: string;
  onOpenStream: ScopedViewProps['onOpenStream'];
}

function FindingGroupItem({ group, caseId, scope, scopeKey, onOpenStream, onOpenExchange }: GroupProps) {
  const memory = findingsMemory(caseId);
  const [expanded, setExpandedState] = useState(() => memory.expanded.has(group.key));
  const setExpanded = (open: boolean) => {
    if (open) memory.expanded.set(group.key, memory.expanded.get(group.key) ?? MEMBER_PAGE);
    else memory.expanded.delete(group.key);
    setExpandedState(open);
  };
  const item = useRef<HTMLLIElement>(null);
  // Back from the evidence of this group's first finding: it comes back into view.
  useEffect(() => {
    if (takeOpened(caseId, group.key, null)) bringBack(item.current);
  }, [caseId, group.key]);
  const openFirst = (target: Parameters<ScopedViewProps['onOpenStream']>[0]) => {
    memory.opened = { group: group.key, member: null };
    onOpenStream(target);
  };
  const time = useTimeDisplay();
  const f = group.first;
  const many = group.count > 1;
  return (
    <li ref={item} className={`finding finding-${f.severity}`} data-kind={group.kind}>
      <div className="finding-head">
        <SeverityBadge severity={f.severity} />
        <h3 className="finding-title">{group.title}</h3>
        {many && <span className="finding-times" aria-label={`${group.count} times`}>{`× ${formatCount(group.count)}`}</span>}
        {!many && f.exchangeId !== null && <ExchangeLink id={f.exchangeId} onOpenExchange={onOpenExchange} />}
        <BookmarkButton caseId={caseId} place={{ kind: 'finding', findingId: f.id }} what={many ? `the first finding of “${group.title}”` : `the finding “${group.title}”`} />
      </div>
      {group.share && <p className="finding-banner">{shareText(group.share, group.endpoints)}</p>}
      {(many || group.endpoints.length > 0) && <p className="finding-meta small">{metaText(group, time)}</p>}
      <p className="finding-explanation">{f.explanation}</p>
      {f.heapObject && (
        <p className="finding-evidence">
          <a className="evidence-link" href={routeHash(caseRoute(caseId, { view: heapView.id, rest: heapView.route.write(f.heapObject) }))}>
            <span className="evidence-where">{`Open ${f.heapObject.objectId} in the heap view`}</span>
          </a>
        </p>
      )}
      {many && f.exchangeId !== null && (
        <p className="finding-first small">
          {'The first: '}
          <ExchangeLink id={f.exchangeId} onOpenExchange={onOpenExchange} />
        </p>
      )}
      <EvidenceLinks finding={f} onOpenStream={openFirst} />
      {many && (
        <>
          <button type="button" className="finding-expand" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            {expanded ? `Hide the ${formatCount(group.count)}` : `Show all ${formatCount(group.count)}`}
          </button>
          {expanded && <GroupMembers group={group} caseId={caseId} scope={scope} scopeKey={scopeKey} onOpenStream={onOpenStream} onOpenExchange={onOpenExchange} />}
        </>
      )}
    </li>
  );
}

/** The members of a group, a page at a time: each with its exchange and the bytes it points at. */
function GroupMembers({ group, caseId, scope, scopeKey, onOpenStream, onOpenExchange }: GroupProps) {
  const { api } = useApp();
  const memory = findingsMemory(caseId);
  const [limit, setLimitState] = useState(() => memory.expanded.get(group.key) ?? MEMBER_PAGE);
  const setLimit = (n: number) => {
    memory.expanded.set(group.key, n);
    setLimitState(n);
  };
  const { data, error } = useQuery(JSON.stringify([scopeKey, group.key, limit]), () => api.call('findings.list', { caseId, scope, group: group.key, limit, offset: 0 }));
  if (error) return <ErrorLine error={`Findings: ${error.message}`} />;
  if (!data) return <p className="muted small">Loading…</p>;
  return (
    <>
      <ol className="finding-members" aria-label={`The ${formatCount(data.total)} findings of this group`}>
        {data.rows.map((m) => (
          <FindingMember key={m.id} caseId={caseId} group={group.key} id={m.id}>
            {m.exchangeId !== null && <ExchangeLink id={m.exchangeId} onOpenExchange={onOpenExchange} />}
            {!group.sameTitle && <span className="finding-member-title">{m.title}</span>}
            <EvidenceLinks
              finding={m}
              onOpenStream={(target) => {
                memory.opened = { group: group.key, member: m.id };
                onOpenStream(target);
              }}
            />
            <BookmarkButton caseId={caseId} place={{ kind: 'finding', findingId: m.id }} what={`finding ${m.exchangeId !== null ? `of exchange ${m.exchangeId}` : m.id}`} />
          </FindingMember>
        ))}
      </ol>
      {data.total > data.rows.length && (
        <button type="button" className="findings-more" onClick={() => setLimit(limit + MEMBER_PAGE)}>
          {`Show ${Math.min(MEMBER_PAGE, data.total - data.rows.length)} more of ${formatCount(data.total - data.rows.length)}`}
        </button>
      )}
    </>
  );
}

/** A member of an expanded group; the one whose evidence was opened comes back into view on return. */
function FindingMember({ caseId, group, id, children }: { caseId: string; group: string; id: number; children: React.ReactNode }) {
  const item = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (takeOpened(caseId, group, id)) bringBack(item.current);
  }, [caseId, group, id]);
  return (
    <li ref={item} className="finding-member">
      {children}
    </li>
  );
}

/** Scrolls a finding back to the middle of the window and gives its evidence link the keyboard. */
function bringBack(el: HTMLElement | null): void {
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.querySelector<HTMLElement>('.evidence-link')?.focus({ preventScroll: true });
}

function SeverityBadge({ severity }: { severity: FindingRow['severity'] }) {
  return <span className={`badge badge-${severity === 'error' ? 'bad' : severity === 'warning' ? 'warn' : 'neutral'}`}>{severity}</span>;
}

function ExchangeLink({ id, onOpenExchange }: { id: number; onOpenExchange: ExchangeOpener['onOpenExchange'] }) {
  return (
    <button type="button" className="link-button exchange-link" onClick={() => onOpenExchange(id)} title="Open this exchange in the HTTP view">
      {`exchange ${id}`}
    </button>
  );
}

function EvidenceLinks({ finding, onOpenStream }: { finding: FindingRow; onOpenStream: ScopedViewProps['onOpenStream'] }) {
  if (finding.evidence.length === 0) return null;
  return (
    <ul className="finding-evidence" aria-label="Evidence">
      {finding.evidence.map((e, i) => (
        <li key={i}>
          <button type="button" className="evidence-link" onClick={() => onOpenStream(evidenceTarget(e))}>
            <span className="evidence-where">{evidenceWhere(e)}</span>
            <code className="evidence-excerpt">{e.excerpt}</code>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** "49 of 85 responses from 127.0.0.1:8080 were 502 Bad Gateway (57.6 %)". */
export function shareText(share: NonNullable<FindingGroupRow['share']>, endpoints: FindingGroupRow['endpoints']): string {
  const from = endpoints.length === 1 ? ` from ${endpoints[0]!.server}` : ` from these ${endpoints.length} servers`;
  const pct = share.of > 0 ? ` (${((100 * share.count) / share.of).toFixed(1)} %)` : '';
  const status = [share.status, share.reason].filter((p) => p !== null && p !== '').join(' ');
  return `${formatCount(share.count)} of ${formatCount(share.of)} responses${from} ${share.count === 1 ? 'was' : 'were'} ${status}${pct}`;
}

function metaText(group: FindingGroupRow, time: TimeDisplay): string {
  // Absolute times in the case's time base; relative ones from the capture's start (a delta has no row above here).
  const base: TimeDisplay = time.format === 'delta' ? { ...time, format: 'relative' } : time;
  const unit = base.format === 'absolute' ? ' UTC' : ' s';
  const when = group.firstTs === null ? null : group.firstTs === group.lastTs ? `at ${formatInstant(group.firstTs, base)}${unit}` : `first ${formatInstant(group.firstTs, base)}, last ${formatInstant(group.lastTs, base)}${unit}`;
  const where = group.endpoints.length === 0 ? null : `${group.endpoints.length === 1 ? 'endpoint' : 'endpoints'} ${group.endpoints.map((e) => (group.endpoints.length === 1 ? e.server : `${e.server} (${formatCount(e.count)})`)).join(', ')}`;
  return [when, where].filter(Boolean).join(' · ');
}

function evidenceTarget(e: FindingEvidence) {
  return e.dir === null ? { streamId: e.streamId } : { streamId: e.streamId, dir: e.dir, offset: e.offset };
}
