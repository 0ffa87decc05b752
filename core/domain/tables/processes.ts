// Processes (main threads, one row per lifetime) and threads. A process drills into its
// connections, a thread into its events.

import type { TableId } from './contract';
import { boundedCount, cells, orderBy, type ColumnDef, type PageInput, type TableDef } from './table-def';
import { add, processContext, someEventInScope, whereSql, where, type Where } from './table-where';
import { containerName } from './container-name';

/** Per-pid counts shown on a process row stop here ("1000+"). */
const COUNT_CAP = 1000;

/**
 * In scope when one of its events is (the blocks whose zone map holds its pid). A thread is tested by
 * its process's events with the range alone: scanning a busy process's events for one tid costs
 * a scan per row; with a filter its own events must match. Unless asked for the capture's
 * metadata, only activity counts (as sysdig counts processes): unnarrowed, the threads table's
 * count of each thread's activity events says it; narrowed, the events in scope must be activity.
 */
function activeIn(w: Where, alias: string, input: PageInput, tidColumn: string | null): void {
  const { range, filter, metadata } = input;
  // Unless asked for the metadata, the threads table's activity columns first: a cheap test that
  // leaves the events' seek to the threads (or processes) that acted at all, and in the range.
  const guard = where();
  if (!metadata) {
    const time = range ? ' AND a.first_ts <= ? AND a.last_ts >= ?' : '';
    const params = range ? [range.to, range.from] : [];
    if (tidColumn) add(guard, `${alias}.events > 0${time.replaceAll('a.', `${alias}.`)}`, ...params);
    // A process: its pid is one a thread acted under (a list SQLite makes once per query): pids
    // reused by thousands of short lifetimes make a per-row walk of their threads quadratic.
    else if (range) add(guard, `${alias}.pid IN (SELECT a.pid FROM threads a WHERE a.events > 0${time})`, ...params);
    else add(guard, `EXISTS (SELECT 1 FROM threads a WHERE a.source_id = ${alias}.source_id AND a.pid = ${alias}.pid AND a.events > 0)`);
  }
  const tid = tidColumn && filter ? ` AND e.tid = ${alias}.${tidColumn}` : '';
  someEventInScope(w, `e.pid = ${alias}.pid${tid}`, range, filter, !metadata, guard);
}

const PROCESS_COLUMNS: ColumnDef[] = [
  { id: 'pid', label: 'PID', kind: 'count', sort: 'pid', size: 'narrow', field: 'proc.pid' },
  { id: 'name', label: 'Name', kind: 'text', sort: 'name', field: 'proc.name' },
  { id: 'cmdline', label: 'Command line', kind: 'mono', sort: 'cmdline', size: 'wide' },
  { id: 'container', label: 'Container', kind: 'text', sort: 'container' },
  { id: 'uid', label: 'UID', kind: 'count', sort: 'uid', size: 'narrow', field: 'user.uid' },
  // Counted for the rows of the page only: not sortable.
  { id: 'threads', label: 'Threads', kind: 'count', sort: null, title: 'thread lifetimes with this pid during the capture' },
  { id: 'cwd', label: 'Working directory', kind: 'mono', sort: 'cwd' },
  { id: 'exited', label: 'Exited', kind: 'text', sort: 'exited' },
];

export const processesTable: TableDef = {
  id: 'processes',
  label: 'Processes',
  columns: PROCESS_COLUMNS,
  filterTarget: 'events',
  defaultSort: { column: 'pid', desc: false },
  hasMetadata: true,
  page(input) {
    const { db, drill, sort, offset, limit } = input;
    const w = where();
    processContext(w, 'p', drill, { container: 'container_id', pid: 'pid', tid: null });
    activeIn(w, 'p', input, null);
    const page = `SELECT p.id AS id, p.source_id AS source_id, p.pid AS pid, p.comm AS name,
        trim(COALESCE(p.exe, '') || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(p.args)), '')) AS cmdline,
        p.container_id AS container_id, ${containerName('p')} AS container, p.uid AS uid, p.cwd AS cwd, CASE p.exited WHEN 1 THEN 'yes' ELSE '' END AS exited
      FROM processes p WHERE ${whereSql(w)} ORDER BY ${orderBy(PROCESS_COLUMNS, sort, 'id')} LIMIT ? OFFSET ?`;
    const rows = db.prepare(page).all(...w.params, limit, offset) as Record<string, unknown>[];
    // Per-pid counts for the page's rows only, each stopping at a cap: a pid reused thousands of
    // times in one capture must not cost a scan of all its lifetimes per row.
    const capped = (sql: string) => {
      const stmt = db.prepare(`SELECT COUNT(*) FROM (${sql} LIMIT ${COUNT_CAP + 1})`).pluck();
      return (source: unknown, pid: unknown) => {
        const n = stmt.get(source, pid) as number;
        return n > COUNT_CAP ? `${COUNT_CAP}+` : n;
      };
    };
    // As many as the Threads table lists for the process: with activity, unless metadata is shown.
    const threads = capped(`SELECT 1 FROM threads t WHERE t.source_id = ? AND t.pid = ?${input.metadata ? '' : ' AND t.events > 0'}`);
    for (const r of rows) r.threads = threads(r.source_id, r.pid);
    const { total, totalExact } = boundedCount(db, `SELECT 1 FROM processes p WHERE ${whereSql(w)}`, w.params);
    return {
      total,
      totalExact,
      rows: rows.map((r) => ({
        key: String(r.id),
        cells: cells(r, PROCESS_COLUMNS),
        drill: { kind: 'table', label: `${String(r.name ?? '?')} (${String(r.pid)})`, set: { pid: Number(r.pid) }, next: 'connections' as TableId },
      })),
    };
  },
};

const THREAD_COLUMNS: ColumnDef[] = [
  { id: 'tid', label: 'TID', kind: 'count', sort: 'tid', size: 'narrow', field: 'thread.tid' },
  { id: 'pid', label: 'PID', kind: 'count', sort: 'pid', field: 'proc.pid' },
  { id: 'name', label: 'Name', kind: 'text', sort: 'name', field: 'proc.name' },
  { id: 'container', label: 'Container', kind: 'text', sort: 'container' },
  { id: 'uid', label: 'UID', kind: 'count', sort: 'uid', field: 'user.uid' },
  { id: 'main', label: 'Main thread', kind: 'text', sort: 'main' },
  { id: 'exited', label: 'Exited', kind: 'text', sort: 'exited' },
];

export const threadsTable: TableDef = {
  id: 'threads',
  label: 'Threads',
  columns: THREAD_COLUMNS,
  filterTarget: 'events',
  defaultSort: { column: 'tid', desc: false },
  hasMetadata: true,
  page(input) {
    const { db, drill, sort, offset, limit } = input;
    const w = where();
    processContext(w, 't', drill, { container: 'container_id', pid: 'pid', tid: 'tid' });
    activeIn(w, 't', input, 'tid');
    const base = `SELECT t.id AS id, t.tid AS tid, t.pid AS pid, t.comm AS name, ${containerName('t')} AS container, t.uid AS uid,
        CASE WHEN t.tid = t.pid THEN 'yes' ELSE '' END AS main, CASE t.exited WHEN 1 THEN 'yes' ELSE '' END AS exited
      FROM threads t WHERE ${whereSql(w)}`;
    const rows = db.prepare(`${base} ORDER BY ${orderBy(THREAD_COLUMNS, sort, 'id')} LIMIT ? OFFSET ?`).all(...w.params, limit, offset) as Record<string, unknown>[];
    const { total, totalExact } = boundedCount(db, `SELECT 1 FROM threads t WHERE ${whereSql(w)}`, w.params);
    return {
      total,
      totalExact,
      rows: rows.map((r) => ({
        key: String(r.id),
        cells: cells(r, THREAD_COLUMNS),
        drill: { kind: 'table', label: `thread ${String(r.tid)}`, set: { pid: Number(r.pid), tid: Number(r.tid) }, next: 'events' as TableId },
      })),
    };
  },
};
