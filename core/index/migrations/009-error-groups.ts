// Schema version 9: the errors table's groups (failed calls per call and error) in the rollup's
// fine buckets, stored by the rollup analysis with the rest of the rollup, so that the errors
// table's first page reads them instead of counting the failures among every event.

export const errorGroupsMigration = `
  -- 1: rollup_error_groups was written with this rollup (an index written before has none).
  ALTER TABLE rollup ADD COLUMN error_groups_stored INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE rollup_error_groups (
    type    TEXT NOT NULL,                   -- the call (events.type)
    res     INTEGER NOT NULL,                -- the error (a negative errno)
    series  BLOB NOT NULL,                   -- failures per bucket: rollup.buckets x float64, little-endian
    PRIMARY KEY (type, res)
  ) STRICT, WITHOUT ROWID;
`;
