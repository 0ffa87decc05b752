// Every event (as `sysdig -r` lists them) and the errors table (failed calls grouped by call and
// error). The events table sorts by time only: any other order over millions of rows would need
// an index per column. Unfiltered and undrilled, a page of a scap source is found by event number
// where its events are in time order (as libscap writes them; machine.time_ordered records it) and
// numbered from 1, so scrolling to the millionth row costs what the first does.

import type Database from 'better-sqlite3';
import type { TableId, TableSort } from './contract';
import { errorGroupsFromRollup, groupEnds, type ErrorGroup } from './error-groups';
import { compileScopeFilter } from '../scope/view-scope';
import type { SqlParam } from '../../filter/language';
import { selectEventPage } from './event-page';
import { numbersWithin } from '../../analysis/rollup/number-buckets';
import { errnoName } from '../../../common/errno';
import { sourcesWith } from '../case-access/sources-with';
import { containerName } from './container-name';
import { boundedCount, cells, orderBy, type ColumnDef, type PageInput, type TableDef } from './table-def';
import { add, inDirectory, processContext, whereSql, where, type Where } from './table-where';
import { EXIT_EVENT, FAILED_CALL } from '../../formats/scap/schema/event-direction';
import { notMetaEvent } from '../../formats/scap/schema/activity';
import { hiddenNumbers, listedNumber } from './event-numbers';

const EVENT_COLUMNS: ColumnDef[] = [
  { id: 'num', label: 'Num', kind: 'count', sort: null, size: 'narrow', field: 'evt.num' },
  { id: 'time', label: 'Time', kind: 'time', sort: 'time' },
  { id: 'cpu', label: 'CPU', kind: 'count', sort: null, size: 'narrow', field: 'evt.cpu' },
  { id: 'process', label: 'Process', kind: 'text', sort: null, field: 'proc.name' },
  { id: 'pid', label: 'PID', kind: 'count', sort: null, size: 'narrow', field: 'proc.pid' },
  { id: 'tid', label: 'TID', kind: 'count', sort: null, size: 'narrow', field: 'thread.tid' },
  { id: 'dir', label: 'Dir', kind: 'mono', sort: null, size: 'narrow', field: 'evt.dir' },
  { id: 'type', label: 'Type', kind: 'mono', sort: null, field: 'evt.type' },
  { id: 'fd', label: 'FD', kind: 'count', sort: null, size: 'narrow', field: 'fd.num' },
  { id: 'fdName', label: 'FD name', kind: 'mono', sort: null, field: 'fd.name' },
  { id: 'res', label: 'Result', kind: 'mono', sort: null },
  { id: 'latency', label: 'Latency', kind: 'duration', sort: null },
  { id: 'container', label: 'Container', kind: 'text', sort: null, field: 'container.name' },
  { id: 'info', label: 'Arguments', kind: 'mono', sort: null, size: 'wide' },
];

/** Counting narrowed events stops here (a scan of the matches): past it the total is a lower bound. */
const EVENT_COUNT_CAP = 10_000;

const EVENT_VALUES = `e.source_id AS source, e.num AS num, e.ts AS time, e.cpu AS cpu, e.proc AS process, e.pid AS pid, e.tid AS tid, e.dir AS dir,
  e.type AS type, e.fd AS fd, e.fd_name AS fdName, e.res AS res, e.latency AS latency, ${containerName('e')} AS container, e.info AS info`;
const EVENT_SELECT = `SELECT ${EVENT_VALUES} FROM events e`;

function eventScope(input: PageInput): Where {
  const w = where();
  // A process implies its container: with both, only the process's index is worth walking.
  processContext(w, 'e', input.drill, { container: input.drill.pid !== undefined ? '+container_id' : 'container_id', pid: 'pid', tid: 'tid' });
  if (input.drill.syscall !== undefined) add(w, 'e.type = ?', input.drill.syscall);
  if (input.drill.res !== undefined) add(w, `e.res = ? AND ${EXIT_EVENT}`, input.drill.res);
  if (input.drill.directory !== undefined) inDirectory(w, 'e.fd_name', input.drill.directory);
  if (input.range) add(w, 'e.ts >= ? AND e.ts <= ?', input.range.from, input.range.to);
  // sysdig lists no metaevent (procinfo, container records, drops): nor does the table unless asked.
  if (!input.metadata) add(w, notMetaEvent('e'));
  if (input.filter) {
    const f = compileScopeFilter(input.filter, 'events');
    add(w, f.where, ...f.params);
  }
  return w;
}

function eventRow(r: Record<string, unknown>) {
  const res = r.res === null || r.res === undefined ? null : Number(r.res);
  const shown = { ...r, res: res === null ? null : res < 0 ? `${errnoName(res)} (${res})` : String(res) };
  return { key: `${String(r.source)}:${String(r.num)}`, cells: cells(shown, EVENT_COLUMNS), drill: null };
}

/**
 * Whether the events' key order is their time order: one capture's events, not known to be out of
 * time order (machine.time_ordered is 0 only when the ingest saw an event earlier than the one before).
 */
function inKeyOrderByTime(db: Database.Database): boolean {
  const sources = db.prepare('SELECT time_ordered FROM machine WHERE event_count > 0').pluck().all() as (number | null)[];
  return sources.length === 1 && sources[0] !== 0;
}

function onlySyscallSource(db: Database.Database): number | null {
  const ids = sourcesWith(db, 'syscalls');
  return ids.length === 1 ? ids[0]! : null;
}

export const eventsTable: TableDef = {
  id: 'events',
  label: 'System calls',
  columns: EVENT_COLUMNS,
  filterTarget: 'events',
  defaultSort: { column: 'time', desc: false },
  hasMetadata: true,
  page(input) {
    const { db, sort, offset, limit, drill } = input;
    orderBy(EVENT_COLUMNS, sort, 'e.num');
    const dir = sort.desc ? 'DESC' : 'ASC';
    const plain = !input.filter && Object.values(drill).every((v) => v === undefined);
    const source = plain && inKeyOrderByTime(db) ? onlySyscallSource(db) : null;
    const span = source === null ? null : numbersWithin(db, source, input.range);
    if (source !== null && !span) return { rows: [], total: 0, totalExact: true };
    const hidden = span === null ? null : input.metadata ? new Float64Array(0) : hiddenNumbers(db, source!, span);
    if (span !== null && hidden !== null) {
      const total = Number(span.last - span.first + 1n) - hidden.length;
      const start = listedNumber(span, hidden, offset, sort.desc);
      if (start === null) return { rows: [], total, totalExact: true };
      const listed = input.metadata ? '' : `AND ${notMetaEvent('e')}`;
      const rows = db
        .prepare(`${EVENT_SELECT} WHERE e.source_id = ? AND e.num >= ? AND e.num <= ? ${listed} ORDER BY e.num ${dir} LIMIT ?`)
        .safeIntegers()
        .all(source, sort.desc ? span.first : start, sort.desc ? start : span.last, limit) as Record<string, unknown>[];
      return { rows: rows.map(eventRow), total, totalExact: true };
    }
    const w = eventScope(input);
    let rows: Record<string, unknown>[];
    if (sort.column === 'time' && !sort.desc && inKeyOrderByTime(db)) {
      // Time order is key order here: the page planner (event-page.ts) walks the table, or a brushed
      // range's keys, and stops at the page's end when the filter is dense; sparse ones go to SQLite.
      const scoped = eventScope({ ...input, range: null });
      const searchesContent = input.filter ? compileScopeFilter(input.filter, 'events').searchesContent : false;
      rows = selectEventPage(db, { filter: { where: whereSql(scoped), params: scoped.params as SqlParam[], searchesContent }, range: input.range, columns: EVENT_VALUES, limit, offset }).rows;
    } else {
      rows = db
        .prepare(`${EVENT_SELECT} WHERE ${whereSql(w)} ORDER BY e.ts ${dir}, e.source_id ${dir}, e.num ${dir} LIMIT ? OFFSET ?`)
        .safeIntegers()
        .all(...w.params, limit, offset) as Record<string, unknown>[];
    }
    const { total, totalExact } = boundedCount(db, `SELECT 1 FROM events e WHERE ${whereSql(w)}`, w.params, EVENT_COUNT_CAP);
    return { rows: rows.map(eventRow), total, totalExact };
  },
};

const ERROR_COLUMNS: ColumnDef[] = [
  { id: 'type', label: 'System call', kind: 'mono', sort: 'type', field: 'evt.type' },
  { id: 'error', label: 'Error', kind: 'mono', sort: 'res' },
  { id: 'count', label: 'Count', kind: 'count', sort: 'count' },
  { id: 'process', label: 'First by', kind: 'text', sort: 'process', title: 'the process of the first failure' },
  { id: 'first', label: 'First', kind: 'time', sort: 'first' },
  { id: 'last', label: 'Last', kind: 'time', sort: 'last' },
];

/** Groups past this many are not listed (a capture with more distinct call/error pairs is unusual). */
const GROUPS_MAX = 2000;

function compareGroups(sort: TableSort): (a: ErrorGroup, b: ErrorGroup) => number {
  const key = (g: ErrorGroup): string | number | bigint | null =>
    sort.column === 'type' ? g.type : sort.column === 'error' ? g.res : sort.column === 'count' ? g.count : sort.column === 'process' ? g.process : sort.column === 'first' ? g.first : g.last;
  const dir = sort.desc ? -1 : 1;
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === y) return (a.type < b.type ? -1 : a.type > b.type ? 1 : a.res - b.res) * dir;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * dir;
  };
}

export const errorsTable: TableDef = {
  id: 'errors',
  label: 'Errors',
  columns: ERROR_COLUMNS,
  filterTarget: 'events',
  defaultSort: { column: 'count', desc: true },
  page(input) {
    const { db, sort, offset, limit, drill, range } = input;
    if (!ERROR_COLUMNS.some((c) => c.id === sort.column && c.sort)) orderBy(ERROR_COLUMNS, sort, 'type');
    const plain = !input.filter && Object.values(drill).every((v) => v === undefined);
    let groups = plain ? errorGroupsFromRollup(db, range) : null;
    const narrowing = where();
    if (!groups) {
      const w = eventScope(input);
      add(w, FAILED_CALL);
      groups = (
        db
          .prepare(`SELECT e.type AS type, e.res AS res, COUNT(*) AS count FROM events e WHERE ${whereSql(w)} GROUP BY e.type, e.res LIMIT ${GROUPS_MAX}`)
          .all(...w.params) as { type: string; res: number; count: number }[]
      ).map((g) => ({ ...g, first: null, last: null, process: null }));
      const scoped = eventScope({ ...input, range: null });
      narrowing.parts.push(...scoped.parts);
      narrowing.params.push(...scoped.params);
    }
    groups = groups.slice(0, GROUPS_MAX);
    // First and last failures: for every group when they decide the order, else for the page's.
    const byTime = sort.column === 'first' || sort.column === 'last' || sort.column === 'process';
    const ends = (g: ErrorGroup) => groupEnds(db, g, range, { where: whereSql(narrowing), params: narrowing.params });
    if (byTime) groups.forEach(ends);
    groups.sort(compareGroups(sort));
    const page = groups.slice(offset, offset + limit);
    if (!byTime) page.forEach(ends);
    return {
      total: groups.length,
      totalExact: true,
      rows: page.map((g) => {
        const error = `${errnoName(g.res)} (${g.res})`;
        const r = { type: g.type, error, count: g.count, process: g.process, first: g.first, last: g.last };
        return {
          key: `${g.type}:${g.res}`,
          cells: cells(r, ERROR_COLUMNS),
          drill: { kind: 'table', label: `${g.type} ${errnoName(g.res)}`, set: { syscall: g.type, res: g.res }, next: 'events' as TableId },
        };
      }),
    };
  },
};
