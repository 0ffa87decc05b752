// The findings in scope as groups (./group-key.ts: the report's grouping), each with how often,
// from when to when, at which endpoints, and, for a group of responses of one status, how that
// weighs against all the responses of those endpoints: 49 identical 502 cards read as one problem.

import type Database from 'better-sqlite3';
import type { Severity } from '../../../common/evidence';
import type { ViewScope } from '../../api/wire';
import type { FindingGroupRow, FindingGroups } from './contract';
import { findingScope } from './finding-scope';
import { keyOf, SEVERITY_ORDER, toFindingRow, withLines } from './findings-page';

interface Member {
  row: ReturnType<typeof toFindingRow>;
  reqTs: bigint | null;
  server: string | null;
  status: number | null;
  reason: string | null;
}

interface Building {
  group: Omit<FindingGroupRow, 'endpoints' | 'share' | 'sameTitle'>;
  titles: Set<string>;
  servers: Map<string, number>;
  statuses: Set<number | null>;
  reason: string | null;
}

export function listFindingGroups(db: Database.Database, scope: ViewScope | undefined): FindingGroups {
  const s = findingScope(scope);
  const members = (
    db
      .prepare(
        `SELECT f.id, f.kind, f.severity, f.title, f.explanation, f.cause, f.exchange_id, f.evidence, f.heap_object, x.req_ts, x.server, x.status, x.reason
         FROM findings f LEFT JOIN http_exchanges x ON x.id = f.exchange_id
         WHERE ${s.where} ORDER BY ${SEVERITY_ORDER}, f.id`,
      )
      .safeIntegers(true)
      .all(...s.params) as Record<string, string | bigint | null>[]
  ).map(
    (r): Member => ({
      row: toFindingRow(numbers(r)),
      reqTs: r.req_ts === null || r.req_ts === undefined ? null : BigInt(r.req_ts),
      server: r.server === null ? null : String(r.server),
      status: r.status === null ? null : Number(r.status),
      reason: r.reason === null ? null : String(r.reason),
    }),
  );

  const groups = new Map<string, Building>();
  for (const m of members) {
    const key = keyOf(m.row);
    let b = groups.get(key);
    if (!b) {
      const { kind, severity, cause, title } = m.row;
      b = { group: { key, kind, severity: severity as Severity, cause, title, count: 0, firstTs: null, lastTs: null, first: m.row }, titles: new Set(), servers: new Map(), statuses: new Set(), reason: m.reason };
      groups.set(key, b);
    }
    b.group.count++;
    b.titles.add(m.row.title);
    b.statuses.add(m.status);
    if (m.server !== null) b.servers.set(m.server, (b.servers.get(m.server) ?? 0) + 1);
    if (m.reqTs !== null) {
      if (b.group.firstTs === null || m.reqTs < BigInt(b.group.firstTs)) b.group.firstTs = String(m.reqTs);
      if (b.group.lastTs === null || m.reqTs > BigInt(b.group.lastTs)) b.group.lastTs = String(m.reqTs);
    }
  }

  const leftOut = s.narrowed ? (db.prepare('SELECT count(*) FROM findings WHERE exchange_id IS NULL').pluck().get() as number) : 0;
  return {
    total: members.length,
    leftOut,
    note: s.filterNote,
    groups: [...groups.values()].map(({ group, titles, servers, statuses, reason }) => {
      const endpoints = [...servers].map(([server, count]) => ({ server, count })).sort((a, b) => b.count - a.count || a.server.localeCompare(b.server));
      const [status] = statuses;
      const oneStatus = statuses.size === 1 && status !== null && status !== undefined && endpoints.length > 0;
      return {
        ...group,
        sameTitle: titles.size === 1,
        endpoints,
        first: withLines(db, group.first),
        share: oneStatus ? { count: group.count, of: responsesOf(db, endpoints.map((e) => e.server), s.http), status, reason } : null,
      };
    }),
  };
}

/** The answered exchanges of these servers in the same scope: the banner's denominator. */
function responsesOf(db: Database.Database, servers: string[], http: ReturnType<typeof findingScope>['http']): number {
  return db
    .prepare(`SELECT count(*) FROM http_exchanges x WHERE x.status IS NOT NULL AND x.server IN (${servers.map(() => '?').join(', ')}) AND ${http.where}`)
    .pluck()
    .get(...servers, ...http.params) as number;
}

/** Back to numbers where a finding row has them (ids, offsets), as toFindingRow reads them. */
function numbers(r: Record<string, string | bigint | null>): Record<string, string | number | null> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
}
