// Indexes a capture with the parse done while it is read, then analyses a copy of its index again
// on a fresh connection (where nothing was parsed live and every stream is read back from the
// chunks table), and dumps the tables each left: the live-parse tests hold the two equal, row for row (HTTP_DUMPS).

import fs from 'node:fs';
import path from 'node:path';
import { expect, vi } from 'vitest';
import { ANALYSES } from '../../../core/registry/analyses';
import { runIngest } from '../../../core/ingest/pipeline';
import { openIndexDb } from '../../helpers/index-db';
import { DIAGNOSTIC_COLUMNS, EXCHANGE_COLUMNS, GOAWAY_COLUMNS } from '../../../core/analysis/http/group-rows';

export type TableDump = Record<string, unknown[]>;

/**
 * The HTTP tables as the live-parse tests compare them, by name. An exchange is known by its
 * connection and its place on it, a diagnostic or finding by its exchange's: the ids of exchanges
 * staged while a capture is read follow the order their connections' parses completed
 * (core/analysis/http/staged-exchanges.ts), those written after ingest the groups' order, and
 * no query reads an order from them.
 */
export const HTTP_DUMPS = {
  protocols: 'SELECT * FROM stream_protocols ORDER BY stream_id',
  exchanges: `SELECT ${EXCHANGE_COLUMNS.join(', ')} FROM http_exchanges ORDER BY stream_id, seq`,
  diagnostics: `SELECT e.stream_id AS exchange_stream, e.seq AS exchange_seq, ${DIAGNOSTIC_COLUMNS.map((c) => `d.${c}`).join(', ')}
    FROM http_diagnostics d JOIN http_exchanges e ON e.id = d.exchange_id ORDER BY e.stream_id, e.seq, d.id`,
  connections: 'SELECT * FROM http2_connections ORDER BY stream_id',
  goaways: `SELECT ${GOAWAY_COLUMNS.join(', ')} FROM http2_goaways ORDER BY stream_id, ts, offset`,
  findings: `SELECT e.stream_id AS exchange_stream, e.seq AS exchange_seq, f.kind, f.severity, f.title, f.explanation, f.cause, f.evidence, f.heap_object
    FROM findings f LEFT JOIN http_exchanges e ON e.id = f.exchange_id ORDER BY f.id`,
} as const;

function dump(dbPath: string, queries: Readonly<Record<string, string>>): TableDump {
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    return Object.fromEntries(Object.entries(queries).map(([name, sql]) => [name, db.prepare(sql).safeIntegers().all()]));
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
 * `tables`: queries by name (HTTP_DUMPS' or some of them); `countIndexReads` is installed before
 * the ingest and returns how many times the index path was taken during it (a spy the caller made).
 */
export async function liveAgainstIndex(file: string, dir: string, tables: Readonly<Record<string, string>>, countIndexReads: () => () => number): Promise<{ live: TableDump; fromIndex: TableDump; leftToIndex: number }> {
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
