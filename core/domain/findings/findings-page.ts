// Findings, worst first, in the view's scope (./finding-scope.ts): a page of all of them, or of the
// members of one group (./finding-groups.ts).

import type Database from 'better-sqlite3';
import type { Severity } from '../../../common/evidence';
import type { ViewScope } from '../../api/wire';
import type { FindingEvidence, FindingRow } from './contract';
import { findingScope } from './finding-scope';
import { evidenceLineOffset } from './evidence-line';
import { findingGroupKey } from './group-key';

export const SEVERITY_ORDER = "CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END";
const COLUMNS = 'f.id, f.kind, f.severity, f.title, f.explanation, f.cause, f.exchange_id, f.evidence, f.heap_object';

export function listFindingsPage(db: Database.Database, scope: ViewScope | undefined, page: { limit: number; offset: number }, group?: string): { total: number; rows: FindingRow[] } {
  const s = findingScope(scope);
  if (group !== undefined) {
    // A group is a few hundred findings at most in a real incident: read them and keep the group's.
    const all = (db.prepare(`SELECT ${COLUMNS} FROM findings f WHERE ${s.where} ORDER BY ${SEVERITY_ORDER}, f.id`).all(...s.params) as Record<string, string | number | null>[]).map(toFindingRow);
    const members = all.filter((f) => keyOf(f) === group);
    return { total: members.length, rows: members.slice(page.offset, page.offset + page.limit).map((f) => withLines(db, f)) };
  }
  const total = db.prepare(`SELECT count(*) FROM findings f WHERE ${s.where}`).pluck().get(...s.params) as number;
  const rows = db.prepare(`SELECT ${COLUMNS} FROM findings f WHERE ${s.where} ORDER BY ${SEVERITY_ORDER}, f.id LIMIT ? OFFSET ?`).all(...s.params, page.limit, page.offset) as Record<string, string | number | null>[];
  return { total, rows: rows.map((r) => withLines(db, toFindingRow(r))) };
}

/** The finding with the start of each line its evidence quotes (./evidence-line.ts). */
export function withLines(db: Database.Database, f: FindingRow): FindingRow {
  return { ...f, evidence: f.evidence.map((e) => ({ ...e, lineOffset: evidenceLineOffset(db, { stream: e.streamId, dir: e.dir, offset: e.offset, length: e.length, excerpt: e.excerpt }) })) };
}

export function keyOf(f: FindingRow): string {
  return findingGroupKey({ kind: f.kind, cause: f.cause, title: f.title, firstExcerpt: f.evidence[0]?.excerpt ?? '' });
}

export function toFindingRow(r: Record<string, string | number | null>): FindingRow {
  return {
    id: Number(r.id),
    kind: String(r.kind),
    severity: String(r.severity) as Severity,
    title: String(r.title),
    explanation: String(r.explanation),
    cause: r.cause === null ? null : String(r.cause),
    exchangeId: r.exchange_id === null ? null : Number(r.exchange_id),
    evidence: parseEvidence(String(r.evidence)),
    heapObject: r.heap_object === null || r.heap_object === undefined ? null : (JSON.parse(String(r.heap_object)) as FindingRow['heapObject']),
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
    lineOffset: null,
  }));
}
