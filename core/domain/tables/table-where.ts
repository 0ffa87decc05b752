// The conditions a table's page query is narrowed by, gathered as SQL and parameters: the drill
// context (container, process, thread, directory), the scope's events, a time-range overlap.

import type { SqlParam } from '../../filter/language';
import type { DrillContext } from './contract';
import { compileScopeFilter, type NsRange } from '../scope/view-scope';
import { processActivity } from '../../formats/scap/schema/activity';

export interface Where {
  parts: string[];
  params: SqlParam[];
}

export function where(): Where {
  return { parts: [], params: [] };
}

export function add(w: Where, sql: string, ...params: SqlParam[]): void {
  w.parts.push(sql);
  w.params.push(...params);
}

export function whereSql(w: Where): string {
  return w.parts.length ? w.parts.map((p) => `(${p})`).join(' AND ') : '1';
}

/** Direct children of a directory ("/etc/" → "/etc/passwd", not "/etc/ssl/certs"). */
export function inDirectory(w: Where, column: string, directory: string): void {
  add(w, `substr(${column}, 1, ?) = ? AND instr(substr(${column}, ?), '/') = 0`, directory.length, directory, directory.length + 1);
}

/** Drill context as conditions on a table with container, pid and tid columns under `alias`. */
export function processContext(w: Where, alias: string, drill: DrillContext, columns: { container: string; pid: string; tid: string | null }): void {
  // A leading '+' in a column name keeps the planner from using an index on it.
  const column = (c: string) => (c.startsWith('+') ? `+${alias}.${c.slice(1)}` : `${alias}.${c}`);
  if (drill.containerId !== undefined) add(w, `${column(columns.container)} = ?`, drill.containerId);
  if (drill.pid !== undefined) add(w, `${column(columns.pid)} = ?`, drill.pid);
  if (drill.tid !== undefined && columns.tid) add(w, `${column(columns.tid)} = ?`, drill.tid);
}

/**
 * A row is in the scope when one of its events is: `link` ties an event (alias e) to the row, so
 * that the event store's zone maps make the test a read of the few blocks that may hold it. `activityOnly`: one of its activity events
 * (schema/activity.ts), as sysdig counts a process. `guard`: a cheaper test of the row itself that
 * must hold too, asked first (SQLite does not promise the order of AND's terms; CASE keeps it), so
 * that rows it rules out never pay the events' seek.
 */
export function someEventInScope(w: Where, link: string, range: NsRange | null, filter: string, activityOnly = false, guard?: Where): void {
  const guardSql = guard && guard.parts.length ? whereSql(guard) : null;
  if (!range && !filter) {
    if (guardSql) add(w, guardSql, ...guard!.params);
    return;
  }
  const f = compileScopeFilter(filter, 'events');
  const time = range ? 'AND e.ts >= ? AND e.ts <= ?' : '';
  const activity = activityOnly ? `AND ${processActivity()}` : '';
  const exists = `EXISTS (SELECT 1 FROM events e WHERE ${link} ${time} ${activity} AND (${f.where}))`;
  const params = [...(range ? [range.from, range.to] : []), ...f.params];
  if (guardSql) add(w, `CASE WHEN ${guardSql} THEN ${exists} ELSE 0 END`, ...guard!.params, ...params);
  else add(w, exists, ...params);
}

/** A time-range condition for something that lasts from `first` to `last`: it overlaps the range. */
export function overlaps(w: Where, range: NsRange | null, first: string, last: string): void {
  if (range) add(w, `${first} <= ? AND ${last} >= ?`, range.to, range.from);
}
