// The HTTP summary: status codes, latency percentiles per endpoint, and the exchanges worth
// reading in full (the first failures, the slowest successes) with their headers, redacted.

import type Database from 'better-sqlite3';
import type { EndpointRow, GrpcMethodRow, HttpSection, NotableExchange, Scoped } from './model';
import type { Redactor } from './redact';
import { clip } from './clip';
import { and, isRefused, omittedBecause, rangeCondition, type Condition, type ReportScope } from './report-scope';
import { nearestRank } from './percentiles';

const ENDPOINTS_SHOWN = 25;
const FAILED_SHOWN = 10;
const SLOW_SHOWN = 3;
const HEADERS_SHOWN = 40;

const GRPC_SHOWN = 25;

const FAILED = "(x.status >= 400 OR x.status IS NULL OR (x.grpc_status IS NOT NULL AND x.grpc_status != 0) OR EXISTS (SELECT 1 FROM http_diagnostics d WHERE d.exchange_id = x.id AND d.severity = 'error'))";

export function gatherHttp(db: Database.Database, scope: ReportScope, redact: Redactor): Scoped<HttpSection> | null {
  if (Number(db.prepare('SELECT count(*) FROM http_exchanges').pluck().get()) === 0) return null;
  if (isRefused(scope.http)) return { omitted: omittedBecause('HTTP exchanges', scope.http) };
  const where = and(scope.http, rangeCondition('x.req_ts', scope.range));
  const statuses = (db.prepare(`SELECT x.status AS status, min(x.reason) AS reason, count(*) AS n FROM http_exchanges x WHERE ${where.where} GROUP BY x.status ORDER BY x.status IS NULL, x.status`).all(...where.params) as { status: number | null; reason: string | null; n: number }[]).map(
    (r) => ({ status: r.status, reason: r.reason === null ? null : redact.text(r.reason), count: r.n }),
  );
  const exchanges = statuses.reduce((sum, s) => sum + s.count, 0);
  const endpoints = gatherEndpoints(db, where);
  return {
    rows: {
      exchanges,
      statuses,
      endpoints: endpoints.slice(0, ENDPOINTS_SHOWN),
      endpointTotal: endpoints.length,
      grpc: gatherGrpc(db, where, redact),
      notable: notableExchanges(db, where, redact),
    },
  };
}

/** Server, method and path (the target without its query: one endpoint, whatever the parameters). */
function gatherEndpoints(db: Database.Database, where: Condition): EndpointRow[] {
  const rows = db
    .prepare(`SELECT x.server, x.method, x.target, x.status, x.resp_ts - x.req_ts AS latency FROM http_exchanges x WHERE ${where.where}`)
    .safeIntegers()
    .iterate(...where.params) as IterableIterator<{ server: string | null; method: string | null; target: string | null; status: bigint | null; latency: bigint | null }>;
  const byEndpoint = new Map<string, { row: EndpointRow; latencies: number[] }>();
  for (const r of rows) {
    const path = clip(pathOf(r.target));
    const key = `${r.server ?? ''}\u0000${r.method ?? ''}\u0000${path}`;
    let entry = byEndpoint.get(key);
    if (!entry) {
      entry = { row: { server: r.server, method: r.method, path, count: 0, clientErrors: 0, serverErrors: 0, noResponse: 0, p50: null, p90: null, p99: null, max: null }, latencies: [] };
      byEndpoint.set(key, entry);
    }
    entry.row.count++;
    const status = r.status === null ? null : Number(r.status);
    if (status === null) entry.row.noResponse++;
    else if (status >= 500) entry.row.serverErrors++;
    else if (status >= 400) entry.row.clientErrors++;
    if (r.latency !== null) entry.latencies.push(Number(r.latency) / 1e6);
  }
  const result = [...byEndpoint.values()].map(({ row, latencies }) => {
    if (latencies.length === 0) return row;
    latencies.sort((a, b) => a - b);
    return { ...row, p50: nearestRank(latencies, 50), p90: nearestRank(latencies, 90), p99: nearestRank(latencies, 99), max: latencies[latencies.length - 1]! };
  });
  return result.sort((a, b) => b.count - a.count || (b.serverErrors - a.serverErrors) || a.path.localeCompare(b.path));
}

/** gRPC calls per server, service and method: how they ended, the first error, latency. */
function gatherGrpc(db: Database.Database, where: Condition, redact: Redactor): GrpcMethodRow[] {
  const rows = db
    .prepare(
      `SELECT x.server, x.grpc_service AS service, x.grpc_method AS method, x.grpc_status_name AS status, x.grpc_status AS code, x.grpc_message AS message,
              x.req_ts, x.resp_ts - x.req_ts AS latency
       FROM http_exchanges x WHERE x.grpc_req_messages IS NOT NULL AND ${where.where} ORDER BY x.req_ts, x.id`,
    )
    .safeIntegers()
    .iterate(...where.params) as IterableIterator<{ server: string | null; service: string | null; method: string | null; status: string | null; code: bigint | null; message: string | null; req_ts: bigint | null; latency: bigint | null }>;
  const byMethod = new Map<string, { row: GrpcMethodRow; statuses: Map<string, number>; latencies: number[] }>();
  for (const r of rows) {
    const key = `${r.server ?? ''}\u0000${r.service ?? ''}\u0000${r.method ?? ''}`;
    let entry = byMethod.get(key);
    if (!entry) {
      const row: GrpcMethodRow = { server: r.server, service: r.service === null ? null : clip(r.service), method: r.method === null ? null : clip(r.method), calls: 0, statuses: [], errors: 0, firstError: null, firstErrorTs: null, lastErrorTs: null, p50: null, p99: null };
      entry = { row, statuses: new Map(), latencies: [] };
      byMethod.set(key, entry);
    }
    entry.row.calls++;
    const status = r.status ?? 'no status seen';
    entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
    if (r.code !== null && r.code !== 0n) {
      entry.row.errors++;
      const ts = r.req_ts === null ? null : String(r.req_ts);
      if (entry.row.errors === 1) {
        entry.row.firstError = r.message === null ? null : clip(redact.text(r.message));
        entry.row.firstErrorTs = ts;
      }
      entry.row.lastErrorTs = ts;
    }
    if (r.latency !== null) entry.latencies.push(Number(r.latency) / 1e6);
  }
  return [...byMethod.values()]
    .map(({ row, statuses, latencies }) => {
      latencies.sort((a, b) => a - b);
      return {
        ...row,
        statuses: [...statuses].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
        p50: latencies.length ? nearestRank(latencies, 50) : null,
        p99: latencies.length ? nearestRank(latencies, 99) : null,
      };
    })
    .sort((a, b) => b.errors - a.errors || b.calls - a.calls || `${a.service}/${a.method}`.localeCompare(`${b.service}/${b.method}`))
    .slice(0, GRPC_SHOWN);
}

export function pathOf(target: string | null): string {
  if (target === null) return '(no request line)';
  const cut = target.search(/[?#]/);
  return cut < 0 ? target : target.slice(0, cut);
}

/**
 * The first failed exchange of each kind of failure (same server, method, path, status and
 * diagnostics), with how many more failed the same way, then the slowest successful exchanges.
 */
function notableExchanges(db: Database.Database, where: Condition, redact: Redactor): NotableExchange[] {
  const failed = and(where, { where: FAILED, params: [] });
  const kinds = new Map<string, { id: number; similar: number }>();
  const rows = db
    .prepare(
      `SELECT x.id, x.server, x.method, x.target, x.status, x.grpc_status,
         (SELECT group_concat(d.code) FROM http_diagnostics d WHERE d.exchange_id = x.id AND d.severity = 'error') AS codes
       FROM http_exchanges x WHERE ${failed.where} ORDER BY x.req_ts, x.id`,
    )
    .iterate(...failed.params) as IterableIterator<{ id: number; server: string | null; method: string | null; target: string | null; status: number | null; grpc_status: number | null; codes: string | null }>;
  for (const r of rows) {
    const key = [r.server, r.method, pathOf(r.target), r.status, r.grpc_status, r.codes].join('\u0000');
    const kind = kinds.get(key);
    if (kind) kind.similar++;
    else if (kinds.size < FAILED_SHOWN) kinds.set(key, { id: r.id, similar: 0 });
  }
  const succeeded = and(where, { where: `NOT ${FAILED} AND x.resp_ts IS NOT NULL`, params: [] });
  const slowest = db.prepare(`SELECT x.id FROM http_exchanges x WHERE ${succeeded.where} ORDER BY x.resp_ts - x.req_ts DESC, x.id LIMIT ?`).pluck().all(...succeeded.params, SLOW_SHOWN) as number[];
  return [...[...kinds.values()].map((k) => exchangeDetail(db, k.id, 'failed', k.similar, redact)), ...slowest.map((id) => exchangeDetail(db, id, 'slow', 0, redact))];
}

function exchangeDetail(db: Database.Database, id: number, why: NotableExchange['why'], similar: number, redact: Redactor): NotableExchange {
  const r = db
    .prepare('SELECT x.id, x.req_ts, x.resp_ts - x.req_ts AS latency, x.client, x.server, x.method, x.target, x.status, x.reason, x.req_headers, x.resp_headers, x.grpc_req_messages, x.grpc_status_name, x.grpc_message FROM http_exchanges x WHERE x.id = ?')
    .safeIntegers()
    .get(id) as Record<string, bigint | string | null>;
  const diagnostics = db.prepare('SELECT code, side, line FROM http_diagnostics WHERE exchange_id = ? ORDER BY side DESC, offset').all(id) as { code: string; side: string; line: string }[];
  return {
    id,
    why,
    similar,
    reqTs: r.req_ts === null ? null : String(r.req_ts),
    client: r.client as string | null,
    server: r.server as string | null,
    method: r.method as string | null,
    target: r.target === null ? null : clip(redact.target(String(r.target))),
    status: r.status === null ? null : Number(r.status),
    reason: r.reason === null ? null : redact.text(String(r.reason)),
    latencyMs: r.latency === null ? null : Number(r.latency) / 1e6,
    grpc: r.grpc_req_messages === null ? null : { status: r.grpc_status_name as string | null, message: r.grpc_message === null ? null : clip(redact.text(String(r.grpc_message))) },
    requestHeaders: headers(r.req_headers as string | null, redact),
    responseHeaders: headers(r.resp_headers as string | null, redact),
    diagnostics: diagnostics.map((d) => ({ code: d.code, side: d.side, line: clip(redact.text(d.line)) })),
  };
}

function headers(json: string | null, redact: Redactor): [string, string][] {
  if (!json) return [];
  const parsed = JSON.parse(json) as [string, string][];
  const shown = parsed.slice(0, HEADERS_SHOWN).map(([name, value]): [string, string] => {
    const masked = redact.headerValue(name, value);
    return [clip(name), clip(masked)];
  });
  if (parsed.length > HEADERS_SHOWN) shown.push(['…', `${parsed.length - HEADERS_SHOWN} more header fields`]);
  return shown;
}
