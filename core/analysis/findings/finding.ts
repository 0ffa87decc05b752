// A finding: what capscope points at, with its explanation and the bytes that prove it.

import type Database from 'better-sqlite3';

export interface FindingEvidence {
  stream: number;
  /** Direction of the stream the bytes are in ('in' / 'out'), when known. */
  dir: 'in' | 'out' | null;
  offset: number;
  length: number;
  excerpt: string;
}

export interface NewFinding {
  kind: 'proxy-error' | 'upstream-error' | 'grpc-errors' | 'http2-reset-storm' | 'http2-goaway-storm' | 'request-rejected' | 'error-rate' | 'slow-requests' | 'leak-suspect';
  severity: 'error' | 'warning' | 'info';
  title: string;
  explanation: string;
  /** Machine-readable cause, per kind. */
  cause: string | null;
  exchangeId: number | null;
  evidence: FindingEvidence[];
  /** The object of a heap dump it is about (a leak suspect's holder), for the heap view. */
  heapObject?: { sourceId: number; objectId: string };
}

export function storeFindings(db: Database.Database, findings: NewFinding[]): void {
  const insert = db.prepare('INSERT INTO findings (kind, severity, title, explanation, cause, exchange_id, evidence, heap_object) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.exec('DELETE FROM findings');
    for (const f of findings) insert.run(f.kind, f.severity, f.title, f.explanation, f.cause, f.exchangeId, JSON.stringify(f.evidence), f.heapObject ? JSON.stringify(f.heapObject) : null);
  })();
}
