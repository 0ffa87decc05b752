// "Why did the proxy answer 400?" A 400 whose request carries an error diagnostic: the request was
// malformed, and the diagnostic says how and where.

import type Database from 'better-sqlite3';
import type { NewFinding } from './finding';

export function findRejectedRequests(db: Database.Database): NewFinding[] {
  const rows = db
    .prepare(
      `SELECT e.id, e.stream_id, e.client, e.server, e.method, e.target, e.req_start, d.stream_id AS d_stream, d.dir, d.offset, d.line, d.message
       FROM http_exchanges e JOIN http_diagnostics d ON d.exchange_id = e.id AND d.side = 'request' AND d.severity = 'error'
       WHERE e.status = 400 ORDER BY e.req_ts, d.offset`,
    )
    .all() as { id: number; stream_id: number; client: string | null; server: string | null; method: string | null; target: string | null; req_start: number | null; d_stream: number; dir: 'in' | 'out'; offset: number; line: string; message: string }[];
  const seen = new Set<number>();
  const findings: NewFinding[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue; // the first error of each request explains it
    seen.add(r.id);
    const at = r.req_start !== null ? r.offset - r.req_start : r.offset;
    findings.push({
      kind: 'request-rejected',
      severity: 'warning',
      cause: 'malformed-request',
      exchangeId: r.id,
      title: '400 Bad Request: malformed request',
      explanation: `${r.server ?? 'The server'} answered 400 Bad Request to ${r.client ?? 'a client'}${r.method ? ` for ${r.method} ${r.target ?? ''}`.trimEnd() : ''} because the request has the line \`${r.line}\` — ${r.message} — at byte ${at}. HAProxy logs this as termination state PR--.`,
      evidence: [{ stream: r.d_stream, dir: r.dir, offset: r.offset, length: r.line.length, excerpt: r.line }],
    });
  }
  return findings;
}
