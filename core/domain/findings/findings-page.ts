// Findings, worst first, narrowed by the scope through the exchange each is about. A finding about
// no single exchange (a rate over the whole capture) is kept whatever the scope.

import type Database from 'better-sqlite3';
import type { Severity } from '../../../common/evidence';
import type { ViewScope } from '../../api/wire';
import type { FindingEvidence, FindingRow } from './contract';
import { httpScopeSql } from '../scope/http-scope';

const SEVERITY_ORDER = "CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END";

export function listFindingsPage(db: Database.Database, scope: ViewScope | undefined, page: { limit: number; offset: number }): { total: number; rows: FindingRow[] } {
  const { where, params } = httpScopeSql(scope);
  const scoped = where === '1' ? '1' : `(f.exchange_id IS NULL OR EXISTS (SELECT 1 FROM http_exchanges x WHERE x.id = f.exchange_id AND ${where}))`;
  const total = db.prepare(`SELECT count(*) FROM findings f WHERE ${scoped}`).pluck().get(...params) as number;
  const rows = db
    .prepare(`SELECT f.id, f.kind, f.severity, f.title, f.explanation, f.cause, f.exchange_id, f.evidence, f.heap_object FROM findings f WHERE ${scoped} ORDER BY ${SEVERITY_ORDER}, f.id LIMIT ? OFFSET ?`)
    .all(...params, page.limit, page.offset) as Record<string, string | number | null>[];
  return {
    total,
    rows: rows.map((r) => ({
      id: Number(r.id),
      kind: String(r.kind),
      severity: String(r.severity) as Severity,
      title: String(r.title),
      explanation: String(r.explanation),
      cause: r.cause === null ? null : String(r.cause),
      exchangeId: r.exchange_id === null ? null : Number(r.exchange_id),
      evidence: parseEvidence(String(r.evidence)),
      heapObject: r.heap_object === null ? null : (JSON.parse(String(r.heap_object)) as FindingRow['heapObject']),
    })),
  };
}

function parseEvidence(json: string): FindingEvidence[] {
  const items = JSON.parse(json) as { stream: number; dir: string | null; offset: number; length: number; excerpt: string }[];
  return items.map((e) => ({
    streamId: e.stream,
    dir: e.dir === 'in' || e.dir === 'out' ? e.dir : null,
    offset: e.offset,
    length: e.length,
    excerpt: e.excerpt,
  }));
}
