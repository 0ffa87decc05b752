import { useState } from 'react';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { formatBytes, formatCount } from '../../format';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { ObjectName } from './ObjectName';
import { PathToRoot } from './PathToRoot';
import { BookmarkButton } from '../../components/BookmarkButton';

/** What holds more than a tenth of the heap, and where it accumulates. */
export function SuspectsTab(props: HeapTabProps) {
  const { api } = useApp();
  const { caseId, sourceId, model } = props;
  const { data, error } = useQuery(`${caseId}/${sourceId}/${model}`, () => api.call('heap.suspects', { caseId, sourceId, model }));
  const [pathOf, setPathOf] = useState<string | null>(null);
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="status-line muted">Loading…</p>;
  if (data.rows.length === 0) return <p className="empty">No single object or class retains more than 10 % of the heap.</p>;
  return (
    <ol className="suspects">
      {data.rows.map((s, i) => (
        <li key={i} className="suspect">
          <h3>
            {/* The share the title names: the holder's when a static field names the suspect. */}
            <span className="suspect-percent">{`${(s.holder && data.heapBytes > 0 ? Math.round((s.holder.retainedBytes / data.heapBytes) * 1000) / 10 : s.percent).toFixed(1)} %`}</span> {s.title}
          </h3>
          {s.holder && (
            <p>
              {`Held by the static field ${s.holder.class}.${s.holder.field}: `}
              <ObjectName object={{ objectId: s.holder.objectId, class: s.holder.objectClass }} />
              {` retains ${formatBytes(s.holder.retainedBytes)}.`}
            </p>
          )}
          <p>
            {`${s.holder ? `Under ${s.class} ${s.objectId}, which r` : 'R'}etains ${formatBytes(s.retainedBytes)} (${formatCount(s.retainedBytes)} bytes). Accumulates in `}
            <ObjectName object={s.accumulation} />
            {` (${formatBytes(s.accumulation.retainedBytes)}).`}
          </p>
          <ol className="accumulation" aria-label="From the suspect down to where the memory accumulates">
            {s.accumulation.path.map((p, j) => (
              <li key={j}>
                <ObjectName object={p} />
                {p.staticField && <span className="muted">{` .${p.staticField}`}</span>}
                <span className="muted">{` ${formatBytes(p.retainedBytes)}`}</span>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => setPathOf(pathOf === s.objectId ? null : s.objectId)} aria-expanded={pathOf === s.objectId}>
            Path from GC root
          </button>{' '}
          <BookmarkButton caseId={caseId} place={{ kind: 'heap-object', sourceId, objectId: s.objectId }} what={`the suspect ${s.objectId}`} />
          {pathOf === s.objectId && <PathToRoot {...props} objectId={s.objectId} />}
        </li>
      ))}
    </ol>
  );
}
