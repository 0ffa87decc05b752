// The findings pass: runs after the HTTP analysis, over its tables.

import type Database from 'better-sqlite3';
import { findErrorRates } from './error-rates';
import { storeFindings } from './finding';
import { findProxyErrors } from './proxy-errors';
import { findRejectedRequests } from './rejected-requests';

export function analyseFindings(db: Database.Database): number {
  const containerName = containerNames(db);
  const findings = [...findProxyErrors(db, containerName), ...findRejectedRequests(db), ...findErrorRates(db)];
  storeFindings(db, findings);
  return findings.length;
}

/** Container id → name, from the scap tables when this index has them. */
function containerNames(db: Database.Database): (id: string | null) => string | null {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'containers'").get();
  if (!hasTable) return () => null;
  const columns = (db.prepare('PRAGMA table_info(containers)').all() as { name: string }[]).map((c) => c.name);
  if (!columns.includes('id') || !columns.includes('name')) return () => null;
  const lookup = db.prepare('SELECT name FROM containers WHERE id = ?').pluck();
  return (id) => (id === null || id === 'host' ? null : ((lookup.get(id) as string | undefined) ?? null));
}
