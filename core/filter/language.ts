// The filter language: sysdig-style expressions (`container.name=edge-lb and fd.type=ipv4`,
// `proc.name=haproxy and evt.type in (read, recvfrom)`, `not evt.failed=true`) compiled to a
// parameterised SQL condition.
//
// Contract for callers: compileFilter(expr, target) returns a WHERE condition that refers only to
// the target's table under its alias (events AS e, streams AS s, http_exchanges AS x) and reaches
// other tables through subqueries, plus the values to bind. An empty expression matches all. The
// connection must have the filter's SQL functions (installFilterFunctions; CaseIndex.open and
// openIndexForReading install them). FilterError carries the 1-based column of the fault.

import { compileTree, type CompiledFilter } from './compile';
import { parseFilter } from './parser';
import type { FilterTarget } from './targets';

export { FilterError } from './filter-error';
export { installFilterFunctions } from '../index/sql-functions';
export type { CompiledFilter, SqlParam } from './compile';
export type { FilterTarget } from './targets';
export { FIELDS } from './fields';

export function compileFilter(expr: string | undefined, target: FilterTarget = 'events'): CompiledFilter {
  const tree = expr === undefined ? null : parseFilter(expr);
  if (tree === null) return { where: '1', params: [] };
  return compileTree(tree, target);
}
