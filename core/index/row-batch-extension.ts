// Where the row_batch SQLite extension (native/row-batch.c) was built: scripts/build.mjs compiles
// it into dist/native/ next to the bundles. Code run from the sources (the tests) finds the same
// file from the repository's root. Null where it was not built (no C compiler) or where
// CAPSCOPE_ROW_BATCH=js asks for the JavaScript path: the row stores then bind from JavaScript.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROW_BATCH_LIBRARY = `row_batch.${process.platform === 'win32' ? 'dll' : process.platform === 'darwin' ? 'dylib' : 'so'}`;

export function rowBatchExtensionPath(): string | null {
  if (process.env.CAPSCOPE_ROW_BATCH === 'js') return null;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/*.mjs; from the sources: core/index/.
  for (const dir of [path.join(here, 'native'), path.join(here, '..', '..', 'dist', 'native')]) {
    const file = path.join(dir, ROW_BATCH_LIBRARY);
    if (fs.existsSync(file)) return file;
  }
  return null;
}
