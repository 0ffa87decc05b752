// What `streams` and `follow` do first: open the file's case like `capscope index` does (indexing
// it unless the index is up to date), then read the index.

import path from 'node:path';
import { ApiError, type CaseSummary } from '../../api';
import { createCore } from '../../app/create-core';
import { openIndexForReading } from '../../domain/streams/stream-rows';
import { indexFaultMessage } from '../../index/index-fault';
import { IndexLock } from '../../index/index-lock';
import type Database from 'better-sqlite3';
import { noticeWaiting } from './notice-waiting';

export interface OpenedCase {
  summary: CaseSummary;
  db: Database.Database;
}

/** Indexes (or reuses the index of) `file`, then calls `use` with the index open for reading. */
export async function withIndexedCase<T>(file: string, dbPath: string | undefined, use: (opened: OpenedCase) => T | Promise<T>): Promise<T> {
  const core = createCore({ transport: 'web', samplePath: null });
  let interrupted = false;
  let cancel = () => {};
  try {
    const opened = await core.open(file, { dbPath: dbPath ? path.resolve(dbPath) : undefined, onWait: noticeWaiting });
    cancel = () => {
      interrupted = true;
      void core.handlers['case.cancel']({ caseId: opened.caseId });
    };
    process.once('SIGINT', cancel);
    await core.waitForIngest(opened.caseId);
    // Read the whole index: another process that started indexing it meanwhile is waited for.
    const readLock = await readLockFor(opened.dbPath, opened.file, () => interrupted);
    if (!readLock) throw new ApiError('bad-request', `${opened.file}: cancelled while another capscope process was writing the index ${opened.dbPath}`);
    try {
      const summary = await core.handlers['case.get']({ caseId: opened.caseId });
      const db = openIndexForReading(summary.dbPath);
      try {
        return await use({ summary, db });
      } finally {
        db.close();
      }
    } finally {
      readLock.release();
    }
  } finally {
    process.off('SIGINT', cancel);
    await core.close();
  }
}

/** The index's lock to read it whole, waited for (and said so on a terminal) while another process writes it. */
async function readLockFor(dbPath: string, file: string, stop: () => boolean): Promise<IndexLock | null> {
  try {
    const now = IndexLock.tryAcquire(dbPath, 'read');
    if (now) return now;
    noticeWaiting(`another capscope process is writing the index ${dbPath}; it is read when that process has finished`);
    return await IndexLock.acquire(dbPath, stop, 'read');
  } catch (err) {
    throw new ApiError('storage', indexFaultMessage(err, dbPath, file));
  }
}


/** The one-line reasons an ingest left the index incomplete, for stderr. */
export function ingestProblems(summary: CaseSummary): string[] {
  const problems = summary.sources.filter((s) => s.status === 'failed' && s.error).map((s) => s.error!);
  const error = summary.progress.error;
  if (error && !problems.includes(error)) problems.push(error);
  if (summary.progress.state === 'cancelled') problems.push('cancelled; what was read before is shown');
  return problems;
}

/** `capscope streams f | head`: when the reader goes away, stop without a stack trace. */
export function stopQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
