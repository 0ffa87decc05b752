// Schema version 7: what makes the exploring views answer at once on a big case. The rollup (the
// unfiltered metric values of the overview and the timeline in fine time buckets), computed once
// by the post-ingest analysis core/queries/explore/stored-rollup.ts; and an index on streams by
// time, for the brushed connections, files and directories tables.

export const rollupMigration = `
  -- At most one row: the grain of the rollup and what the exploring views need to know about the
  -- index's order (core/queries/explore/id-window.ts).
  CREATE TABLE rollup (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    span_from             INTEGER NOT NULL,  -- ns since the epoch: first captured activity
    span_to               INTEGER NOT NULL,  -- ns: last captured activity
    bucket_ns             INTEGER NOT NULL,  -- bucket k covers [span_from + k*bucket_ns, span_from + (k+1)*bucket_ns)
    buckets               INTEGER NOT NULL,
    chunks_time_ordered   INTEGER NOT NULL,  -- 1: chunk ids grow with their ts
    streams_time_ordered  INTEGER NOT NULL,  -- 1: stream ids grow with their first_ts
    compute_ms            REAL NOT NULL      -- what computing it cost the ingest
  ) STRICT;

  -- One row per family of metrics and column: its value in every bucket.
  CREATE TABLE rollup_series (
    family  TEXT NOT NULL,                   -- 'events', 'chunks', 'streams', 'http', 'findings'
    metric  TEXT NOT NULL,                   -- a MetricId, or a part of one ('connectionsFailed:pcap')
    series  BLOB NOT NULL,                   -- buckets x float64, little-endian
    PRIMARY KEY (family, metric)
  ) STRICT, WITHOUT ROWID;

  -- A brushed range over connections or files: the streams of a kind that overlap it, from the
  -- index alone.
  CREATE INDEX streams_by_time ON streams (source_id, kind, first_ts, last_ts);
`;
