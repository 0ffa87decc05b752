// Where the index's SQLite extension (native/row-batch.c and native/column-blocks.c) was built:
// scripts/build.mjs compiles it into dist/native/ next to the bundles. Code run from the sources
// (the tests) finds the same file from the repository's root. Every connection that reads or writes
// a case's events loads it (they are a column_blocks virtual table); the row stores also use its
// row_batch function unless CAPSCOPE_ROW_BATCH=js asks them to bind from JavaScript.

import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROW_BATCH_LIBRARY = `row_batch.${process.platform === 'win32' ? 'dll' : process.platform === 'darwin' ? 'dylib' : 'so'}`;

/** The extension's path for the row stores' row_batch; null for the JavaScript path (or none built). */
export function rowBatchExtensionPath(): string | null {
  if (process.env.CAPSCOPE_ROW_BATCH === 'js') return null;
  return indexExtensionPath();
}

/** The extension's path, or null where it was not built (no C compiler). */
export function indexExtensionPath(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/*.mjs; from the sources: core/index/.
  for (const dir of [path.join(here, 'native'), path.join(here, '..', '..', 'dist', 'native')]) {
    const file = path.join(dir, ROW_BATCH_LIBRARY);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/**
 * Loads the extension into a connection to a case's index: its events are a column_blocks virtual
 * table, which no connection reads without it. Throws, saying so, where it was not built.
 */
export function loadIndexExtension(db: Database.Database): void {
  // Once per connection.
  if (db.prepare("SELECT 1 FROM pragma_module_list WHERE name = 'column_blocks'").get() !== undefined) return;
  const file = indexExtensionPath();
  if (file === null) throw new Error(`capscope's SQLite extension (${ROW_BATCH_LIBRARY}) was not built: run node scripts/build.mjs with a C compiler and zlib's headers`);
  db.loadExtension(file);
}
