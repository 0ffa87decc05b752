// The report's first section: which evidence, read how far, covering what span of time.

import type Database from 'better-sqlite3';
import { captureSpan } from '../../analysis/rollup/span';
import type { EvidenceSection } from './model';
import type { CaptureSpan } from './time-spec';

const PROBLEMS_SHOWN = 20;
const SINGULAR: Record<string, string> = {
  packets: 'packet',
  'syscall events': 'syscall event',
  connections: 'connection',
  streams: 'stream',
  'HTTP exchanges': 'HTTP exchange',
  findings: 'finding',
  'heap dumps': 'heap dump',
};

/**
 * First and last moment of captured activity, as the views have it (core/analysis/rollup/span.ts):
 * the report and the UI agree on the span; null for heap dumps alone.
 */
export function reportSpan(db: Database.Database): CaptureSpan | null {
  const span = captureSpan(db);
  return span ? { first: span.from, last: span.to } : null;
}

export function gatherEvidence(db: Database.Database): EvidenceSection {
  const files = (db.prepare('SELECT * FROM sources ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
    file: String(r.file),
    entry: String(r.entry),
    format: String(r.format),
    compression: JSON.parse(String(r.compression ?? '[]')) as string[],
    bytes: r.size === null ? null : Number(r.size),
    status: String(r.status),
    detail: String(r.detail ?? ''),
    error: (r.error as string | null) ?? null,
  }));
  const span = reportSpan(db);
  const hosts = (db.prepare('SELECT hostname, num_cpus, memory_bytes, format FROM machine ORDER BY source_id').all() as Record<string, unknown>[]).map((r) => ({
    hostname: String(r.hostname ?? ''),
    cpus: r.num_cpus === null ? null : Number(r.num_cpus),
    memoryBytes: r.memory_bytes === null ? null : Number(r.memory_bytes),
    format: (r.format as string | null) ?? null,
  }));
  const count = (sql: string) => Number(db.prepare(sql).pluck().get() ?? 0);
  const counts = [
    { label: 'packets', value: count('SELECT count(*) FROM packets') },
    { label: 'syscall events', value: count('SELECT count(*) FROM events') },
    { label: 'connections', value: count('SELECT count(*) FROM streams WHERE l4proto IS NOT NULL') },
    { label: 'streams', value: count('SELECT count(*) FROM streams') },
    { label: 'HTTP exchanges', value: count('SELECT count(*) FROM http_exchanges') },
    { label: 'findings', value: count('SELECT count(*) FROM findings') },
    { label: 'heap dumps', value: count("SELECT count(DISTINCT source_id) FROM heap_summary") },
  ]
    .filter((c) => c.value > 0)
    .map((c) => (c.value === 1 ? { ...c, label: SINGULAR[c.label] ?? c.label } : c));
  const problemWhere = "WHERE d.severity IN ('warning', 'error')";
  const problems = (
    db
      .prepare(`SELECT d.severity, d.code, s.entry, d.offset, d.message FROM diagnostics d LEFT JOIN sources s ON s.id = d.source_id ${problemWhere} ORDER BY d.severity = 'error' DESC, d.id LIMIT ?`)
      .all(PROBLEMS_SHOWN) as Record<string, unknown>[]
  ).map((r) => ({ severity: String(r.severity), code: String(r.code), entry: (r.entry as string | null) ?? null, offset: r.offset === null ? null : Number(r.offset), message: String(r.message) }));
  const problemTotal = count(`SELECT count(*) FROM diagnostics d ${problemWhere}`);
  return { files, span: span ? { first: String(span.first), last: String(span.last) } : null, hosts, counts, problems, problemTotal };
}
