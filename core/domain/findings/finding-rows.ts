// Reading findings back from the index, errors first, for `capscope findings` and the report.

import type Database from 'better-sqlite3';
import { evidenceLineOffset } from './evidence-line';

export interface FindingSummary {
  id: number;
  kind: string;
  severity: string;
  title: string;
  explanation: string;
  cause: string | null;
  exchange: number | null;
  /** lineOffset: where the quoted line starts when offset is an offending byte inside it (./evidence-line.ts), else null. */
  evidence: { stream: number; dir: string | null; offset: number; length: number; excerpt: string; lineOffset: number | null }[];
  /** The heap dump object it is about (a leak suspect's holder); null for none. */
  heapObject: { sourceId: number; objectId: string } | null;
}

export function listFindings(db: Database.Database): FindingSummary[] {
  const rows = db.prepare("SELECT * FROM findings ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, id").all() as Record<string, string | number | null>[];
  return rows.map((r) => ({
    id: Number(r.id),
    kind: String(r.kind),
    severity: String(r.severity),
    title: String(r.title),
    explanation: String(r.explanation),
    cause: (r.cause as string | null) ?? null,
    exchange: r.exchange_id === null ? null : Number(r.exchange_id),
    evidence: (JSON.parse(String(r.evidence)) as Omit<FindingSummary['evidence'][number], 'lineOffset'>[]).map((e) => ({ ...e, lineOffset: evidenceLineOffset(db, e) })),
    heapObject: r.heap_object === null || r.heap_object === undefined ? null : (JSON.parse(String(r.heap_object)) as FindingSummary['heapObject']),
  }));
}
