// "Why did the proxy answer 502?" For each 502/503/504 a proxy sent to a client, find the upstream
// exchange it made for that request and name the cause, in the terms HAProxy's own log uses for
// the same thing (its termination state): a malformed upstream response (PH), an upstream that
// reset or closed before its headers (SH) or during its body (SD), no answer before the 504 (sH),
// a refused connection (SC).

import type Database from 'better-sqlite3';
import { CONTAINER_NAME } from '../http/exchange-sql';
import type { NewFinding } from './finding';
import { UpstreamPairing } from './upstream-pairing';
import { describeEndpoint } from './endpoint-words';

interface ExchangeRow {
  id: number;
  stream_id: number;
  response_stream_id: number | null;
  client: string | null;
  server: string | null;
  container_id: string | null;
  container_name: string | null;
  proc: string | null;
  pid: number | null;
  method: string | null;
  target: string | null;
  host: string | null;
  req_headers: string | null;
  status: number | null;
  reason: string | null;
  req_ts: bigint | null;
  resp_ts: bigint | null;
  resp_start: number | null;
  resp_end: number | null;
  resp_complete: number;
}

interface DiagnosticRow {
  stream_id: number;
  side: 'request' | 'response';
  dir: 'in' | 'out';
  code: string;
  severity: string;
  offset: number;
  line: string;
  message: string;
}

export type ProxyErrorCause =
  | 'malformed-upstream-response'
  | 'upstream-error-status'
  | 'upstream-reset-before-headers'
  | 'upstream-closed-before-headers'
  | 'upstream-closed-during-body'
  | 'upstream-timeout'
  | 'connection-refused'
  | 'upstream-not-found';

/** HAProxy's termination state for each cause (its log is the oracle of the tests). */
export const HAPROXY_STATE: Record<ProxyErrorCause, string | null> = {
  'malformed-upstream-response': 'PH--',
  'upstream-error-status': null,
  'upstream-reset-before-headers': 'SH--',
  'upstream-closed-before-headers': 'SH--',
  'upstream-closed-during-body': 'SD--',
  'upstream-timeout': 'sH--',
  'connection-refused': 'SC--',
  'upstream-not-found': null,
};

const PROXY_STATUSES = new Set([502, 503, 504]);

export function findProxyErrors(db: Database.Database): NewFinding[] {
  // Only the proxies' error answers are looked at, and for each only the exchanges that began while
  // it waited: a capture of a hundred thousand healthy exchanges costs two indexed reads, not a
  // walk over all of them (ties in time are taken in id order, in both queries).
  const COLUMNS = `x.id, x.stream_id, x.response_stream_id, x.client, x.server, x.container_id, ${CONTAINER_NAME}, x.proc, x.pid, x.method, x.target, x.host, x.req_headers, x.status, x.reason, x.req_ts, x.resp_ts, x.resp_start, x.resp_end, x.resp_complete`;
  const subjects = db
    .prepare(
      `SELECT ${COLUMNS} FROM http_exchanges x
       WHERE x.req_ts IS NOT NULL AND x.status IS NOT NULL
         AND (x.status IN (${[...PROXY_STATUSES].join(', ')}) OR x.id IN (SELECT exchange_id FROM http_diagnostics WHERE side = 'response' AND code = 'body-truncated'))
       ORDER BY x.req_ts, x.id`,
    )
    .safeIntegers(true)
    .all()
    .map(toExchange);
  const startedBetween = db.prepare(`SELECT ${COLUMNS} FROM http_exchanges x WHERE x.req_ts BETWEEN ? AND ? ORDER BY x.req_ts, x.id`).safeIntegers(true);
  const diagnostics = db.prepare("SELECT * FROM http_diagnostics WHERE exchange_id = ? AND severity = 'error' ORDER BY side DESC, offset");
  const streamState = db.prepare('SELECT state, bytes_in, bytes_out, role FROM streams WHERE id = ?');
  const clientSide = db.prepare("SELECT pid, container_id, proc FROM streams WHERE role = 'client' AND client_addr IS ? AND client_port IS ? AND server_addr IS ? AND server_port IS ? LIMIT 1");
  const refusedStreams = db
    .prepare("SELECT id, client_addr, pid, server_addr, server_port FROM streams WHERE role = 'client' AND state = 'rst' AND bytes_in = 0 AND bytes_out = 0 AND first_ts BETWEEN ? AND ? ORDER BY first_ts")
    .safeIntegers(false);
  const firstCloser = closerOf(db);
  const pairing = new UpstreamPairing<ExchangeRow>((addr, port, saddr, sport) => clientSide.get(addr, port, saddr, sport) as { pid: number | null; container_id: string | null } | undefined);
  const windowEnd = (e: ExchangeRow) => e.resp_ts ?? e.req_ts! + 120_000_000_000n;
  const startedWhileWaiting = (e: ExchangeRow) => startedBetween.all(e.req_ts!, windowEnd(e)).map(toExchange);
  pairing.learn(subjects, startedWhileWaiting);
  const used = new Set<number>();
  const findings: NewFinding[] = [];

  for (const e of subjects) {
    const requestTs = e.req_ts!;
    // A 5xx from a proxy, or a response it cut short (HAProxy: SD, the status was already sent).
    const isProxyStatus = e.status !== null && PROXY_STATUSES.has(e.status);
    // Upstream candidates: requests the proxy made while this one waited, to another server.
    const upstream = pairing.choose(e, startedWhileWaiting(e), used);
    if (!isProxyStatus && !upstream) continue; // a server that cut its own response: its diagnostic says so
    if (upstream) used.add(upstream.id);
    // No exchange: a connection the proxy opened and the other side refused (SYN answered by RST).
    const refused = upstream
      ? null
      : ((refusedStreams.all(requestTs, windowEnd(e)) as { id: number; client_addr: string | null; pid: number | null; server_addr: string | null; server_port: number | null }[]).find((r) =>
          e.pid !== null && r.pid !== null ? r.pid === e.pid : pairing.connectsFrom(e.server, r.client_addr),
        ) ?? null);
    if (refused) {
      findings.push(refusedFinding(e, refused));
      continue;
    }
    findings.push(explain(e, upstream, upstream ? (diagnostics.all(upstream.id) as DiagnosticRow[]).filter((d) => d.side === 'response') : [], (id) => streamState.get(id) as StreamState | undefined, firstCloser));
  }
  return findings;
}

function refusedFinding(e: ExchangeRow, refused: { id: number; server_addr: string | null; server_port: number | null }): NewFinding {
  const who = describeEndpoint(e.proc, e.container_name, e.server);
  const target = refused.server_addr === null ? 'its upstream' : `its upstream ${refused.server_addr.includes(':') ? `[${refused.server_addr}]` : refused.server_addr}:${refused.server_port}`;
  return {
    kind: 'proxy-error',
    severity: 'error',
    cause: 'connection-refused',
    exchangeId: e.id,
    title: `${e.status} ${e.reason ?? ''}`.trimEnd() + `: ${TITLES['connection-refused']}`,
    explanation: `${who} answered ${e.status} ${e.reason ?? ''}`.trimEnd() + ` to ${e.client ?? 'a client'} because ${target} refused the connection (reset before any byte). HAProxy logs this as termination state ${HAPROXY_STATE['connection-refused']}.`,
    evidence: [{ stream: refused.id, dir: null, offset: 0, length: 0, excerpt: '(connection refused)' }],
  };
}

/** Which end of a connection sent the first FIN or RST, from the packets of a network capture. */
interface Closer {
  by: 'client' | 'server';
  reset: boolean;
}

function closerOf(db: Database.Database): (streamId: number) => Closer | null {
  // TCP flags: FIN 0x01, RST 0x04. Packet dir is from the stream's view: 'out' = client → server.
  const first = db.prepare('SELECT dir, tcp_flags FROM packets WHERE stream_id = ? AND (tcp_flags & 5) != 0 ORDER BY frame LIMIT 1');
  const role = db.prepare('SELECT role FROM streams WHERE id = ?').pluck();
  return (streamId) => {
    const row = first.get(streamId) as { dir: 'in' | 'out' | null; tcp_flags: number } | undefined;
    if (!row || row.dir === null) return null;
    const viewIsClient = (role.get(streamId) as string | null) !== 'server';
    const byClient = (row.dir === 'out') === viewIsClient;
    return { by: byClient ? 'client' : 'server', reset: (row.tcp_flags & 4) !== 0 };
  };
}

interface StreamState {
  state: string | null;
  bytes_in: number;
  bytes_out: number;
  role: string | null;
}

function explain(
  e: ExchangeRow,
  upstream: ExchangeRow | null,
  upstreamErrors: DiagnosticRow[],
  stateOf: (streamId: number) => StreamState | undefined,
  firstCloser: (streamId: number) => Closer | null,
): NewFinding {
  const who = describeEndpoint(e.proc, e.container_name, e.server);
  const answered = `${who} answered ${e.status} ${e.reason ?? ''}`.trimEnd() + ` to ${e.client ?? 'a client'}${e.method ? ` for ${e.method} ${e.target ?? ''}` : ''}`.trimEnd();
  const evidence: NewFinding['evidence'] = [];
  if (e.resp_start !== null) evidence.push({ stream: e.response_stream_id ?? e.stream_id, dir: null, offset: e.resp_start, length: Math.max(0, (e.resp_end ?? e.resp_start) - e.resp_start), excerpt: `${e.status} ${e.reason ?? ''}`.trim() });

  let cause: ProxyErrorCause;
  let because: string;
  if (!upstream) {
    cause = e.status === 504 ? 'upstream-timeout' : 'upstream-not-found';
    because = e.status === 504 ? 'no upstream answered before the proxy gave up' : 'capscope found no upstream exchange for this request in the capture';
  } else {
    const backend = describeEndpoint(upstream.proc, upstream.container_name, upstream.server);
    const upstreamStream = upstream.response_stream_id ?? upstream.stream_id;
    const state = stateOf(upstreamStream)?.state ?? null;
    const closed = state === 'rst' || state === 'fin' || state === 'closed';
    // Who ended the upstream connection first tells a server that hung up from a proxy that gave up.
    const closer = firstCloser(upstreamStream);
    const malformed = upstreamErrors.find((d) => d.code !== 'body-truncated');
    const cut = upstreamErrors.find((d) => d.code === 'body-truncated');
    if (upstream.status !== null && malformed) {
      cause = 'malformed-upstream-response';
      const at = upstream.resp_start !== null ? malformed.offset - upstream.resp_start : malformed.offset;
      because = `its upstream, ${backend}, sent the header line \`${malformed.line}\` — ${malformed.message} — at byte ${at} of its response`;
      evidence.unshift({ stream: malformed.stream_id, dir: malformed.dir, offset: malformed.offset, length: malformed.line.length, excerpt: malformed.line });
    } else if (upstream.status !== null && (cut || (!upstream.resp_complete && closed))) {
      cause = 'upstream-closed-during-body';
      because = `its upstream, ${backend}, closed the connection in the middle of its response body${cut ? ` (${cut.message})` : ''}`;
      if (cut) evidence.unshift({ stream: cut.stream_id, dir: cut.dir, offset: cut.offset, length: 0, excerpt: '(connection closed)' });
    } else if (upstream.status !== null && upstream.status >= 500) {
      cause = 'upstream-error-status';
      because = `its upstream, ${backend}, itself answered ${upstream.status} ${upstream.reason ?? ''}`.trimEnd();
    } else if (upstream.status === null && closer?.by === 'server' && closer.reset) {
      cause = 'upstream-reset-before-headers';
      because = `its upstream, ${backend}, reset the connection before sending response headers`;
    } else if (upstream.status === null && closer?.by === 'server') {
      cause = 'upstream-closed-before-headers';
      because = `its upstream, ${backend}, closed the connection before sending response headers`;
    } else if (upstream.status === null && closer === null && closed) {
      cause = state === 'rst' ? 'upstream-reset-before-headers' : 'upstream-closed-before-headers';
      because = `its upstream, ${backend}, ${state === 'rst' ? 'reset' : 'closed'} the connection before sending response headers`;
    } else if (upstream.status === null) {
      cause = 'upstream-timeout';
      const waited = e.resp_ts !== null && upstream.req_ts !== null ? ` after waiting ${((Number(e.resp_ts - upstream.req_ts)) / 1e6).toFixed(0)} ms` : '';
      because = `its upstream, ${backend}, had not answered when the proxy gave up${waited}${closer?.by === 'client' ? ' and closed the connection' : ''}`;
    } else {
      cause = 'upstream-not-found';
      because = `its upstream, ${backend}, answered ${upstream.status} with a response capscope finds nothing wrong with`;
    }
    evidence.push({ stream: upstreamStream, dir: null, offset: upstream.resp_start ?? 0, length: Math.max(0, (upstream.resp_end ?? upstream.resp_start ?? 0) - (upstream.resp_start ?? 0)), excerpt: upstream.status !== null ? `${upstream.status} ${upstream.reason ?? ''}`.trim() : '(no response)' });
  }
  const state = HAPROXY_STATE[cause];
  return {
    kind: 'proxy-error',
    severity: 'error',
    cause,
    exchangeId: e.id,
    title: `${e.status} ${e.reason ?? ''}`.trimEnd() + `: ${TITLES[cause]}`,
    explanation: `${answered} because ${because}.${state ? ` HAProxy logs this as termination state ${state}.` : ''}`,
    evidence,
  };
}

const TITLES: Record<ProxyErrorCause, string> = {
  'malformed-upstream-response': 'malformed upstream response',
  'upstream-error-status': 'the upstream returned an error',
  'upstream-reset-before-headers': 'upstream reset before its headers',
  'upstream-closed-before-headers': 'upstream closed before its headers',
  'upstream-closed-during-body': 'upstream closed during its body',
  'upstream-timeout': 'upstream timeout',
  'connection-refused': 'upstream connection refused',
  'upstream-not-found': 'cause not found in the capture',
};

function toExchange(r: unknown): ExchangeRow {
  const row = r as Record<string, bigint | string | null>;
  const num = (v: bigint | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(row.id),
    stream_id: Number(row.stream_id),
    response_stream_id: num(row.response_stream_id),
    client: row.client as string | null,
    server: row.server as string | null,
    container_id: row.container_id as string | null,
    container_name: row.container_name as string | null,
    proc: row.proc as string | null,
    pid: num(row.pid),
    method: row.method as string | null,
    target: row.target as string | null,
    host: row.host as string | null,
    req_headers: row.req_headers as string | null,
    status: num(row.status),
    reason: row.reason as string | null,
    req_ts: row.req_ts as bigint | null,
    resp_ts: row.resp_ts as bigint | null,
    resp_start: num(row.resp_start),
    resp_end: num(row.resp_end),
    resp_complete: Number(row.resp_complete),
  };
}

