// Indexes a capture with the parse done while it is read, then analyses a copy of its index again
// on a fresh connection (where nothing was parsed live and every stream is read back from the
// chunks table), and dumps the tables each left: the live-parse tests hold the two equal, row for row.

import fs from 'node:fs';
import path from 'node:path';
import { expect, vi } from 'vitest';
import { ANALYSES } from '../../../core/registry/analyses';
import { runIngest } from '../../../core/ingest/pipeline';
import { openIndexDb } from '../../helpers/index-db';

export type TableDump = Record<string, unknown[]>;

function dump(dbPath: string, tables: readonly string[]): TableDump {
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).safeIntegers().all()]));
  } finally {
    db.close();
  }
}

let counter = 0;

/**
 * A counter of the calls of `target[method]` (the index path a live-parse test expects not to be
 * taken), for liveAgainstIndex: installed when called, read and removed when its result is.
 */
export function callsOf<T extends object>(target: T, method: keyof T & string): () => () => number {
  return () => {
    const spy = vi.spyOn(target as Record<string, (...args: unknown[]) => unknown>, method);
    return () => {
      const n = spy.mock.calls.length;
      spy.mockRestore();
      return n;
    };
  };
}

/**
 * `tables` are `name ORDER BY ...` clauses; `countIndexReads` is installed before the ingest and
 * returns how many times the index path was taken during it (a spy the caller made).
 */
export async function liveAgainstIndex(file: string, dir: string, tables: readonly string[], countIndexReads: () => () => number): Promise<{ live: TableDump; fromIndex: TableDump; leftToIndex: number }> {
  const db = path.join(dir, `${path.basename(file)}-${counter++}.sqlite`);
  const readsSoFar = countIndexReads();
  const outcome = await runIngest({ file, dbPath: db });
  const leftToIndex = readsSoFar();
  expect(outcome.error).toBeNull();
  const again = `${db}.again.sqlite`;
  fs.copyFileSync(db, again);
  const handle = openIndexDb(again);
  try {
    // As the ingest runs them: one that fails leaves its tables as the failure left them.
    for (const analysis of ANALYSES) {
      try {
        await analysis.run(handle);
      } catch {
        // the live run met the same failure; its tables are compared all the same
      }
    }
  } finally {
    handle.close();
  }
  return { live: dump(db, tables), fromIndex: dump(again, tables), leftToIndex };
}
