// The index's schema, versioned with SQLite's user_version. Each migration moves the schema up one
// version and runs in its own transaction; later issues append migrations for their tables.
//
// The index is derived data: when the code that fills it changes (INDEXER_VERSION), a case is
// re-indexed from its evidence rather than migrated.

import type Database from 'better-sqlite3';

/** Bump when parsing or ingest changes what ends up in the tables: old indexes are rebuilt. */
export const INDEXER_VERSION = 1;

const MIGRATIONS: readonly string[] = [
  // 1: the case, its sources and the diagnostics found while reading them.
  `
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
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings a database up to SCHEMA_VERSION; refuses one written by a newer capscope. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`${db.name}: index schema version ${current} is newer than this capscope understands (${SCHEMA_VERSION}); use a newer capscope or delete the index`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
