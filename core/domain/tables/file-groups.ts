// The directories table from the file streams held in memory, once per state of the index: a
// brushed range over the 1 GiB syscall capture holds up to 250,000 file streams, and grouping
// them in SQL read each one from the table per brush. Held as columns (names and directories as
// numbers into lists of distinct strings), a brush is one pass over arrays.

import type Database from 'better-sqlite3';
import type { DrillContext } from './contract';
import { heldPerState } from '../state-cache/memo';
import type { NsRange } from '../scope/view-scope';

/** One directories row, with the values the SQL path's GROUP BY gives. */
export interface DirectoryGroup {
  directory: string;
  files: number;
  opens: number;
  processes: number;
  bytesIn: number;
  bytesOut: number;
  first: bigint | null;
}

interface HeldFiles {
  count: number;
  directories: string[];
  directory: Int32Array;
  name: Int32Array;
  containers: string[];
  /** Index into containers, -1 for NULL. */
  container: Int32Array;
  /** NaN for NULL. */
  pid: Float64Array;
  tid: Float64Array;
  bytesIn: Float64Array;
  bytesOut: Float64Array;
  /** 0 for NULL (hasFirst / hasLast tell). */
  first: BigInt64Array;
  last: BigInt64Array;
  hasFirst: Uint8Array;
  hasLast: Uint8Array;
}

/** The file streams the directories table groups (the SQL path's WHERE before the drill and the range). */
export const DIRECTORY_STREAMS = "s.source_id IN (SELECT id FROM sources) AND s.kind = 'file' AND s.fd_name LIKE '/%'";

/** A path's directory with its trailing slash, as SQL's rtrim(name, replace(name, '/', '')) gives it. */
export function directoryOf(name: string): string {
  return name.slice(0, name.lastIndexOf('/') + 1);
}

function intern(list: string[], index: Map<string, number>, value: string): number {
  let i = index.get(value);
  if (i === undefined) {
    i = list.length;
    list.push(value);
    index.set(value, i);
  }
  return i;
}

/** Streams read between two pauses of a sliced load. */
const SLICE_ROWS = 8192;

/**
 * Reads the file streams in id order, SLICE_ROWS at a time (keyset: the next slice starts after
 * the last id read), pausing between slices.
 */
export function* heldFilesSteps(db: Database.Database, sliceRows = SLICE_ROWS): Generator<void, HeldFiles> {
  const count = db.prepare(`SELECT COUNT(*) FROM streams s WHERE ${DIRECTORY_STREAMS}`).pluck().get() as number;
  const held: HeldFiles = {
    count,
    directories: [],
    directory: new Int32Array(count),
    name: new Int32Array(count),
    containers: [],
    container: new Int32Array(count),
    pid: new Float64Array(count),
    tid: new Float64Array(count),
    bytesIn: new Float64Array(count),
    bytesOut: new Float64Array(count),
    first: new BigInt64Array(count),
    last: new BigInt64Array(count),
    hasFirst: new Uint8Array(count),
    hasLast: new Uint8Array(count),
  };
  const directoryIndex = new Map<string, number>();
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const containerIndex = new Map<string, number>();
  // The unary + keeps the planner on the table in id order (an index on kind would not give it).
  const slice = db
    .prepare(
      `SELECT s.id, s.fd_name, s.container_id, s.pid, s.tid, s.bytes_in, s.bytes_out, s.first_ts, s.last_ts FROM streams s
       WHERE s.id > ? AND +s.source_id IN (SELECT id FROM sources) AND +s.kind = 'file' AND s.fd_name LIKE '/%' ORDER BY s.id LIMIT ?`,
    )
    .safeIntegers()
    .raw();
  let i = 0;
  let after = -1n;
  for (;;) {
    const rows = slice.all(after, sliceRows) as [bigint, string, string | null, bigint | null, bigint | null, bigint, bigint, bigint | null, bigint | null][];
    for (const [id, name, container, pid, tid, bytesIn, bytesOut, first, last] of rows) {
      after = id;
      if (i === count) break;
      held.name[i] = intern(names, nameIndex, name);
      held.directory[i] = intern(held.directories, directoryIndex, directoryOf(name));
      held.container[i] = container === null ? -1 : intern(held.containers, containerIndex, container);
      held.pid[i] = pid === null ? NaN : Number(pid);
      held.tid[i] = tid === null ? NaN : Number(tid);
      held.bytesIn[i] = Number(bytesIn);
      held.bytesOut[i] = Number(bytesOut);
      if (first !== null) {
        held.first[i] = first;
        held.hasFirst[i] = 1;
      }
      if (last !== null) {
        held.last[i] = last;
        held.hasLast[i] = 1;
      }
      i++;
    }
    if (rows.length < sliceRows || i === count) break;
    yield;
  }
  held.count = i;
  return held;
}

const held = heldPerState('directories:held-files', (db) => heldFilesSteps(db));

/** Loads the file streams in slices (other requests answer meanwhile), for heldFiles to take. */
export const prepareHeldFiles = held.prepare;

/** The file streams held for this index state, or null while an ingest writes it (the SQL path answers then). */
export const heldFiles = held.get;

/**
 * The directories of the held file streams under the drill context and the range, unsorted: the
 * rows of the SQL path's GROUP BY (a drill's directory names the group to keep).
 */
export function groupDirectories(held: HeldFiles, drill: DrillContext, range: NsRange | null): DirectoryGroup[] {
  const container = drill.containerId === undefined ? undefined : held.containers.indexOf(drill.containerId);
  const directory = drill.directory === undefined ? undefined : held.directories.indexOf(drill.directory);
  if (container === -1 || directory === -1) return [];
  const groups = new Map<number, DirectoryGroup & { names: Set<number>; pids: Set<number> }>();
  for (let i = 0; i < held.count; i++) {
    if (directory !== undefined && held.directory[i] !== directory) continue;
    if (container !== undefined && held.container[i] !== container) continue;
    if (drill.pid !== undefined && held.pid[i] !== drill.pid) continue;
    if (drill.tid !== undefined && held.tid[i] !== drill.tid) continue;
    if (range !== null && !(held.hasFirst[i] && held.hasLast[i] && held.first[i]! <= range.to && held.last[i]! >= range.from)) continue;
    const d = held.directory[i]!;
    let g = groups.get(d);
    if (!g) groups.set(d, (g = { directory: held.directories[d]!, files: 0, opens: 0, processes: 0, bytesIn: 0, bytesOut: 0, first: null, names: new Set(), pids: new Set() }));
    g.opens++;
    g.names.add(held.name[i]!);
    if (!Number.isNaN(held.pid[i])) g.pids.add(held.pid[i]!);
    g.bytesIn += held.bytesIn[i]!;
    g.bytesOut += held.bytesOut[i]!;
    if (held.hasFirst[i] && (g.first === null || held.first[i]! < g.first)) g.first = held.first[i]!;
  }
  return [...groups.values()].map(({ names, pids, ...g }) => ({ ...g, files: names.size, processes: pids.size }));
}
