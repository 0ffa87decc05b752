import { useCallback, useMemo, useState } from 'react';
import type { TimeRange, ViewScope } from '../../core/api';
import type { MetricId } from '../../core/domain/overview/contract';

/** What narrows every view of a case: the filter bar, the timeline's brush and window, the pinned metrics. */
export interface CaseScopeState {
  scope: ViewScope;
  filter: string;
  setFilter(filter: string): void;
  range: TimeRange | null;
  setRange(range: TimeRange | null): void;
  /** The span the timeline shows (zoomed), which is not a filter on the views. */
  window: TimeRange | null;
  setWindow(window: TimeRange | null): void;
  pinned: readonly MetricId[];
  togglePin(metric: MetricId): void;
}

export function useCaseScope(): CaseScopeState {
  const [filter, setFilter] = useState('');
  const [range, setRange] = useState<TimeRange | null>(null);
  const [window, setWindow] = useState<TimeRange | null>(null);
  const [pinned, setPinned] = useState<MetricId[]>([]);
  const scope = useMemo<ViewScope>(() => ({ filter, range }), [filter, range]);
  const togglePin = useCallback((metric: MetricId) => setPinned((p) => (p.includes(metric) ? p.filter((m) => m !== metric) : [...p, metric])), []);
  return { scope, filter, setFilter, range, setRange, window, setWindow, pinned, togglePin };
}
