import { useState } from 'react';
import type { FindingEvidence, FindingRow } from '../../../core/domain/findings/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import type { ScopedViewProps } from '../../view-kit/contract';
import { useQuery } from '../../hooks/use-query';
import './findings.css';
import { formatCount } from '../../format';
import { caseRoute, routeHash } from '../../routing/route';
import { heapView } from '../heap/view';

/** Findings shown before "show all" is pressed: the panel sits on top of the overview. */
const FIRST_PAGE = 5;
const PAGE = 50;

/** What the analyses concluded, worst first, each with links to the bytes it rests on. Nothing when there is nothing. */
export function FindingsPanel({ caseId, scope, revision, onOpenStream }: ScopedViewProps) {
  const { api } = useApp();
  const [limit, setLimit] = useState(FIRST_PAGE);
  const key = JSON.stringify([caseId, scope.filter ?? '', scope.range ?? null, limit, revision]);
  const { data, error } = useQuery(key, () => api.call('findings.list', { caseId, scope, limit, offset: 0 }));

  if (error) {
    return (
      <section className="findings-panel" aria-label="Findings">
        <ErrorLine error={`Findings: ${error.message}`} />
      </section>
    );
  }
  if (!data || data.total === 0) return null;
  return (
    <section className="findings-panel" aria-labelledby="findings-heading">
      <h2 id="findings-heading">
        Findings <span className="findings-count">{formatCount(data.total)}</span>
      </h2>
      <ol className="findings-list">
        {data.rows.map((f) => (
          <FindingItem key={f.id} caseId={caseId} finding={f} onOpenStream={onOpenStream} />
        ))}
      </ol>
      {data.total > data.rows.length && (
        <button type="button" className="findings-more" onClick={() => setLimit(Math.min(data.total, limit < PAGE ? PAGE : limit + PAGE))}>
          {`Show ${Math.min(PAGE, data.total - data.rows.length)} more of ${formatCount(data.total - data.rows.length)}`}
        </button>
      )}
    </section>
  );
}

function FindingItem({ caseId, finding, onOpenStream }: { caseId: string; finding: FindingRow; onOpenStream: ScopedViewProps['onOpenStream'] }) {
  return (
    <li className={`finding finding-${finding.severity}`}>
      <div className="finding-head">
        <span className={`badge badge-${finding.severity === 'error' ? 'bad' : finding.severity === 'warning' ? 'warn' : 'neutral'}`}>{finding.severity}</span>
        <h3 className="finding-title">{finding.title}</h3>
        {finding.exchangeId !== null && <span className="muted small">exchange {finding.exchangeId}</span>}
      </div>
      <p className="finding-explanation">{finding.explanation}</p>
      {finding.heapObject && (
        <p className="finding-evidence">
          <a className="evidence-link" href={routeHash(caseRoute(caseId, { view: heapView.id, rest: heapView.route.write(finding.heapObject) }))}>
            <span className="evidence-where">{`Open ${finding.heapObject.objectId} in the heap view`}</span>
          </a>
        </p>
      )}
      {finding.evidence.length > 0 && (
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
      )}
    </li>
  );
}

function evidenceTarget(e: FindingEvidence) {
  return e.dir === null ? { streamId: e.streamId } : { streamId: e.streamId, dir: e.dir, offset: e.offset };
}

function evidenceWhere(e: FindingEvidence): string {
  if (e.dir === null) return `stream ${e.streamId}`;
  return `stream ${e.streamId}, ${e.dir === 'in' ? 'received' : 'sent'} byte ${formatCount(e.offset)}`;
}
