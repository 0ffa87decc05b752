// Schema version 13: each diagnostic keeps its code ("scap.block-fault"), so the UI, the report and
// `--json` can say which declared diagnostic a row is (docs/diagnostics.md lists them); the
// severity and message stay stored as emitted.
//
// The index is derived data: this version of the ingest (INDEXER_VERSION 7) re-indexes every case
// from its evidence, so the table is made again empty rather than copied.

export const diagnosticCodesMigration = `
  DROP TABLE diagnostics;
  CREATE TABLE diagnostics (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES sources (id) ON DELETE CASCADE,
    offset    INTEGER,                    -- in the source's uncompressed bytes
    code      TEXT NOT NULL,              -- module.name, declared in a catalogue (common/diagnostics.ts)
    severity  TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    message   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX diagnostics_by_source ON diagnostics (source_id, offset);
`;
