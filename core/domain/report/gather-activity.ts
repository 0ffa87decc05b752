// Who was busy: the top containers and processes (syscall captures know them), and the
// connections that moved the most bytes.

import type Database from 'better-sqlite3';
import type { ActivitySection, ConnectionRow, ContainerRow, ProcessRow, Scoped } from './model';
import type { Redactor } from './redact';
import { and, isRefused, omittedBecause, overlapCondition, rangeCondition, type Condition, type ReportScope } from './report-scope';
import { streamBytes, type ByteTotals } from './gather-stream-bytes';
import { processActivity } from '../../formats/scap/schema/activity';

const TOP = 10;

export function gatherActivity(db: Database.Database, scope: ReportScope, redact: Redactor): ActivitySection {
  const knowsProcesses = db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
  const streams = isRefused(scope.streams) ? null : scope.streams;
  return {
    knowsProcesses,
    containers: knowsProcesses ? scopedByEvents(scope, (events) => topContainers(db, events, streams, scope.range)) : { rows: [] },
    processes: knowsProcesses ? scopedByEvents(scope, (events) => topProcesses(db, events, streams, scope.range, redact)) : { rows: [] },
    connections: streams ? { rows: topConnections(db, streams, scope.range) } : { omitted: omittedBecause('streams', scope.streams as { refused: string }) },
  };
}

function scopedByEvents<T>(scope: ReportScope, gather: (events: Condition) => T): Scoped<T> {
  if (isRefused(scope.events)) return { omitted: omittedBecause('syscall events', scope.events) };
  return { rows: gather(and(scope.events, rangeCondition('e.ts', scope.range))) };
}

const NO_BYTES: ByteTotals = { bytesIn: 0, bytesOut: 0 };

// Containers and processes are counted by their activity events, as sysdig counts them: the
// capture's own records (procinfo for every process of the process list, container records of
// pid -1) say nothing of who was busy (formats/scap/schema/activity.ts).
function topContainers(db: Database.Database, events: Condition, streams: Condition | null, range: ReportScope['range']): ContainerRow[] {
  const rows = db
    .prepare(
      `SELECT e.container_id AS id, count(*) AS events, sum(e.res < 0) AS errors, count(DISTINCT e.pid) AS processes
       FROM events e WHERE ${events.where} AND e.container_id IS NOT NULL AND ${processActivity()} GROUP BY e.container_id ORDER BY events DESC, id LIMIT ?`,
    )
    .all(...events.params, TOP) as { id: string; events: number; errors: number | null; processes: number }[];
  const bytes = streams ? streamBytes(db, 's.container_id', streams, range) : null;
  const meta = db.prepare('SELECT name, image FROM containers WHERE id = ? ORDER BY source_id LIMIT 1');
  return rows.map((r) => {
    const m = meta.get(r.id) as { name: string | null; image: string | null } | undefined;
    const b = bytes?.get(r.id) ?? NO_BYTES;
    return { id: r.id, name: r.id === 'host' ? 'host' : (m?.name ?? null), image: m?.image ?? null, events: r.events, errors: Number(r.errors ?? 0), processes: r.processes, ...b };
  });
}

function topProcesses(db: Database.Database, events: Condition, streams: Condition | null, range: ReportScope['range'], redact: Redactor): ProcessRow[] {
  const rows = db
    .prepare(
      `SELECT e.source_id AS source, e.pid, e.proc, e.container_id, count(*) AS events, sum(e.res < 0) AS errors
       FROM events e WHERE ${events.where} AND ${processActivity()} GROUP BY e.source_id, e.pid, e.proc, e.container_id ORDER BY events DESC, e.pid LIMIT ?`,
    )
    .all(...events.params, TOP) as { source: number; pid: number; proc: string | null; container_id: string | null; events: number; errors: number | null }[];
  const bytes = streams ? streamBytes(db, "s.source_id || ':' || s.pid", streams, range) : null;
  const processInfo = db.prepare('SELECT exe, args FROM processes WHERE source_id = ? AND pid = ? ORDER BY id DESC LIMIT 1');
  const containerName = db.prepare('SELECT name FROM containers WHERE id = ? ORDER BY source_id LIMIT 1').pluck();
  return rows.map((r) => {
    const info = processInfo.get(r.source, r.pid) as { exe: string | null; args: string | null } | undefined;
    const container = r.container_id === null ? null : r.container_id === 'host' ? 'host' : ((containerName.get(r.container_id) as string | undefined) ?? r.container_id);
    return {
      pid: r.pid,
      name: r.proc,
      container,
      commandLine: info ? redact.text(commandLine(info.exe, info.args)) : null,
      events: r.events,
      errors: Number(r.errors ?? 0),
      ...(bytes?.get(`${r.source}:${r.pid}`) ?? NO_BYTES),
    };
  });
}

function commandLine(exe: string | null, args: string | null): string {
  let list: unknown = [];
  try {
    list = JSON.parse(args ?? '[]');
  } catch {
    list = [];
  }
  return [exe ?? '', ...(Array.isArray(list) ? list.map(String) : [])].join(' ').trim();
}

function topConnections(db: Database.Database, streams: Condition, range: ReportScope['range']): ConnectionRow[] {
  const network: Condition = { where: 's.l4proto IS NOT NULL', params: [] };
  let ids: number[];
  let bytes: Map<string, ByteTotals> | null = null;
  if (range) {
    bytes = streamBytes(db, 's.id', streams, range, network);
    ids = [...bytes.entries()].sort((a, b) => b[1].bytesIn + b[1].bytesOut - (a[1].bytesIn + a[1].bytesOut) || Number(a[0]) - Number(b[0])).slice(0, TOP).map(([id]) => Number(id));
  } else {
    const where = and(streams, network, overlapCondition('s.first_ts', 's.last_ts', range));
    ids = db.prepare(`SELECT s.id FROM streams s WHERE ${where.where} ORDER BY s.bytes_in + s.bytes_out DESC, s.id LIMIT ?`).pluck().all(...where.params, TOP) as number[];
  }
  const detail = db
    .prepare(
      `SELECT s.id, s.kind, s.tuple, s.proc, s.pid, s.container_id, s.role, s.bytes_in, s.bytes_out, s.first_ts, s.last_ts, s.state,
         (SELECT c.name FROM containers c WHERE c.source_id = s.source_id AND c.id = s.container_id) AS container_name,
         (SELECT p.protocol FROM stream_protocols p WHERE p.stream_id = s.id) AS protocol
       FROM streams s WHERE s.id = ?`,
    )
    .safeIntegers();
  return ids.map((id) => {
    const r = detail.get(id) as Record<string, bigint | string | null>;
    const b = bytes?.get(String(id));
    const endpoint = r.pid === null ? null : `${r.proc ?? '?'} (${r.pid})${r.container_id && r.container_id !== 'host' ? ` in ${r.container_name ?? r.container_id}` : ''}, ${r.role ?? 'client'}`;
    return {
      stream: id,
      kind: String(r.kind),
      tuple: r.tuple as string | null,
      endpoint,
      protocol: r.protocol as string | null,
      bytesIn: b ? b.bytesIn : Number(r.bytes_in),
      bytesOut: b ? b.bytesOut : Number(r.bytes_out),
      firstTs: r.first_ts === null ? null : String(r.first_ts),
      lastTs: r.last_ts === null ? null : String(r.last_ts),
      state: r.state as string | null,
    };
  });
}
