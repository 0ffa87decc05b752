// Which findings a view's scope holds, the one rule the findings panel, its count and the overview's
// Findings tile share (so the badge and the tile agree under a brushed range or a filter): a finding
// about one exchange is in scope when its exchange is (its request time in the range, the filter
// read for HTTP exchanges); a finding about no single exchange (an error rate over the whole
// capture) has no time, so it is in scope only while nothing narrows the view.

import type Database from 'better-sqlite3';
import type { ViewScope } from '../../api/wire';
import type { SqlParam } from '../../filter/language';
import { httpScopeSql, type ScopeSql } from '../scope/http-scope';
import { scopeFilter, tryCompileScopeFilter } from '../scope/view-scope';

export interface FindingScope {
  /** SQL over findings AS f. */
  where: string;
  params: SqlParam[];
  /** Why the filter does not narrow the findings (it does not read for HTTP exchanges), or null. */
  filterNote: string | null;
  /** Whether a range or a filter narrows the view (findings about no exchange are then left out). */
  narrowed: boolean;
  /** The same scope over http_exchanges AS x. */
  http: ScopeSql;
}

export function findingScope(scope: ViewScope | undefined): FindingScope {
  const filter = scopeFilter(scope);
  let filterNote: string | null = null;
  let effective: ViewScope = { range: scope?.range ?? null };
  if (filter !== '') {
    const compiled = tryCompileScopeFilter(filter, 'http');
    if ('error' in compiled) filterNote = `Not narrowed by the filter: findings are about HTTP exchanges, and ${compiled.error}`;
    else effective = { ...effective, filter };
  }
  const http = httpScopeSql(effective);
  if (http.where === '1') return { where: '1', params: [], filterNote, narrowed: false, http };
  return {
    where: `(f.exchange_id IS NOT NULL AND EXISTS (SELECT 1 FROM http_exchanges x WHERE x.id = f.exchange_id AND ${http.where}))`,
    params: http.params,
    filterNote,
    narrowed: true,
    http,
  };
}

/** How many findings the scope holds: the findings panel's count and the overview's Findings tile. */
export function countFindingsInScope(db: Database.Database, scope: ViewScope | undefined): { count: number; filterNote: string | null } {
  const s = findingScope(scope);
  return { count: db.prepare(`SELECT count(*) FROM findings f WHERE ${s.where}`).pluck().get(...s.params) as number, filterNote: s.filterNote };
}
