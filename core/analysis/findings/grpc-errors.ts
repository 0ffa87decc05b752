// gRPC errors per service and method: every call that ended with a status other than OK, grouped by
// its service, method, status and message, with how many and when the first and last were. The
// aggregate a person reads before the explanations of single failures (service-errors.ts).

import type Database from 'better-sqlite3';
import type { NewFinding } from './finding';

interface Row {
  grpc_service: string | null;
  grpc_method: string | null;
  grpc_status: number;
  grpc_status_name: string;
  grpc_message: string | null;
  server: string | null;
  n: number;
  calls: number;
  first_ts: bigint | null;
  last_ts: bigint | null;
  first_id: bigint;
  stream_id: bigint;
  resp_start: bigint | null;
}

export function findGrpcErrors(db: Database.Database): NewFinding[] {
  const rows = db
    .prepare(
      // The finding points at the group's first call in time (ids follow no time order: staged-exchanges.ts).
      `WITH ranked AS (
         SELECT id, req_ts, grpc_service, grpc_method, grpc_status, grpc_status_name, grpc_message, server,
                row_number() OVER (PARTITION BY grpc_service, grpc_method, grpc_status, grpc_message, server ORDER BY req_ts IS NULL, req_ts, id) AS place
         FROM http_exchanges
         WHERE grpc_status IS NOT NULL AND grpc_status != 0),
       failed AS (
         SELECT grpc_service, grpc_method, grpc_status, grpc_status_name, grpc_message, server, count(*) AS n,
                min(req_ts) AS first_ts, max(req_ts) AS last_ts, min(CASE WHEN place = 1 THEN id END) AS first_id
         FROM ranked
         GROUP BY grpc_service, grpc_method, grpc_status, grpc_message, server)
       SELECT g.*, f.stream_id, coalesce(f.response_stream_id, f.stream_id) AS response_stream, f.resp_start,
              (SELECT count(*) FROM http_exchanges a WHERE a.grpc_service IS g.grpc_service AND a.grpc_method IS g.grpc_method AND a.server IS g.server AND a.grpc_req_messages IS NOT NULL) AS calls
       FROM failed g JOIN http_exchanges f ON f.id = g.first_id
       ORDER BY g.n DESC, g.first_ts`,
    )
    .safeIntegers(true)
    .all() as (Row & { response_stream: bigint })[];
  return rows.map((r) => {
    const call = r.grpc_service !== null ? `${r.grpc_service}/${r.grpc_method}` : 'calls whose :path the capture did not show';
    const n = Number(r.n);
    const calls = Number(r.calls);
    const status = `${r.grpc_status} ${r.grpc_status_name}${r.grpc_message !== null ? ` '${r.grpc_message}'` : ''}`;
    const when = r.first_ts === null ? '' : n === 1 ? ` at ${clock(r.first_ts)}` : ` from ${clock(r.first_ts)} to ${clock(r.last_ts!)}`;
    return {
      kind: 'grpc-errors',
      severity: 'error',
      cause: r.grpc_status_name,
      exchangeId: Number(r.first_id),
      title: `gRPC ${r.grpc_status_name}: ${call} (${n}×)`,
      explanation: `${n} of ${calls} ${calls === 1 ? 'call' : 'calls'} to ${call}${r.server ? ` on ${r.server}` : ''} failed with grpc-status ${status}${when}.`,
      evidence: [{ stream: Number(r.response_stream), dir: null, offset: Number(r.resp_start ?? 0n), length: 0, excerpt: `grpc-status: ${r.grpc_status}${r.grpc_message !== null ? `, grpc-message: ${r.grpc_message}` : ''}` }],
    };
  });
}

/** A capture time of day, UTC, to the millisecond: how logs print it. */
export function clock(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace('T', ' ').replace('Z', ' UTC');
}
