import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { ObjectName } from './ObjectName';
import { formatCount } from '../../format';

/**
 * The shortest path from a GC root to one object, as Eclipse MAT shows it: what makes the first
 * object a root (Java frame of a thread at a line, JNI global, system class, …), then at every step
 * the field, element or static that leads on (the first one asked reads the dump's graph).
 */
export function PathToRoot({ caseId, sourceId, model, objectId }: HeapTabProps & { objectId: string }) {
  const { api } = useApp();
  const { data, error, loading } = useQuery(`${caseId}/${sourceId}/${objectId}`, () => api.call('heap.pathToRoot', { caseId, sourceId, model, objectId }));
  if (error) return <ErrorLine error={error} />;
  if (loading || !data) return <p className="status-line muted">Finding the path from a GC root (the first time reads the dump's object graph)…</p>;
  if (data.path.length === 0) return <p className="muted">No GC root reaches this object.</p>;
  return (
    <div className="root-path-block">
      {data.root && (
        <p className="root-kind">
          <span className="badge badge-neutral">GC root</span> <span>{data.root.label}</span>
          {data.root.kinds.length > 1 && <span className="muted small">{` (also ${data.root.kinds.slice(1).join(', ')})`}</span>}
        </p>
      )}
      <ol className="root-path" aria-label={`Path from a GC root to ${objectId}`}>
        {data.path.map((step, i) => (
          <li key={i}>
            {'elided' in step ? (
              <span className="muted">{`… ${formatCount(step.elided)} more objects …`}</span>
            ) : (
              <>
                {step.field && <span className="path-field mono">{step.field}</span>}
                <ObjectName object={step} />
              </>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
