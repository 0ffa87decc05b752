import type { DrillStep } from '../view-kit/drill-path';

/** The drill path: each step is a way back up to where it was taken. */
export function Breadcrumb({ path, current, onUp }: { path: readonly DrillStep[]; current: string; onUp(depth: number): void }) {
  return (
    <nav className="breadcrumb" aria-label="Drill path">
      <ol>
        <li>
          {path.length > 0 ? (
            <button type="button" className="crumb" onClick={() => onUp(0)}>
              All
            </button>
          ) : (
            <span className="crumb crumb-here">All</span>
          )}
        </li>
        {path.map((step, i) => (
          <li key={i}>
            {i < path.length - 1 ? (
              <button type="button" className="crumb" onClick={() => onUp(i + 1)}>
                {step.label}
              </button>
            ) : (
              <span className="crumb crumb-here">{step.label}</span>
            )}
          </li>
        ))}
        <li aria-current="page" className="crumb-table">
          {current}
        </li>
      </ol>
    </nav>
  );
}
