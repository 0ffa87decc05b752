// Schema version 1: the case, its sources and the diagnostics found while reading them.

export const sourcesMigration = `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  -- One row per piece of evidence: a plain file is one source, an archive one per member.
  CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    file        TEXT NOT NULL,
    entry       TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('scap', 'pcap', 'pcapng', 'hprof')),
    compression TEXT NOT NULL,            -- JSON array of layers, outermost first
    detail      TEXT NOT NULL,            -- what the sniffer saw
    size        INTEGER,                  -- uncompressed bytes, once read
    status      TEXT NOT NULL CHECK (status IN ('pending', 'indexing', 'indexed', 'failed', 'cancelled')),
    started_at  INTEGER,                  -- ms since the epoch
    finished_at INTEGER,
    parse_ms    REAL,
    error       TEXT
  ) STRICT;

  CREATE TABLE diagnostics (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES sources (id) ON DELETE CASCADE,
    offset    INTEGER,                    -- in the source's uncompressed bytes
    severity  TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    message   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX diagnostics_by_source ON diagnostics (source_id, offset);

  -- One row per ingest run of the case's evidence file.
  CREATE TABLE ingests (
    id           INTEGER PRIMARY KEY,
    file         TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,           -- JSON: what the evidence file looked like
    indexer      INTEGER NOT NULL,        -- INDEXER_VERSION that wrote it
    state        TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
    bytes_total  INTEGER NOT NULL,
    bytes_done   INTEGER NOT NULL DEFAULT 0,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    error        TEXT
  ) STRICT;
  `;
