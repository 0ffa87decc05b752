// What failed: syscalls that returned an error, connections reset or never answered, and the
// RFC 9110/9112 violations found in HTTP messages.

import type Database from 'better-sqlite3';
import { errnoName } from '../../../common/errno';
import type { ErrorsSection, Scoped } from './model';
import type { Redactor } from './redact';
import { clip } from './clip';
import { and, isRefused, omittedBecause, overlapCondition, rangeCondition, type Condition, type ReportScope, type TargetScope } from './report-scope';

const TOP = 15;
const PROCESSES_NAMED = 5;

export function gatherErrors(db: Database.Database, scope: ReportScope, redact: Redactor): ErrorsSection {
  const hasEvents = db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
  const hasHttp = db.prepare('SELECT 1 FROM http_exchanges LIMIT 1').get() !== undefined;
  const hasTcp = db.prepare("SELECT 1 FROM streams WHERE l4proto = 'tcp' LIMIT 1").get() !== undefined;
  return {
    syscalls: hasEvents ? scoped(scope.events, 'syscall events', (events) => syscallErrors(db, and(events, rangeCondition('e.ts', scope.range)))) : null,
    connections: !hasTcp ? null : scoped(scope.streams, 'streams', (streams) => failedConnections(db, and(streams, overlapCondition('s.first_ts', 's.last_ts', scope.range)))),
    httpDiagnostics: hasHttp ? scoped(scope.http, 'HTTP exchanges', (http) => httpDiagnostics(db, and(http, rangeCondition('x.req_ts', scope.range)), redact)) : null,
  };
}

function scoped<T>(target: TargetScope, what: string, gather: (condition: Condition) => T): Scoped<T> {
  return isRefused(target) ? { omitted: omittedBecause(what, target) } : { rows: gather(target) };
}

function syscallErrors(db: Database.Database, where: Condition): { type: string; errno: string; count: number; processes: string[] }[] {
  const rows = db
    .prepare(`SELECT e.type, e.res, count(*) AS n, group_concat(DISTINCT e.proc) AS procs FROM events e WHERE ${where.where} AND e.res < 0 GROUP BY e.type, e.res ORDER BY n DESC, e.type LIMIT ?`)
    .all(...where.params, TOP) as { type: string; res: number; n: number; procs: string | null }[];
  return rows.map((r) => {
    const procs = (r.procs ?? '').split(',').filter(Boolean);
    return { type: r.type, errno: `${r.res} (${errnoName(r.res)})`, count: r.n, processes: procs.length > PROCESSES_NAMED ? [...procs.slice(0, PROCESSES_NAMED), `${procs.length - PROCESSES_NAMED} more`] : procs };
  });
}

function failedConnections(db: Database.Database, where: Condition): { server: string; state: string; count: number }[] {
  const rows = db
    .prepare(
      `SELECT s.server_addr AS addr, s.server_port AS port, s.family, s.state, count(*) AS n FROM streams s
       WHERE ${where.where} AND s.l4proto = 'tcp' AND s.state IN ('rst', 'syn') GROUP BY addr, port, s.state ORDER BY n DESC, addr, port LIMIT ?`,
    )
    .all(...where.params, TOP) as { addr: string | null; port: number | null; family: number | null; state: string; n: number }[];
  return rows.map((r) => ({
    server: r.addr === null ? '(unknown)' : `${r.family === 6 ? `[${r.addr}]` : r.addr}:${r.port ?? '?'}`,
    state: r.state === 'rst' ? 'reset' : 'no answer to SYN',
    count: r.n,
  }));
}

function httpDiagnostics(db: Database.Database, where: Condition, redact: Redactor): { code: string; severity: string; count: number; line: string; message: string }[] {
  const rows = db
    .prepare(
      `SELECT d.code, d.severity, count(*) AS n, min(d.id) AS first FROM http_diagnostics d JOIN http_exchanges x ON x.id = d.exchange_id
       WHERE ${where.where} GROUP BY d.code, d.severity ORDER BY d.severity = 'error' DESC, n DESC, d.code LIMIT ?`,
    )
    .all(...where.params, TOP) as { code: string; severity: string; n: number; first: number }[];
  const example = db.prepare('SELECT line, message FROM http_diagnostics WHERE id = ?');
  return rows.map((r) => {
    const e = example.get(r.first) as { line: string; message: string };
    return { code: r.code, severity: r.severity, count: r.n, line: clip(redact.text(e.line)), message: redact.text(e.message) };
  });
}
