// The views' handlers over indexes the test opened itself, one per case id.

import type Database from 'better-sqlite3';
import { createViewHandlers } from '../../core/domain/view-handlers';

export function exploreApiOver(dbs: Map<string, Database.Database>) {
  return createViewHandlers({
    db: (caseId) => {
      const db = dbs.get(caseId);
      if (!db) throw new Error(`no case ${caseId}`);
      return db;
    },
  });
}
