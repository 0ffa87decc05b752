// Every event of a syscall capture, and the indexes its views read. Timestamps are INTEGER ns since
// the epoch (read with safeIntegers()).

import type { TableDeclaration } from '../../../index/schema/declaration';

/**
 * Keyed by (source, number): rows arrive in key order, so the table is its own num index. The
 * columns the view indexes read come first: reading a column parses a record's header up to it.
 */
export const EVENTS_TABLE: TableDeclaration = {
  name: 'events',
  columns: [
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['num', 'INTEGER NOT NULL', "1-based, as sysdig's evt.num"],
    ['ts', 'INTEGER NOT NULL', 'ns since the epoch'],
    ['pid', 'INTEGER', "the thread's process"],
    ['container_id', 'TEXT', 'NULL when the event has no thread'],
    ['type', 'TEXT NOT NULL', 'the syscall name for generic events'],
    ['fd', 'INTEGER', 'the fd it is about'],
    ['cpu', 'INTEGER NOT NULL', 'the CPU it ran on'],
    ['tid', 'INTEGER NOT NULL', 'the thread'],
    ['event_type', 'INTEGER NOT NULL', 'the ppm event number'],
    // Derived, not stored: even ppm event numbers are enters (the event table defines direction
    // so, core/formats/scap/parser/event-table.ts); 18 million of them in a 1 GiB capture. Queries over many
    // events test the number instead (schema/event-direction.ts).
    ['dir', "TEXT NOT NULL GENERATED ALWAYS AS (CASE event_type & 1 WHEN 0 THEN '>' ELSE '<' END) VIRTUAL", "'>' enter, '<' exit"],
    ['res', 'INTEGER', 'exit events: the result (negative: -errno)'],
    ['latency', 'INTEGER', 'exit events paired with their enter: ns'],
    ['proc', 'TEXT', "NULL: sysdig's <NA>"],
    ['fd_name', 'TEXT', "NULL: sysdig's <NA>"],
    ['fd_flags', 'INTEGER', "the fd's type, layer-4 protocol and role at that event (core/formats/scap/parser/fd-flags.ts); NULL without one"],
    ['category', 'TEXT NOT NULL', "'FILE', 'NET', 'IO_READ', 'PROCESS', ..."],
    ['info', 'TEXT NOT NULL', 'parameters as name=value text'],
    ['file_offset', 'INTEGER NOT NULL', "of the event's block in the uncompressed source"],
  ],
  constraints: ['PRIMARY KEY (source_id, num)'],
  withoutRowid: true,
  // The scap writer drops all but events_by_time while it loads a capture's events and builds them
  // again at its end (../event-indexes.ts says why).
  indexes: [
    { name: 'events_by_time', columns: 'ts' },
    { name: 'events_by_container', columns: 'container_id, ts' },
    { name: 'events_by_process', columns: 'pid, ts' },
    // Only the events that have an fd (a quarter of them in a typical capture): every query that
    // reads it asks for one fd (`fd = ?`), which SQLite knows implies the condition.
    { name: 'events_by_fd', columns: 'pid, fd, num', where: 'fd IS NOT NULL' },
    { name: 'events_by_type', columns: 'type, ts' },
  ],
};
