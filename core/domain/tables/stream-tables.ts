// Tables over streams: connections (network sockets and network-capture flows), files (one row
// per fd lifetime that moved bytes) and directories (files grouped by their directory). A
// connection or a file drills into its bytes (the stream view); a directory into its files.

import type Database from 'better-sqlite3';
import type { TableId, TableSort } from './contract';
import { memoized } from '../state-cache/memo';
import { hasSourceWith } from '../case-access/sources-with';
import { compileScopeFilter } from '../scope/view-scope';
import { CONNECTION_SELECT, connectionsInScope, heldConnections } from './connection-list';
import { DIRECTORY_STREAMS, groupDirectories, heldFiles, type DirectoryGroup } from './file-groups';
import { boundedCount, cells, COUNT_CAP, orderBy, pageOfList, type ColumnDef, type PageInput, type TableDef } from './table-def';
import { add, inDirectory, overlaps, processContext, whereSql, where, type Where } from './table-where';
import { containerName } from './container-name';
import { sortNullsLast } from './sql-order';
import { streamIdsReaching } from './stream-window';

// Directory of a path, with its trailing slash: strip every trailing character that is not '/'.
const DIRNAME = "rtrim(s.fd_name, replace(s.fd_name, '/', ''))";

/** The sort of a streams table as an expression over streams s (the columns' aliases are not in scope yet). */
function sortKey(columns: ColumnDef[], sort: TableSort): string {
  orderBy(columns, sort, 's.id');
  const expr: Record<string, string> = {
    id: 's.id', tuple: 'COALESCE(s.tuple, s.fd_name)', name: 's.fd_name', proto: 's.l4proto', role: 's.role', process: 's.proc', pid: 's.pid', fd: 's.fd',
    container: 's.container_id', state: 's.state', bytesOut: 's.bytes_out', bytesIn: 's.bytes_in', ops: 's.chunk_count', first: 's.first_ts', duration: 's.last_ts - s.first_ts',
  };
  const dir = sort.desc ? 'DESC' : 'ASC';
  return `${expr[sort.column] ?? 's.id'} ${dir} NULLS LAST, s.id ${dir}`;
}

/** A page's ids in order first (only the sort key of each candidate is read), then their columns. */
function pageById(db: Database.Database, select: string, w: Where, order: string, offset: number, limit: number): Record<string, unknown>[] {
  const ids = db.prepare(`SELECT s.id FROM streams s WHERE ${whereSql(w)} ORDER BY ${order} LIMIT ? OFFSET ?`).pluck().all(...w.params, limit, offset) as number[];
  if (ids.length === 0) return [];
  const byId = new Map(
    (db.prepare(`${select} WHERE s.id IN (${ids.map(() => '?').join(',')})`).safeIntegers().all(...ids) as Record<string, unknown>[]).map((r) => [Number(r.id), r]),
  );
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

const FEW_FDS = 5000;

function fewFds(db: Database.Database, pid: number): boolean {
  const n = db.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM fds WHERE source_id IN (SELECT id FROM sources) AND pid = ? LIMIT ${FEW_FDS + 1})`).pluck().get(pid) as number;
  return n <= FEW_FDS;
}

/**
 * Whether a page can come from streams held in memory: not with a filter (it compiles to SQL), nor
 * a drill into a directory, nor for a process with few fds, whose streams the SQL path takes from
 * the fds table (its answer is those fds' streams).
 */
function fromMemory(input: PageInput, directoryDrill: boolean): boolean {
  if (input.filter) return false;
  if (input.drill.directory !== undefined && !directoryDrill) return false;
  return input.drill.pid === undefined || !fewFds(input.db, input.drill.pid);
}

function streamScope(input: PageInput, kindCondition: string): Where {
  const w = where();
  add(w, kindCondition);
  processContext(w, 's', input.drill, { container: 'container_id', pid: 'pid', tid: 'tid' });
  // Streams have no index by process; the fds table has one, and names each fd's stream. For a
  // process with few fds that list is the way in; for one with very many (a pid reused all
  // capture long), walking the streams in order finds a page sooner than listing them all.
  if (input.drill.pid !== undefined && fewFds(input.db, input.drill.pid)) {
    add(w, 's.id IN (SELECT f.stream_id FROM fds f WHERE f.source_id IN (SELECT id FROM sources) AND f.pid = ? AND f.stream_id IS NOT NULL)', input.drill.pid);
  }
  if (input.drill.directory !== undefined) inDirectory(w, 's.fd_name', input.drill.directory);
  overlaps(w, input.range, 's.first_ts', 's.last_ts');
  if (input.filter) {
    const f = compileScopeFilter(input.filter, 'streams');
    add(w, f.where, ...f.params);
  }
  return w;
}

const CONNECTION_COLUMNS: ColumnDef[] = [
  { id: 'id', label: 'Stream', kind: 'count', sort: 'id', size: 'narrow', title: 'stream number: the order streams were first seen in' },
  { id: 'tuple', label: 'Connection', kind: 'mono', sort: 'tuple', title: 'client → server', size: 'wide' },
  { id: 'proto', label: 'Proto', kind: 'text', sort: 'proto', size: 'narrow', field: 'fd.l4proto' },
  { id: 'role', label: 'Role', kind: 'text', sort: 'role', title: "whose view: the client's or the server's end" },
  { id: 'process', label: 'Process', kind: 'text', sort: 'process', field: 'proc.name' },
  { id: 'pid', label: 'PID', kind: 'count', sort: 'pid', size: 'narrow', field: 'proc.pid' },
  { id: 'container', label: 'Container', kind: 'text', sort: 'container' },
  { id: 'state', label: 'State', kind: 'state', sort: 'state' },
  { id: 'bytesOut', label: 'Bytes out', kind: 'bytes', sort: 'bytesOut', title: 'sent by this end (network capture: client → server)' },
  { id: 'bytesIn', label: 'Bytes in', kind: 'bytes', sort: 'bytesIn', title: 'received by this end (network capture: server → client)' },
  { id: 'first', label: 'First', kind: 'time', sort: 'first' },
  { id: 'duration', label: 'Duration', kind: 'duration', sort: 'duration' },
];

export const connectionsTable: TableDef = {
  id: 'connections',
  label: 'Connections',
  columns: CONNECTION_COLUMNS,
  filterTarget: 'streams',
  defaultSort: { column: 'id', desc: false },
  page(input) {
    const { db, sort, offset, limit } = input;
    sortKey(CONNECTION_COLUMNS, sort); // a bad column is a bad request on either path
    const held = fromMemory(input, false) ? heldConnections(db) : null;
    let rows: Record<string, unknown>[];
    let counted: { total: number; totalExact: boolean };
    if (held) {
      const all = connectionsInScope(held, input.drill, input.range, sort);
      rows = all.slice(offset, offset + limit);
      counted = all.length > COUNT_CAP ? { total: COUNT_CAP, totalExact: false } : { total: all.length, totalExact: true };
    } else {
      // Network streams through streams_by_source (source, kind), from the index alone: no scan of
      // the file streams (TCP and UDP streams are the ones with a layer-4 protocol).
      const w = streamScope(input, "s.source_id IN (SELECT id FROM sources) AND s.kind IN ('tcp', 'udp')");
      rows = pageById(db, CONNECTION_SELECT, w, sortKey(CONNECTION_COLUMNS, sort), offset, limit);
      counted = boundedCount(db, `SELECT 1 FROM streams s WHERE ${whereSql(w)}`, w.params);
    }
    const { total, totalExact } = counted;
    const processes = hasSourceWith(db, 'syscalls');
    return {
      total,
      totalExact,
      rows: rows.map((r) => ({ key: String(r.id), cells: cells(r, CONNECTION_COLUMNS), drill: { kind: 'stream', label: String(r.tuple ?? `stream ${String(r.id)}`), streamId: Number(r.id) } })),
      // A network capture sees addresses, not processes; its rows are all the client's view.
      ...(processes ? {} : { hidden: ['role', 'process', 'pid', 'container'] }),
    };
  },
};

const FILE_COLUMNS: ColumnDef[] = [
  { id: 'id', label: 'Stream', kind: 'count', sort: 'id', size: 'narrow', title: 'stream number: the order streams were first seen in' },
  { id: 'name', label: 'File', kind: 'mono', sort: 'name', size: 'wide', field: 'fd.name' },
  { id: 'process', label: 'Process', kind: 'text', sort: 'process', field: 'proc.name' },
  { id: 'pid', label: 'PID', kind: 'count', sort: 'pid', field: 'proc.pid' },
  { id: 'fd', label: 'FD', kind: 'count', sort: 'fd', size: 'narrow', field: 'fd.num' },
  { id: 'container', label: 'Container', kind: 'text', sort: 'container' },
  { id: 'bytesIn', label: 'Read', kind: 'bytes', sort: 'bytesIn' },
  { id: 'bytesOut', label: 'Written', kind: 'bytes', sort: 'bytesOut' },
  { id: 'ops', label: 'I/O calls', kind: 'count', sort: 'ops', title: 'read and write calls that moved bytes' },
  { id: 'first', label: 'First', kind: 'time', sort: 'first' },
];

export const filesTable: TableDef = {
  id: 'files',
  label: 'Files',
  columns: FILE_COLUMNS,
  filterTarget: 'streams',
  defaultSort: { column: 'id', desc: false },
  page(input) {
    const { db, sort, offset, limit } = input;
    // Most streams of a syscall capture are files: walking them in id order (no index on kind,
    // hence the '+') stops at the page's last row instead of sorting them all.
    const w = streamScope(input, "+s.kind = 'file'");
    const reach = input.range ? streamIdsReaching(db, 'file', input.range) : null;
    if (reach) add(w, reach.where, ...reach.params);
    const select = `SELECT s.id AS id, s.fd_name AS name, s.proc AS process, s.pid AS pid, s.fd AS fd, ${containerName('s')} AS container,
        s.bytes_in AS bytesIn, s.bytes_out AS bytesOut, s.chunk_count AS ops, s.first_ts AS first FROM streams s`;
    const rows = pageById(db, select, w, sortKey(FILE_COLUMNS, sort), offset, limit);
    const { total, totalExact } = boundedCount(db, `SELECT 1 FROM streams s WHERE ${whereSql(w)}`, w.params);
    return {
      total,
      totalExact,
      rows: rows.map((r) => ({ key: String(r.id), cells: cells(r, FILE_COLUMNS), drill: { kind: 'stream', label: String(r.name ?? `stream ${String(r.id)}`), streamId: Number(r.id) } })),
    };
  },
};

const DIRECTORY_COLUMNS: ColumnDef[] = [
  { id: 'directory', label: 'Directory', kind: 'mono', sort: 'directory', size: 'wide' },
  { id: 'files', label: 'Files', kind: 'count', sort: 'files', title: 'distinct files with I/O' },
  { id: 'opens', label: 'Opens', kind: 'count', sort: 'opens', title: 'fd lifetimes that moved bytes' },
  { id: 'processes', label: 'Processes', kind: 'count', sort: 'processes' },
  { id: 'bytesIn', label: 'Read', kind: 'bytes', sort: 'bytesIn' },
  { id: 'bytesOut', label: 'Written', kind: 'bytes', sort: 'bytesOut' },
  { id: 'first', label: 'First', kind: 'time', sort: 'first' },
];

/** The directories' ORDER BY (orderBy(DIRECTORY_COLUMNS, sort, 'directory')) in memory. */
function sortDirectories(groups: DirectoryGroup[], sort: TableSort): DirectoryGroup[] {
  const column = sort.column as keyof DirectoryGroup;
  // The tie break is the directory itself: rank the groups by it once, then sort by rank.
  const rank = new Map<DirectoryGroup, number>();
  sortNullsLast(groups, (g) => g.directory, () => 0, false).forEach((g, i) => rank.set(g, i));
  return sortNullsLast(groups, (g) => g[column], (g) => rank.get(g)!, sort.desc);
}

export const directoriesTable: TableDef = {
  id: 'directories',
  label: 'Directories',
  columns: DIRECTORY_COLUMNS,
  filterTarget: 'streams',
  defaultSort: { column: 'bytesIn', desc: true },
  page(input) {
    const { db, sort, offset, limit } = input;
    const order = orderBy(DIRECTORY_COLUMNS, sort, 'directory');
    const plain = !input.range && !input.filter && Object.values(input.drill).every((v) => v === undefined);
    const held = fromMemory(input, true) ? heldFiles(db) : null;
    let all: Record<string, unknown>[];
    if (held) {
      const group = () => sortDirectories(groupDirectories(held, input.drill, input.range), sort) as unknown as Record<string, unknown>[];
      all = plain ? memoized(db, `directories:${order}`, group) : group();
    } else {
      // A drilled directory lists itself (its direct files), not its parent's other children. The
      // source and kind come first so that a range walks streams_by_time.
      const w = streamScope({ ...input, drill: { ...input.drill, directory: undefined } }, DIRECTORY_STREAMS);
      if (input.drill.directory !== undefined) add(w, `${DIRNAME} = ?`, input.drill.directory);
      const base = `SELECT ${DIRNAME} AS directory, COUNT(DISTINCT s.fd_name) AS files, COUNT(*) AS opens, COUNT(DISTINCT s.pid) AS processes,
          SUM(s.bytes_in) AS bytesIn, SUM(s.bytes_out) AS bytesOut, MIN(s.first_ts) AS first
        FROM streams s WHERE ${whereSql(w)} GROUP BY 1`;
      all = db.prepare(`${base} ORDER BY ${order}`).safeIntegers().all(...w.params) as Record<string, unknown>[];
    }
    return pageOfList(all, offset, limit, (r) => ({
      key: String(r.directory),
      cells: cells(r, DIRECTORY_COLUMNS),
      drill: { kind: 'table', label: String(r.directory), set: { directory: String(r.directory) }, next: 'files' as TableId },
    }));
  },
};
