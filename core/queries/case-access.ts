// What the view queries get from the core: an open case's index, for reading. The ingest worker
// writes the same database (WAL), so a query sees what was committed so far, partial results
// included, while a capture is still being read.

import type Database from 'better-sqlite3';
import type { ApiMethods, ApiRequest, ApiResponse } from '../api';

export interface CaseAccess {
  /** The case's index; throws ApiError('not-found') for an unknown case id. */
  db(caseId: string): Database.Database;
}

/** The handlers of one group of methods (a subset of ApiMethods). */
export type HandlersOf<Methods extends object> = {
  [M in keyof Methods & keyof ApiMethods]: (req: ApiRequest<M>) => Promise<ApiResponse<M>>;
};
