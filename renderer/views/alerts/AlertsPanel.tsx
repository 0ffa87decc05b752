import { useState } from 'react';
import type { AlertGroup, AlertsResult } from '../../../core/domain/alerts/contract';
import type { TileDrill } from '../../../core/domain/overview/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { useQuery } from '../../hooks/use-query';
import type { StreamTarget } from '../../view-kit/contract';
import { formatCount } from '../../format';
import '../findings/findings.css';
import './alerts.css';

interface AlertsPanelProps {
  caseId: string;
  revision: number;
  onDrill(drill: TileDrill): void;
  onOpenStream(target: StreamTarget): void;
}

/** Rules files the person opened: run over the case instead of the default set until cleared. */
interface OpenedRules {
  names: string[];
  result: AlertsResult | null;
  error: string | null;
}

/**
 * Security alerts from Falco rules, grouped by rule, most severe first: the default rules' (raised
 * at ingest), or rules files opened here and run over the case. Each alert links to its process's
 * events and, where its fd carried I/O, to the stream.
 */
export function AlertsPanel({ caseId, revision, onDrill, onOpenStream }: AlertsPanelProps) {
  const { api } = useApp();
  const [opened, setOpened] = useState<OpenedRules | null>(null);
  const stored = useQuery(JSON.stringify([caseId, revision]), () => api.call('alerts.list', { caseId }));

  async function openRules(files: FileList | null) {
    if (!files || files.length === 0) return;
    const list = [...files].sort((a, b) => a.name.localeCompare(b.name));
    const names = list.map((f) => f.name);
    setOpened({ names, result: null, error: null });
    try {
      const rules = await Promise.all(list.map(async (f) => ({ name: f.name, text: await f.text() })));
      setOpened({ names, result: await api.call('alerts.list', { caseId, rules }), error: null });
    } catch (err) {
      setOpened({ names, result: null, error: err instanceof Error ? err.message : String(err) });
    }
  }

  const result = opened ? opened.result : stored.data;
  const error = opened ? opened.error : stored.error?.message ?? null;
  return (
    <section className="findings-panel alerts-panel" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">
        Security alerts {result && <span className="findings-count">{formatCount(result.total)}</span>}
        <span className="alerts-source muted small">{opened ? `rules: ${opened.names.join(', ')}` : "capscope's default rules"}</span>
        <label className="alerts-open">
          Run Falco rules files…
          <input type="file" multiple accept=".yaml,.yml" onChange={(e) => void openRules(e.target.files)} />
        </label>
        {opened && (
          <button type="button" className="findings-more" onClick={() => setOpened(null)}>
            Default rules
          </button>
        )}
      </h2>
      {error && <ErrorLine error={`Alerts: ${error}`} />}
      {result && result.faults.length > 0 && (
        <ul className="alerts-faults" aria-label="Faults in the rules files">
          {result.faults.map((f, i) => (
            <li key={i}>
              <code>{`${f.file}:${f.line}:${f.column}`}</code> {f.item ? `${f.item}: ` : ''}
              {f.message}
            </li>
          ))}
        </ul>
      )}
      {result && result.groups.length === 0 && <p className="muted">No alerts: no event matched the rules.</p>}
      {result && (
        <ol className="findings-list">
          {result.groups.map((g) => (
            <AlertGroupItem key={g.rule} group={g} onDrill={onDrill} onOpenStream={onOpenStream} />
          ))}
        </ol>
      )}
      {result && result.skipped.length > 0 && (
        <p className="muted small">Not run: {result.skipped.map((s) => `${s.rule} (${s.reason})`).join('; ')}.</p>
      )}
    </section>
  );
}

function AlertGroupItem({ group, onDrill, onOpenStream }: { group: AlertGroup; onDrill: AlertsPanelProps['onDrill']; onOpenStream: AlertsPanelProps['onOpenStream'] }) {
  const severity = ['Emergency', 'Alert', 'Critical', 'Error'].includes(group.priority) ? 'bad' : ['Warning', 'Notice'].includes(group.priority) ? 'warn' : 'neutral';
  return (
    <li className="finding">
      <div className="finding-head">
        <span className={`badge badge-${severity}`}>{group.priority}</span>
        <h3 className="finding-title">{group.rule}</h3>
        <span className="muted small">
          {formatCount(group.count)} {group.count === 1 ? 'alert' : 'alerts'}
          {group.tags.length > 0 && ` · ${group.tags.join(', ')}`}
        </span>
      </div>
      <ul className="alerts-list">
        {group.alerts.map((a) => (
          <li key={a.evtNum}>
            <code className="evidence-excerpt">{a.output}</code>
            {a.pid !== null && (
              <button type="button" className="evidence-link" onClick={() => onDrill({ table: 'events', filter: `proc.pid=${a.pid}` })}>
                process {a.pid}'s events
              </button>
            )}
            {a.streamId !== null && (
              <button type="button" className="evidence-link" onClick={() => onOpenStream({ streamId: a.streamId! })}>
                stream {a.streamId}
              </button>
            )}
            <span className="muted small">evt {a.evtNum}{a.containerId && a.containerId !== 'host' ? ` · container ${a.containerId}` : ''}</span>
          </li>
        ))}
        {group.count > group.alerts.length && <li className="muted small">… and {formatCount(group.count - group.alerts.length)} more (capscope alerts lists every one)</li>}
      </ul>
    </li>
  );
}
