// Schema version 12: an event's direction is derived, not stored. `dir` is '>' for an enter event
// and '<' for an exit, which is the parity of its ppm event number (even numbers are enters: the
// event table defines direction so, parsers/scap/event-table.ts), so the ingest no longer binds,
// checks and stores a value that follows from `event_type`; a 1 GiB capture has 18 million of them.
// The columns the view indexes read come first: reading a column parses a record's header up to it.
//
// The index is derived data: this version of the ingest (INDEXER_VERSION 6) re-indexes every case
// from its evidence, so the table is made again empty rather than copied.

export const derivedDirMigration = `
  DROP TABLE events;
  CREATE TABLE events (
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    num          INTEGER NOT NULL,           -- 1-based, as sysdig's evt.num
    ts           INTEGER NOT NULL,           -- ns since the epoch
    pid          INTEGER,
    container_id TEXT,                       -- NULL when the event has no thread
    type         TEXT NOT NULL,              -- the syscall name for generic events
    fd           INTEGER,
    cpu          INTEGER NOT NULL,
    tid          INTEGER NOT NULL,
    event_type   INTEGER NOT NULL,           -- the ppm event number
    dir          TEXT NOT NULL GENERATED ALWAYS AS (CASE event_type & 1 WHEN 0 THEN '>' ELSE '<' END) VIRTUAL,
    res          INTEGER,                    -- exit events: the result (negative: -errno)
    latency      INTEGER,                    -- exit events paired with their enter: ns
    proc         TEXT,                       -- NULL: sysdig's <NA>
    fd_name      TEXT,                       -- NULL: sysdig's <NA>
    fd_flags     INTEGER,                    -- core/scap/fd-flags.ts's packing (schema version 6)
    category     TEXT NOT NULL,
    info         TEXT NOT NULL,
    file_offset  INTEGER NOT NULL,           -- of the event's block in the uncompressed source
    PRIMARY KEY (source_id, num)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX events_by_time ON events (ts);
  CREATE INDEX events_by_container ON events (container_id, ts);
  CREATE INDEX events_by_process ON events (pid, ts);
  CREATE INDEX events_by_fd ON events (pid, fd, num) WHERE fd IS NOT NULL;
  CREATE INDEX events_by_type ON events (type, ts);
`;
