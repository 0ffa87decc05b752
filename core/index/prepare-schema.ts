// Gives a case's database the declared tables. The index is a cache of the evidence: one written by
// another version of capscope (its PRAGMA user_version is that version's INDEXER_VERSION) is not
// migrated but emptied and made again, and its ingest history goes with it, so that the case is
// indexed again from its evidence. One written by a newer capscope is refused rather than misread
// or destroyed: the newer capscope may still want it.

import type Database from 'better-sqlite3';
import { INDEXER_VERSION } from './indexer-version';
import { loadIndexExtension } from './row-batch-extension';
import { createStatements, type TableDeclaration } from './schema/declaration';

export function prepareSchema(db: Database.Database, tables: readonly TableDeclaration[]): void {
  // The events are a virtual table of the index's extension: no statement reads them without it.
  loadIndexExtension(db);
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() === INDEXER_VERSION) return;
  const rebuild = db.transaction(() => {
    // Read again under the write lock: another connection may have prepared it meanwhile.
    const found = version();
    if (found === INDEXER_VERSION) return;
    if (found > INDEXER_VERSION) {
      throw new Error(`${db.name}: index schema version ${found} is newer than this capscope understands (${INDEXER_VERSION}); use a newer capscope or delete the index`);
    }
    // 0: a new database (every capscope stamps its index in the transaction that fills it). A
    // database of something else has 0 too: it is never emptied.
    if (found > 0) dropEverything(db);
    for (const statement of createStatements(tables)) db.exec(statement);
    db.pragma(`user_version = ${INDEXER_VERSION}`);
  });
  // Foreign keys off while an old index's tables go, in any order (the pragma is a no-op inside a
  // transaction, so it is set around it).
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    rebuild.immediate();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

/** Drops every view and table an earlier capscope made (their indexes go with them). */
function dropEverything(db: Database.Database): void {
  const objects = db
    .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table'")
    .all() as { type: 'view' | 'table'; name: string }[];
  // IF EXISTS: a virtual table's store takes its shadow tables with it (core/index/native).
  for (const { type, name } of objects) db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replace(/"/g, '""')}"`);
}
