// What narrows a report: the filter expression, compiled once per kind of row (events, streams,
// HTTP exchanges) by the filter language, and the time range. A filter that one kind of row cannot
// take (a field it has not got) leaves that kind's sections out, saying why; a filter that no kind
// takes is the user's mistake and is thrown back with its column.

import { FilterError, type FilterTarget, type SqlParam } from '../../filter/language';
import { compileOrFault } from '../scope/view-scope';

export interface Condition {
  where: string;
  params: SqlParam[];
}

export type TargetScope = Condition | { refused: string };

export interface ReportScope {
  filter: string | null;
  range: { from: bigint; to: bigint } | null;
  events: TargetScope;
  streams: TargetScope;
  http: TargetScope;
}

const TARGETS: FilterTarget[] = ['events', 'streams', 'http'];
const MATCH_ALL: Condition = { where: '1', params: [] };

export function compileScope(filter: string | undefined | null, range: { from: bigint; to: bigint } | null): ReportScope {
  const expr = filter?.trim() ? filter.trim() : null;
  if (expr === null) return { filter: null, range, events: MATCH_ALL, streams: MATCH_ALL, http: MATCH_ALL };
  const compiled = {} as Record<FilterTarget, TargetScope>;
  const errors: FilterError[] = [];
  for (const target of TARGETS) {
    const out = compileOrFault(expr, target);
    if (out instanceof FilterError) errors.push(out);
    compiled[target] = out instanceof FilterError ? { refused: out.message } : out;
  }
  if (errors.length === TARGETS.length) {
    // The error that read furthest into the expression says most about what is wrong with it.
    throw errors.reduce((best, e) => (e.column > best.column ? e : best));
  }
  return { filter: expr, range, ...compiled };
}

export function isRefused(scope: TargetScope): scope is { refused: string } {
  return 'refused' in scope;
}

/** Why a section is not in the report: the filter could not be applied to its rows. */
export function omittedBecause(what: string, scope: { refused: string }): string {
  return `Left out: the filter does not apply to ${what} (${scope.refused}).`;
}

/** `column BETWEEN from AND to` for the range, or nothing. */
export function rangeCondition(column: string, range: ReportScope['range']): Condition {
  return range ? { where: `${column} BETWEEN ? AND ?`, params: [range.from, range.to] } : MATCH_ALL;
}

/** A stream's lifetime overlaps the range. */
export function overlapCondition(first: string, last: string, range: ReportScope['range']): Condition {
  return range ? { where: `${first} <= ? AND ${last} >= ?`, params: [range.to, range.from] } : MATCH_ALL;
}

export function and(...conditions: Condition[]): Condition {
  const real = conditions.filter((c) => c.where !== '1');
  if (real.length === 0) return MATCH_ALL;
  return { where: real.map((c) => `(${c.where})`).join(' AND '), params: real.flatMap((c) => c.params) };
}
