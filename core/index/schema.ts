// The index's schema, versioned with SQLite's user_version. Each migration moves the schema up one
// version and runs in its own transaction; later issues append migrations for their tables
// (core/index/migrations/NNN-name.ts, registered below).
//
// The index is derived data: when the code that fills it changes (INDEXER_VERSION), a case is
// re-indexed from its evidence rather than migrated.

import type Database from 'better-sqlite3';
import { sourcesMigration } from './migrations/001-sources';
import { heapMigration } from './migrations/002-heap';
import { streamsMigration } from './migrations/003-streams';
import { scapMigration } from './migrations/004-scap';
import { httpMigration } from './migrations/005-http';
import { filterMigration } from './migrations/006-filter';
import { rollupMigration } from './migrations/007-rollup';
import { partialFdIndexMigration } from './migrations/008-partial-fd-index';
import { errorGroupsMigration } from './migrations/009-error-groups';
import { listeningPortsMigration } from './migrations/010-listening-ports';
import { timeOrderedMigration } from './migrations/011-time-ordered';
import { derivedDirMigration } from './migrations/012-derived-dir';
import { diagnosticCodesMigration } from './migrations/013-diagnostic-codes';

/** Bump when parsing or ingest changes what ends up in the tables: old indexes are rebuilt. */
export const INDEXER_VERSION = 7;

// One module per schema version, in order; a feature that needs tables adds the next one.
const MIGRATIONS: readonly string[] = [sourcesMigration, heapMigration, streamsMigration, scapMigration, httpMigration, filterMigration, rollupMigration, partialFdIndexMigration, errorGroupsMigration, listeningPortsMigration, timeOrderedMigration, derivedDirMigration, diagnosticCodesMigration];

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
