import type { ProfileFinding, ProfileLink } from '../../../core/domain/profile/contract';
import { ErrorLine } from '../../components/ErrorLine';
import { useApp } from '../../context/app-context';
import { useQuery } from '../../hooks/use-query';
import { exactValue, formatValue } from './values';

/**
 * What the case's profiles point at (goroutine leaks and pile-ups, memory growth, what holds the
 * memory, the hottest CPU functions), each with its stack and numbers and a button that opens the
 * view that shows it: the goroutine groups, the comparison, the flame graph searched for the function.
 */
export function ProfileFindings({ caseId, onOpen }: { caseId: string; onOpen(link: ProfileLink): void }) {
  const { api } = useApp();
  const { data, error } = useQuery(`${caseId}/profile-findings`, () => api.call('profile.findings', { caseId }));
  if (error) return <ErrorLine error={error} />;
  if (!data || data.findings.length === 0) return null;
  return (
    <details className="profile-findings" open>
      <summary>
        Findings <span className="findings-count">{data.findings.length}</span>
      </summary>
      <ol className="findings-list">
        {data.findings.map((f, i) => (
          <Finding key={i} finding={f} onOpen={onOpen} />
        ))}
      </ol>
    </details>
  );
}

const OPENS: Record<ProfileLink['tab'], string> = { flame: 'Open the flame graph', top: 'Open the top table', goroutines: 'Open the goroutine groups', compare: 'Open the comparison' };

function Finding({ finding, onOpen }: { finding: ProfileFinding; onOpen(link: ProfileLink): void }) {
  return (
    <li className={`finding finding-${finding.severity}`}>
      <div className="finding-head">
        <span className={`badge badge-${finding.severity === 'error' ? 'bad' : finding.severity === 'warning' ? 'warn' : 'neutral'}`}>{finding.severity}</span>
        <h3 className="finding-title">{finding.title}</h3>
        <button type="button" className="finding-open" onClick={() => onOpen(finding.link)}>
          {OPENS[finding.link.tab]}
        </button>
      </div>
      <p className="finding-explanation">{finding.explanation}</p>
      <p className="finding-values small">
        {finding.evidence.values.map((v) => (
          <span key={v.label} title={exactValue(v.value, v.unit)}>{`${v.label}: ${formatValue(v.value, v.unit)}`}</span>
        ))}
      </p>
      {finding.evidence.frames.length > 0 && <code className="finding-stack small">{finding.evidence.frames.join(' → ')}</code>}
    </li>
  );
}
