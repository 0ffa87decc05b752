import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { formatBytes } from '../../format';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { ObjectName } from './ObjectName';

/** Threads with their stacks and what each frame's locals hold. */
export function ThreadsTab({ caseId, sourceId, model }: HeapTabProps) {
  const { api } = useApp();
  const { data, error } = useQuery(`${caseId}/${sourceId}/${model}`, () => api.call('heap.threads', { caseId, sourceId, model }));
  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="status-line muted">Loading…</p>;
  if (data.rows.length === 0) return <p className="empty">The dump names no threads.</p>;
  return (
    <ul className="threads">
      {data.rows.map((t) => (
        <li key={t.objectId} className={t.outOfMemoryError ? 'thread-oom' : undefined}>
          <details open={t.outOfMemoryError !== null}>
            <summary>
              <span className="thread-name">{t.name === null ? '(unnamed)' : `"${t.name}"`}</span>
              {t.outOfMemoryError && (
                <span className="badge badge-bad" title={t.outOfMemoryError.how === 'thrown' ? 'Its stack is in OutOfMemoryError.<init>: the thread that ran out of memory' : 'One of its frames holds an OutOfMemoryError, or one is reached through this thread (a ThreadLocal of it)'}>
                  {t.outOfMemoryError.how === 'thrown' ? 'threw OutOfMemoryError' : 'holds an OutOfMemoryError'}
                </span>
              )}
              {t.outOfMemoryError?.objectId && <ObjectName object={{ objectId: t.outOfMemoryError.objectId, class: 'java.lang.OutOfMemoryError' }} />}
              <span className="muted">{` retains ${formatBytes(t.retainedBytes)}; its frames hold ${formatBytes(t.localsRetainedBytes)}; ${t.stack.length} frames`}</span>
            </summary>
            <ol className="stack">
              {t.stack.map((f, i) => (
                <li key={i}>
                  <span className="mono">{`at ${f.frame}`}</span>
                  {f.locals.length > 0 && (
                    <ul className="locals">
                      {f.locals.map((l) => (
                        <li key={l.objectId}>
                          holds <ObjectName object={l} /> <span className="muted">{formatBytes(l.retainedBytes)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          </details>
        </li>
      ))}
    </ul>
  );
}
