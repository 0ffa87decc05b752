// The tables of syscall captures (scap): the machine, processes and threads, containers, fds,
// users and every event, as libsinsp's state tracking sees them. Their I/O goes to the shared
// streams and chunks tables (core/index/schema/stream-tables.ts). Timestamps are INTEGER ns since
// the epoch (read with safeIntegers()).

import type { TableDeclaration } from '../../../index/schema/declaration';
import { EVENTS_TABLE } from './events';

/** One row per scap source: the machine-info block and what the ingest learnt of its events. */
const machine: TableDeclaration = {
  name: 'machine',
  columns: [
    ['source_id', 'INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['hostname', 'TEXT', 'from the machine-info block'],
    ['num_cpus', 'INTEGER', 'from the machine-info block'],
    ['memory_bytes', 'INTEGER', 'from the machine-info block'],
    ['boot_ts', 'INTEGER', 'ns since the epoch, when the capture says'],
    ['format', 'TEXT NOT NULL', "'scap 1.2, little-endian'"],
    ['first_ts', 'INTEGER', 'of the first event'],
    ['last_ts', 'INTEGER', 'of the last event'],
    ['event_count', 'INTEGER NOT NULL DEFAULT 0', 'events read'],
    ['metaevent_count', 'INTEGER NOT NULL DEFAULT 0', 'of them, metaevents (schema/activity.ts): sysdig lists and counts the rest'],
    // As libscap writes them: a brushed time range is then a range of event numbers, which the
    // events page walks by the primary key (core/queries/event-page.ts).
    ['time_ordered', 'INTEGER', '1: each event no earlier than the one before it; 0: not'],
  ],
};

/** One row per container seen (from cgroups, and named by the capture's container metadata). */
const containers: TableDeclaration = {
  name: 'containers',
  columns: [
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['id', 'TEXT NOT NULL', "12-hex id as sysdig shows it, or 'host'"],
    ['name', 'TEXT', 'from the container metadata'],
    ['image', 'TEXT', 'from the container metadata'],
    ['type', 'TEXT', 'docker, containerd, cri-o, podman, ...'],
    ['labels', "TEXT NOT NULL DEFAULT '{}'", 'JSON object'],
    ['pod_uid', 'TEXT', 'Kubernetes: from the kubepods cgroup path'],
    ['pod_name', 'TEXT', 'Kubernetes: from the io.kubernetes.pod.* labels'],
    ['namespace', 'TEXT', 'Kubernetes: from the io.kubernetes.pod.* labels'],
    ['privileged', 'INTEGER', '0/1 when the metadata says'],
    ['origin', 'TEXT NOT NULL', "'metadata' | 'cgroup' | 'host'"],
  ],
  constraints: ['PRIMARY KEY (source_id, id)'],
};

/** One row per thread lifetime (a tid can be reused), in its last known state. */
const threads: TableDeclaration = {
  name: 'threads',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'the thread lifetime'],
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['tid', 'INTEGER NOT NULL', 'the thread id'],
    ['pid', 'INTEGER NOT NULL', 'its process'],
    ['ptid', 'INTEGER', 'its parent thread'],
    ['comm', 'TEXT', "sysdig's proc.name"],
    ['exe', 'TEXT', 'the executable'],
    ['args', "TEXT NOT NULL DEFAULT '[]'", 'JSON array'],
    ['cwd', 'TEXT', 'working directory'],
    ['uid', 'INTEGER', 'user id'],
    ['gid', 'INTEGER', 'group id'],
    ['vtid', 'INTEGER', 'tid in its pid namespace'],
    ['vpid', 'INTEGER', 'pid in its pid namespace'],
    ['cgroups', "TEXT NOT NULL DEFAULT '[]'", 'JSON array of "subsystem=path"'],
    ['container_id', 'TEXT NOT NULL', "'host' or the 12-hex id, from the cgroups"],
    ['exited', 'INTEGER NOT NULL DEFAULT 0', '1 when a procexit was seen'],
    // What sysdig counts a process or container by: a thread known only from the process list, or
    // only from metaevents (procinfo), did nothing in the capture.
    ['events', 'INTEGER NOT NULL DEFAULT 0', 'its activity events (schema/activity.ts): metaevents and time-0 events not counted'],
    ['first_ts', 'INTEGER', 'of its first activity event; NULL without one'],
    ['last_ts', 'INTEGER', 'of its last activity event; NULL without one'],
  ],
  indexes: [
    { name: 'threads_by_tid', columns: 'source_id, tid' },
    { name: 'threads_by_pid', columns: 'source_id, pid' },
  ],
  // Processes: the main threads (tid = pid).
  views: [{ name: 'processes', select: 'SELECT id, source_id, pid, ptid, comm, exe, args, cwd, uid, gid, container_id, exited FROM threads WHERE tid = pid' }],
};

/** One row per fd lifetime per process. */
const fds: TableDeclaration = {
  name: 'fds',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'the fd lifetime'],
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['pid', 'INTEGER NOT NULL', 'the process'],
    ['fd', 'INTEGER NOT NULL', 'the fd number'],
    ['type', 'TEXT NOT NULL', 'file, directory, ipv4, ipv6, unix, pipe, event, ...'],
    ['name', 'TEXT NOT NULL', 'as sysdig prints fd.name'],
    ['l4proto', 'TEXT', 'sockets: tcp, udp, ...'],
    ['role', 'TEXT', "'client' | 'server' for sockets"],
    ['container_id', 'TEXT', "the process's container"],
    ['stream_id', 'INTEGER', 'streams.id when the fd carried I/O'],
    ['closed_ts', 'INTEGER', 'NULL if still open at the end of the capture'],
  ],
  indexes: [{ name: 'fds_by_process', columns: 'source_id, pid, fd' }],
};

/** The capture's user and group lists, which name uids and gids (the filter's user.name). */
const users: TableDeclaration = {
  name: 'users',
  columns: [
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['kind', "TEXT NOT NULL CHECK (kind IN ('user', 'group'))", 'a user or a group'],
    ['id', 'INTEGER NOT NULL', 'uid or gid'],
    ['gid', 'INTEGER', "a user's primary group"],
    ['name', 'TEXT NOT NULL', 'its name'],
    ['home', 'TEXT', "a user's home directory"],
    ['shell', 'TEXT', "a user's shell"],
  ],
  constraints: ['PRIMARY KEY (source_id, kind, id)'],
};

/**
 * Which events are exits (an odd event_type: a call that returned), a bit per event number, written
 * as the events are: the overview rollup's System calls tile counts exits in 2,000 ranges of event
 * numbers, and reading these bits (1/8 of a byte per event) costs it milliseconds where the events'
 * scan cost a second per ten million events (core/analysis/rollup/exit-counts.ts).
 */
export const EVENT_EXITS_TABLE: TableDeclaration = {
  name: 'event_exits',
  columns: [
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['first_num', 'INTEGER NOT NULL', 'the event number of bit 0'],
    ['count', 'INTEGER NOT NULL', 'how many event numbers the bits cover, from first_num on'],
    ['bits', 'BLOB NOT NULL', 'bit i (byte i >> 3, bit i & 7): event first_num + i is an exit'],
  ],
  constraints: ['PRIMARY KEY (source_id, first_num)'],
};

export const SCAP_TABLES: readonly TableDeclaration[] = [machine, containers, threads, fds, EVENTS_TABLE, EVENT_EXITS_TABLE, users];
