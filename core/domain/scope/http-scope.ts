// The HTTP views' scope as SQL over http_exchanges AS x: the filter bar's expression (compiled by
// core/filter for the 'http' target) and the timeline's brush (on the request's first byte).

import { ApiError, type ViewScope } from '../../api/wire';
import { isTimeRange } from '../../api/wire';
import type { SqlParam } from '../../filter/language';
import { compileScopeFilter } from './view-scope';

export interface ScopeSql {
  where: string;
  params: SqlParam[];
}

export function httpScopeSql(scope: ViewScope | undefined): ScopeSql {
  const clauses: string[] = [];
  const params: SqlParam[] = [];
  const filter = scope?.filter;
  if (filter !== undefined && filter !== null && typeof filter !== 'string') throw new ApiError('bad-request', 'scope.filter must be text');
  if (filter && filter.trim()) {
    const compiled = compileScopeFilter(filter, 'http');
    clauses.push(`(${compiled.where})`);
    params.push(...compiled.params);
  }
  const range = scope?.range;
  if (range !== undefined && range !== null) {
    if (!isTimeRange(range)) throw new ApiError('bad-request', 'scope.range must be {from, to}: nanoseconds as decimal strings');
    clauses.push('x.req_ts BETWEEN ? AND ?');
    params.push(BigInt(range.from), BigInt(range.to));
  }
  return { where: clauses.length ? clauses.join(' AND ') : '1', params };
}
