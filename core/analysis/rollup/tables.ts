// The stored rollup: the unfiltered metric values of the overview and the timeline in fine time
// buckets, computed once per ingest (store.ts), so that the exploring views of a big case answer at
// once instead of scanning its events.

import type { TableDeclaration } from '../../index/schema/declaration';

/**
 * At most one row: the grain of the rollup and what the exploring views need to know about the
 * index's order (id-window.ts).
 */
const rollup: TableDeclaration = {
  name: 'rollup',
  columns: [
    ['id', 'INTEGER PRIMARY KEY CHECK (id = 1)', 'the one row'],
    ['span_from', 'INTEGER NOT NULL', 'ns since the epoch: first captured activity'],
    ['span_to', 'INTEGER NOT NULL', 'ns: last captured activity'],
    ['bucket_ns', 'INTEGER NOT NULL', 'bucket k covers [span_from + k*bucket_ns, span_from + (k+1)*bucket_ns)'],
    ['buckets', 'INTEGER NOT NULL', 'FINE_BUCKETS; a rollup of another grain is ignored'],
    ['chunks_time_ordered', 'INTEGER NOT NULL', '1: chunk ids grow with their ts'],
    ['streams_time_ordered', 'INTEGER NOT NULL', '1: stream ids grow with their first_ts'],
    ['compute_ms', 'REAL NOT NULL', 'what computing it cost the ingest'],
    ['error_groups_stored', 'INTEGER NOT NULL DEFAULT 0', '1: rollup_error_groups was written with it'],
    // Counting it scans the fds table: a fifth of a second on the 1 GiB syscall index.
    ['listening_ports', 'INTEGER', "the listening-ports tile's count (it has no time line)"],
  ],
};

/** One row per family of metrics and column: its value in every bucket. */
const rollupSeries: TableDeclaration = {
  name: 'rollup_series',
  columns: [
    ['family', 'TEXT NOT NULL', "'events', 'chunks', 'streams', 'http', 'findings', 'alerts'"],
    ['metric', 'TEXT NOT NULL', "a MetricId, or a part of one ('connectionsFailed:pcap')"],
    ['series', 'BLOB NOT NULL', 'buckets x float64, little-endian'],
  ],
  constraints: ['PRIMARY KEY (family, metric)'],
  withoutRowid: true,
};

/**
 * The errors table's groups (failed calls per call and error) in the rollup's buckets, so that the
 * errors table's first page reads them instead of counting the failures among every event.
 */
const rollupErrorGroups: TableDeclaration = {
  name: 'rollup_error_groups',
  columns: [
    ['type', 'TEXT NOT NULL', 'the call (events.type)'],
    ['res', 'INTEGER NOT NULL', 'the error (a negative errno)'],
    ['series', 'BLOB NOT NULL', 'failures per bucket: rollup.buckets x float64, little-endian'],
  ],
  constraints: ['PRIMARY KEY (type, res)'],
  withoutRowid: true,
};

export const ROLLUP_TABLES: readonly TableDeclaration[] = [rollup, rollupSeries, rollupErrorGroups];
