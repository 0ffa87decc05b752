import { ErrorLine } from '../../components/ErrorLine';
import { useApp } from '../../context/app-context';
import { useQuery } from '../../hooks/use-query';
import { exactValue, formatValue } from './values';

/** A function's callers and callees (pprof's -peek), each with the samples through that call. */
export function Neighbours({ caseId, sourceId, sampleType, unit, fn, onPick }: { caseId: string; sourceId: number; sampleType: string; unit: string; fn: string; onPick(fn: string): void }) {
  const { api } = useApp();
  const { data, error } = useQuery(JSON.stringify([caseId, sourceId, sampleType, fn]), () => api.call('profile.neighbours', { caseId, sourceId, sampleType, function: fn }));
  return (
    <aside className="neighbours" aria-label={`Callers and callees of ${fn}`}>
      <h3>{fn}</h3>
      <ErrorLine error={error} />
      {data && (
        <>
          <p className="muted small">{`flat ${formatValue(data.flat, unit)}, cum ${formatValue(data.cum, unit)}`}</p>
          <NeighbourList title="Called by" rows={data.callers} unit={unit} onPick={onPick} />
          <NeighbourList title="Calls" rows={data.callees} unit={unit} onPick={onPick} />
        </>
      )}
    </aside>
  );
}

function NeighbourList({ title, rows, unit, onPick }: { title: string; rows: { function: string; value: number }[]; unit: string; onPick(fn: string): void }) {
  return (
    <section>
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <p className="muted small">none</p>
      ) : (
        <ul className="neighbour-list">
          {rows.map((r) => (
            <li key={r.function}>
              <button type="button" className="link-button" onClick={() => onPick(r.function)} title={exactValue(r.value, unit)}>
                {r.function}
              </button>{' '}
              <span className="muted">{formatValue(r.value, unit)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
