// Error rates per server endpoint and slow requests: the aggregate view next to the explained
// individual errors.

import type Database from 'better-sqlite3';
import type { NewFinding } from './finding';

/** Below this many exchanges a rate says little. */
const MIN_EXCHANGES = 5;
/** An endpoint whose 5xx share is above this is reported. */
const ERROR_SHARE = 0.05;
/** A request is slow when it takes this much more than its endpoint's median, and at least SLOW_FLOOR_NS. */
const SLOW_FACTOR = 10;
const SLOW_FLOOR_NS = 500_000_000;

export function findErrorRates(db: Database.Database): NewFinding[] {
  const rows = db
    .prepare(
      `SELECT server, coalesce(container_id, '') AS container, proc, count(*) AS total,
              sum(status >= 500) AS server_errors, sum(status >= 400 AND status < 500) AS client_errors
       FROM http_exchanges WHERE status IS NOT NULL GROUP BY server, container_id, proc ORDER BY server`,
    )
    .all() as { server: string | null; container: string; proc: string | null; total: number; server_errors: number; client_errors: number }[];
  const findings: NewFinding[] = [];
  for (const r of rows) {
    if (r.total < MIN_EXCHANGES || r.server_errors / r.total <= ERROR_SHARE) continue;
    const pct = ((100 * r.server_errors) / r.total).toFixed(1);
    const who = [r.proc, r.container ? `container ${r.container}` : null, r.server].filter(Boolean).join(', ');
    findings.push({
      kind: 'error-rate',
      severity: 'warning',
      cause: null,
      exchangeId: null,
      title: `${pct} % of responses from ${r.server ?? 'a server'} are 5xx`,
      explanation: `${who} answered ${r.total} requests: ${r.server_errors} with a 5xx status (${pct} %) and ${r.client_errors} with a 4xx status.`,
      evidence: [],
    });
  }
  return findings.concat(findSlowRequests(db));
}

function findSlowRequests(db: Database.Database): NewFinding[] {
  // Per server (a missing one counts as ''), the median first-byte latency is the one at rank
  // floor(n / 2) + 1 in latency order; only the requests above the threshold leave SQLite. The
  // medians come from one sort of the latencies alone (both windows share it), not of whole rows:
  // the requests above the threshold are then found by a scan joined to them. Only servers with a
  // request over the floor can have a slow one (the threshold is never below it), so only theirs
  // are sorted: one scan finds them, and a capture with no request that slow sorts nothing.
  const rows = db
    .prepare(
      `WITH candidates AS MATERIALIZED (
         SELECT DISTINCT coalesce(server, '') AS server FROM http_exchanges WHERE resp_ts - req_ts > @floor),
       medians AS MATERIALIZED (
         SELECT server, latency AS median FROM (
           SELECT coalesce(server, '') AS server, resp_ts - req_ts AS latency,
                  row_number() OVER w AS rank, count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
           FROM http_exchanges WHERE resp_ts IS NOT NULL AND req_ts IS NOT NULL AND coalesce(server, '') IN candidates
           WINDOW w AS (PARTITION BY coalesce(server, '') ORDER BY resp_ts - req_ts))
         WHERE n >= @min AND rank = n / 2 + 1)
       SELECT x.id, x.stream_id, m.server, x.method, x.target, x.status, x.resp_start, x.resp_ts - x.req_ts AS latency, m.median
       FROM medians m JOIN http_exchanges x ON coalesce(x.server, '') = m.server
       WHERE +x.resp_ts IS NOT NULL AND +x.req_ts IS NOT NULL AND x.resp_ts - x.req_ts > max(@floor, m.median * @factor)
       ORDER BY m.server, latency, x.id`,
    )
    .safeIntegers(true)
    .all({ min: MIN_EXCHANGES, floor: SLOW_FLOOR_NS, factor: SLOW_FACTOR }) as { id: bigint; stream_id: bigint; server: string; method: string | null; target: string | null; status: bigint | null; resp_start: bigint | null; latency: bigint; median: bigint }[];
  return rows.map((r) => ({
    kind: 'slow-requests',
    severity: 'info',
    cause: null,
    exchangeId: Number(r.id),
    title: `slow response from ${r.server}: ${(Number(r.latency) / 1e6).toFixed(0)} ms`,
    explanation: `${r.method ?? '?'} ${r.target ?? ''} took ${(Number(r.latency) / 1e6).toFixed(1)} ms to its first response byte, over ${SLOW_FACTOR}× the median of ${(Number(r.median) / 1e6).toFixed(1)} ms for ${r.server}.`,
    evidence: [{ stream: Number(r.stream_id), dir: null, offset: Number(r.resp_start ?? 0n), length: 0, excerpt: `${r.status ?? ''}`.trim() }],
  }));
}
