import { useState } from 'react';
import { ErrorLine } from '../../components/ErrorLine';
import { useApp } from '../../context/app-context';
import { formatCount } from '../../format';
import { useQuery } from '../../hooks/use-query';

/**
 * Goroutines grouped by identical stack, largest group first: a thousand goroutines parked on one
 * channel are one row, with their states and the longest wait (from a debug=2 dump) and the stack,
 * leaf first, opened on demand.
 */
export function GoroutineGroups({ caseId, sourceId }: { caseId: string; sourceId: number }) {
  const { api } = useApp();
  const { data, error } = useQuery(`${caseId}/${sourceId}/goroutines`, () => api.call('profile.goroutines', { caseId, sourceId }));
  const [open, setOpen] = useState<number | null>(0);
  return (
    <div className="goroutine-groups">
      <ErrorLine error={error} />
      {data && (
        <>
          <p className="muted">{`${formatCount(data.total)} goroutines in ${formatCount(data.groups.length)} groups of identical stacks${data.withStates ? '' : ' (this profile does not say their states: a debug=2 dump does)'}`}</p>
          <div className="table-scroll">
            <table className="data-table goroutine-table">
              <thead>
                <tr>
                  <th className="num">Goroutines</th>
                  {data.withStates && <th>States</th>}
                  {data.withStates && <th className="num">Longest wait</th>}
                  <th>Where (leaf frame)</th>
                </tr>
              </thead>
              <tbody>
                {data.groups.map((g, i) => {
                  const leaf = g.frames.find((f) => !/^runtime\.[a-z]/.test(f.function)) ?? g.frames[0];
                  return [
                    <tr key={`g${i}`} className={open === i ? 'selected' : undefined} onClick={() => setOpen(open === i ? null : i)}>
                      <td className="num">{formatCount(g.count)}</td>
                      {data.withStates && <td>{Object.entries(g.states).map(([s, n]) => `${s}${n === g.count ? '' : ` ×${n}`}`).join(', ')}</td>}
                      {data.withStates && <td className="num">{g.maxWaitMinutes > 0 ? `${g.maxWaitMinutes} min` : ''}</td>}
                      <td className="entry">{leaf ? `${leaf.function} ${baseName(leaf.file)}:${leaf.line}` : '(no frames)'}</td>
                    </tr>,
                    open === i && (
                      <tr key={`s${i}`} className="stack-row">
                        <td colSpan={data.withStates ? 4 : 2}>
                          <ol className="goroutine-stack">
                            {g.frames.map((f, j) => (
                              <li key={j}>
                                <span className="fn">{f.function}</span> <span className="muted">{`${f.file}:${f.line}`}</span>
                              </li>
                            ))}
                          </ol>
                          {g.ids.length > 0 && <p className="muted small">{`goroutines ${g.ids.join(', ')}${g.count > g.ids.length ? ', …' : ''}`}</p>}
                        </td>
                      </tr>
                    ),
                  ];
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

function baseName(file: string): string {
  return file.split('/').pop() ?? file;
}
