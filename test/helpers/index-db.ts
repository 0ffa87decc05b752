// A direct connection to a case's index, as the tests open one to check what the ingest wrote: with
// capscope's SQLite extension loaded, without which its events (a column_blocks virtual table,
// core/formats/scap/schema/events.ts) cannot be read.

import Database from 'better-sqlite3';
import { loadIndexExtension } from '../../core/index/row-batch-extension';

export function openIndexDb(file: string, options?: Database.Options): Database.Database {
  const db = new Database(file, options);
  loadIndexExtension(db);
  return db;
}
