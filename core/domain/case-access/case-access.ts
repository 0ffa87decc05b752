// What the view queries get from the core: an open case's index, for reading. The ingest worker
// writes the same database (WAL), so a query sees what was committed so far, partial results
// included, while a capture is still being read.

import type Database from 'better-sqlite3';

export interface CaseAccess {
  /** The case's index; throws ApiError('not-found') for an unknown case id. */
  db(caseId: string): Database.Database;
}
