// RST_STREAM and GOAWAY storms: many HTTP/2 streams reset, or connections told to go away, in a
// short time. One reset is a cancelled call; a burst of them is a client giving up on a slow
// server, a server refusing work (REFUSED_STREAM, ENHANCE_YOUR_CALM) or the HTTP/2 "rapid reset"
// pattern; a burst of GOAWAYs is a server (or a proxy) draining or shedding its connections.

import type Database from 'better-sqlite3';
import { clock } from './grpc-errors';
import type { NewFinding } from './finding';

/** Resets of one kind to one server within RESET_WINDOW_NS that make a storm. */
export const RESET_STORM = 10;
const RESET_WINDOW_NS = 1_000_000_000;
/** GOAWAYs from one side of one server within GOAWAY_WINDOW_NS that make a storm. */
export const GOAWAY_STORM = 3;
const GOAWAY_WINDOW_NS = 10_000_000_000;

export function findHttp2Storms(db: Database.Database): NewFinding[] {
  return [...resetStorms(db), ...goawayStorms(db)];
}

function resetStorms(db: Database.Database): NewFinding[] {
  // For each reset, how many of the same kind to the same server began in the window it opens: the
  // largest such count per kind is its storm.
  const rows = db
    .prepare(
      `WITH resets AS (
         SELECT id, stream_id, server, http2_error, http2_error_by, req_ts,
                count(*) OVER (PARTITION BY server, http2_error, http2_error_by ORDER BY req_ts RANGE BETWEEN CURRENT ROW AND ${RESET_WINDOW_NS} FOLLOWING) AS burst,
                count(*) OVER (PARTITION BY server, http2_error, http2_error_by) AS total
         FROM http_exchanges WHERE http2_error_frame = 'RST_STREAM' AND req_ts IS NOT NULL
       ),
       peaks AS (SELECT *, row_number() OVER (PARTITION BY server, http2_error, http2_error_by ORDER BY burst DESC, req_ts) AS pick FROM resets)
       SELECT id, stream_id, server, http2_error, http2_error_by, req_ts, burst, total FROM peaks WHERE pick = 1 AND burst >= ? ORDER BY req_ts`,
    )
    .safeIntegers(true)
    .all(RESET_STORM) as { id: bigint; stream_id: bigint; server: string | null; http2_error: string; http2_error_by: string; req_ts: bigint; burst: bigint; total: bigint }[];
  return rows.map((r) => ({
    kind: 'http2-reset-storm',
    severity: 'warning',
    cause: r.http2_error,
    exchangeId: Number(r.id),
    title: `RST_STREAM storm: ${r.burst} streams to ${r.server ?? 'a server'} reset (${r.http2_error}) within a second`,
    explanation:
      `The ${r.http2_error_by} reset ${r.total} HTTP/2 ${Number(r.total) === 1 ? 'stream' : 'streams'} to ${r.server ?? 'a server'} with RST_STREAM ${r.http2_error}, ` +
      `${r.burst} of them within one second from ${clock(r.req_ts)}` +
      (r.http2_error_by === 'client' && r.http2_error === 'CANCEL' ? ': clients gave up on the calls (deadlines, cancellations, or a rapid-reset flood).' : r.http2_error === 'REFUSED_STREAM' || r.http2_error === 'ENHANCE_YOUR_CALM' ? ': the server refused work.' : '.'),
    evidence: [],
  }));
}

function goawayStorms(db: Database.Database): NewFinding[] {
  const rows = db
    .prepare(
      `WITH g AS (
         SELECT id, stream_id, sender, server, ts, offset, error, debug,
                count(*) OVER (PARTITION BY server, sender ORDER BY ts RANGE BETWEEN CURRENT ROW AND ${GOAWAY_WINDOW_NS} FOLLOWING) AS burst,
                count(*) OVER (PARTITION BY server, sender) AS total,
                (SELECT group_concat(DISTINCT o.error) FROM http2_goaways o WHERE o.server IS http2_goaways.server AND o.sender = http2_goaways.sender) AS errors
         FROM http2_goaways
       ),
       peaks AS (SELECT *, row_number() OVER (PARTITION BY server, sender ORDER BY burst DESC, ts) AS pick FROM g)
       SELECT * FROM peaks WHERE pick = 1 AND burst >= ? ORDER BY ts`,
    )
    .safeIntegers(true)
    .all(GOAWAY_STORM) as { stream_id: bigint; sender: string; server: string | null; ts: bigint; offset: bigint; error: string; debug: string; burst: bigint; total: bigint; errors: string }[];
  return rows.map((r) => ({
    kind: 'http2-goaway-storm',
    severity: 'warning',
    cause: r.errors,
    exchangeId: null,
    title: `GOAWAY storm: ${r.burst} HTTP/2 connections ${r.sender === 'server' ? `closed by ${r.server ?? 'a server'}` : `to ${r.server ?? 'a server'} closed by their clients`} within ${GOAWAY_WINDOW_NS / 1e9} s`,
    explanation: `The ${r.sender} sent GOAWAY on ${r.total} HTTP/2 connections to ${r.server ?? 'a server'} (${r.errors}), ${r.burst} of them within ${GOAWAY_WINDOW_NS / 1e9} seconds from ${clock(r.ts)}: ${r.sender === 'server' ? 'the server drained or shed its connections, and its clients had to reconnect' : 'its clients kept leaving'}.`,
    evidence: [{ stream: Number(r.stream_id), dir: null, offset: Number(r.offset), length: 17, excerpt: `GOAWAY ${r.error}${r.debug ? ` '${r.debug}'` : ''}` }],
  }));
}
