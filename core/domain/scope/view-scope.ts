// The scope every view's query is narrowed by: the timeline's range (ns, inclusive at both ends)
// and the filter bar's expression, compiled for the table a query reads.

import { ApiError, type ViewScope } from '../../api/wire';
export { readRange, toTimeRange, type NsRange } from '../../analysis/time-range';
import type { FilterTargetName } from '../tables/contract';
import { compileFilter, FilterError, type CompiledFilter } from '../../filter/language';

export function scopeFilter(scope: ViewScope | undefined): string {
  const filter = scope?.filter;
  if (filter === undefined || filter === null) return '';
  if (typeof filter !== 'string') throw new ApiError('bad-request', 'scope.filter must be a string');
  return filter.trim();
}

/**
 * The filter compiled for a target, or the FilterError that says why it does not read for it: the
 * one place a filter is compiled for a view, a report or the CLI, each saying the fault its own way.
 */
export function compileOrFault(filter: string | undefined, target: FilterTargetName): CompiledFilter | FilterError {
  try {
    return compileFilter(filter, target);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
}

/** The filter compiled for a target; a FilterError becomes a bad-request naming the column. */
export function compileScopeFilter(filter: string, target: FilterTargetName): CompiledFilter {
  const compiled = compileOrFault(filter, target);
  if (compiled instanceof FilterError) throw new ApiError('bad-request', `filter: ${compiled.message}`);
  return compiled;
}

/** Like compileScopeFilter, but a filter that does not read for this target is reported, not thrown. */
export function tryCompileScopeFilter(filter: string, target: FilterTargetName): CompiledFilter | { error: string } {
  const compiled = compileOrFault(filter, target);
  return compiled instanceof FilterError ? { error: compiled.message } : compiled;
}

export function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback;
  return Math.min(max, Math.max(min, n));
}
