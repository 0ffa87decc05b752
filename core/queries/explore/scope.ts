// The scope every exploring query is narrowed by: the timeline's range (ns, inclusive at both
// ends) and the filter bar's expression, compiled for the table a query reads.

import { ApiError, type TimeRange, type ViewScope } from '../../api';
import type { FilterTargetName } from '../../api/explore';
import { compileFilter, FilterError, type CompiledFilter } from '../../filter/index';

export interface NsRange {
  from: bigint;
  to: bigint;
}

const DECIMAL = /^-?\d{1,20}$/;

/** A TimeRange from the wire as bigints; null for no range. Throws bad-request for anything else. */
export function readRange(range: TimeRange | null | undefined, what = 'range'): NsRange | null {
  if (range === null || range === undefined) return null;
  if (typeof range !== 'object' || typeof range.from !== 'string' || typeof range.to !== 'string' || !DECIMAL.test(range.from) || !DECIMAL.test(range.to)) {
    throw new ApiError('bad-request', `${what} needs {from, to} as decimal nanosecond strings`);
  }
  const from = BigInt(range.from);
  const to = BigInt(range.to);
  if (to < from) throw new ApiError('bad-request', `${what}: 'to' (${range.to}) is before 'from' (${range.from})`);
  return { from, to };
}

export function toTimeRange(range: NsRange): TimeRange {
  return { from: range.from.toString(), to: range.to.toString() };
}

export function scopeFilter(scope: ViewScope | undefined): string {
  const filter = scope?.filter;
  if (filter === undefined || filter === null) return '';
  if (typeof filter !== 'string') throw new ApiError('bad-request', 'scope.filter must be a string');
  return filter.trim();
}

/** The filter compiled for a target; a FilterError becomes a bad-request naming the column. */
export function compileScopeFilter(filter: string, target: FilterTargetName): CompiledFilter {
  try {
    return compileFilter(filter, target);
  } catch (error) {
    if (error instanceof FilterError) throw new ApiError('bad-request', `filter, column ${error.column}: ${error.message}`);
    throw error;
  }
}

/** Like compileScopeFilter, but a filter that does not read for this target is reported, not thrown. */
export function tryCompileScopeFilter(filter: string, target: FilterTargetName): CompiledFilter | { error: string } {
  try {
    return compileFilter(filter, target);
  } catch (error) {
    if (error instanceof FilterError) return { error: error.message };
    throw error;
  }
}

export function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback;
  return Math.min(max, Math.max(min, n));
}
