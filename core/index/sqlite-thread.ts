// Starts a worker thread that runs `source` (plain CommonJS text, which a bundler leaves alone:
// the index's helper threads run from their own text, so they need no built file) with
// better-sqlite3's resolved path in workerData.sqlite for it to require.

import { createRequire } from 'node:module';
import { Worker, type TransferListItem } from 'node:worker_threads';

/** The thread, or null where one cannot be had (no worker threads, better-sqlite3 not found). */
export function startSqliteThread(source: string, workerData: Record<string, unknown>, transferList: TransferListItem[] = []): Worker | null {
  try {
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    return new Worker(source, { eval: true, workerData: { ...workerData, sqlite }, transferList });
  } catch {
    return null;
  }
}
