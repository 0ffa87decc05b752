// What `streams` and `follow` do first: open the file's case like `capscope index` does (indexing
// it unless the index is up to date), then read the index.

import path from 'node:path';
import type { CaseSummary } from '../../api';
import { createCore } from '../../app/create-core';
import { openIndexForReading } from '../../domain/streams/stream-rows';
import type Database from 'better-sqlite3';

export interface OpenedCase {
  summary: CaseSummary;
  db: Database.Database;
}

/** Indexes (or reuses the index of) `file`, then calls `use` with the index open for reading. */
export async function withIndexedCase<T>(file: string, dbPath: string | undefined, use: (opened: OpenedCase) => T | Promise<T>): Promise<T> {
  const core = createCore({ transport: 'web', samplePath: null });
  let cancel = () => {};
  try {
    const opened = await core.open(file, { dbPath: dbPath ? path.resolve(dbPath) : undefined });
    cancel = () => void core.handlers['case.cancel']({ caseId: opened.caseId });
    process.once('SIGINT', cancel);
    const summary = await core.waitForIngest(opened.caseId);
    const db = openIndexForReading(summary.dbPath);
    try {
      return await use({ summary, db });
    } finally {
      db.close();
    }
  } finally {
    process.off('SIGINT', cancel);
    await core.close();
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
