// "Why did the service answer 500?" — the proxy-error engine (proxy-errors.ts) extended from proxies
// to any service that both accepts and makes calls: for each 5xx response (other than a proxy's
// 502/503/504, which proxy-errors.ts explains) and each gRPC error a service sent, the call it made
// upstream while it worked on that request and that failed: a gRPC error status, an HTTP 5xx, a
// stream reset or refused, no response. "Made by it" is the same process or container in a syscall
// capture, the same address in a network one (upstream-pairing.ts); "while" is the time between
// the request and the response.

import type Database from 'better-sqlite3';
import { CONTAINER_NAME } from '../http/exchange-sql';
import type { NewFinding } from './finding';
import { describeEndpoint } from './endpoint-words';
import { UpstreamPairing, type PairingExchange } from './upstream-pairing';

interface Row extends PairingExchange {
  stream_id: number;
  response_stream_id: number | null;
  container_name: string | null;
  proc: string | null;
  status: number | null;
  reason: string | null;
  req_ts: bigint | null;
  resp_ts: bigint | null;
  resp_end_ts: bigint | null;
  resp_start: number | null;
  resp_end: number | null;
  http2_error: string | null;
  http2_error_by: string | null;
  http2_error_frame: string | null;
  grpc_service: string | null;
  grpc_method: string | null;
  grpc_status: number | null;
  grpc_status_name: string | null;
  grpc_message: string | null;
  undecodable: number;
}

/** Statuses proxy-errors.ts explains, in HAProxy's terms. */
const PROXY_STATUSES = [502, 503, 504];

export function findServiceErrors(db: Database.Database): NewFinding[] {
  const COLUMNS = `x.id, x.stream_id, x.response_stream_id, x.client, x.server, x.container_id, ${CONTAINER_NAME}, x.proc, x.pid, x.method, x.target, x.host, x.req_headers,
    x.status, x.reason, x.req_ts, x.resp_ts, x.resp_end_ts, x.resp_start, x.resp_end, x.http2_error, x.http2_error_by, x.http2_error_frame,
    x.grpc_service, x.grpc_method, x.grpc_status, x.grpc_status_name, x.grpc_message, x.undecodable`;
  const subjects = db
    .prepare(
      `SELECT ${COLUMNS} FROM http_exchanges x
       WHERE x.req_ts IS NOT NULL AND x.resp_ts IS NOT NULL
         AND ((x.status >= 500 AND x.status <= 599 AND x.status NOT IN (${PROXY_STATUSES.join(', ')})) OR (x.grpc_status IS NOT NULL AND x.grpc_status != 0))
       ORDER BY x.req_ts, x.id`,
    )
    .safeIntegers(true)
    .all()
    .map(toRow);
  const startedBetween = db.prepare(`SELECT ${COLUMNS} FROM http_exchanges x WHERE x.req_ts BETWEEN ? AND ? ORDER BY x.req_ts, x.id`).safeIntegers(true);
  const clientSide = db.prepare("SELECT pid, container_id, proc FROM streams WHERE role = 'client' AND client_addr IS ? AND client_port IS ? AND server_addr IS ? AND server_port IS ? LIMIT 1");
  const pairing = new UpstreamPairing<Row>((addr, port, saddr, sport) => clientSide.get(addr, port, saddr, sport) as { pid: number | null; container_id: string | null } | undefined);
  const findings: NewFinding[] = [];
  for (const e of subjects) {
    // Calls it made while it worked on this request, which failed before it answered.
    const window = (startedBetween.all(e.req_ts!, e.resp_ts!) as unknown[]).map(toRow);
    const upstream = window.filter((u) => u.id !== e.id && u.server !== e.server && u.client !== e.client && pairing.madeBy(e, u) && failure(u) !== null).at(-1);
    if (!upstream) continue;
    findings.push(explain(e, upstream));
  }
  return findings;
}

/** How a call failed, in words; null when it did not. */
function failure(u: Row): string | null {
  if (u.grpc_status !== null && u.grpc_status !== 0) {
    const by = u.http2_error_frame && u.grpc_status_name ? ` (its stream ${u.http2_error_frame === 'GOAWAY' ? 'refused by GOAWAY' : `reset by the ${u.http2_error_by} with RST_STREAM`} ${u.http2_error})` : '';
    return `failed with grpc-status ${u.grpc_status} ${u.grpc_status_name}${u.grpc_message !== null ? ` '${u.grpc_message}'` : ''}${by}`;
  }
  if (u.status !== null && u.status >= 500) return `failed with ${u.status}${u.reason ? ` ${u.reason}` : ''}`;
  if (u.http2_error_frame === 'RST_STREAM' && u.http2_error_by === 'server') return `was reset by ${u.server ?? 'the server'} (RST_STREAM ${u.http2_error})`;
  if (u.http2_error_frame === 'GOAWAY') return `was refused by a GOAWAY (${u.http2_error})`;
  if (u.status === null && u.resp_ts === null) return 'got no response';
  // Joined mid-connection: grpc-status can be a dynamic-table entry the capture never saw, while
  // grpc-message (rarely indexed) was read. A message is what gRPC sends with an error; the status
  // is said unknown, not guessed.
  if (u.grpc_status === null && u.grpc_message !== null && u.undecodable > 0) return `ended with grpc-message '${u.grpc_message}' (its grpc-status is in a header field the capture could not decode)`;
  return null;
}

function explain(e: Row, u: Row): NewFinding {
  // Each end by its process and container where the capture knows them (a syscall capture), else its address.
  const known = (x: Row) => x.proc !== null || x.container_name !== null;
  const who = known(e) ? describeEndpoint(e.proc, e.container_name, e.server) : (e.server ?? 'a service');
  const upstream = known(u) ? describeEndpoint(u.proc, u.container_name, u.server) : (u.server ?? 'its upstream');
  const answer = e.grpc_status !== null && e.grpc_status !== 0 && (e.status === null || e.status < 500) ? `grpc-status ${e.grpc_status} ${e.grpc_status_name}` : `${e.status}${e.reason ? ` ${e.reason}` : ''}`;
  const request = e.grpc_service ? `${e.grpc_service}/${e.grpc_method}` : `${e.method ?? '?'} ${e.target ?? ''}`.trimEnd();
  const call = u.grpc_service ? `${u.grpc_service}/${u.grpc_method}` : u.target !== null ? `${u.method ?? '?'} ${u.target}` : `${u.method ?? 'a request'} whose :path the capture could not decode`;
  const evidence: NewFinding['evidence'] = [];
  if (u.resp_start !== null) evidence.push({ stream: u.response_stream_id ?? u.stream_id, dir: null, offset: u.resp_start, length: Math.max(0, (u.resp_end ?? u.resp_start) - u.resp_start), excerpt: failureExcerpt(u) });
  if (e.resp_start !== null) evidence.push({ stream: e.response_stream_id ?? e.stream_id, dir: null, offset: e.resp_start, length: Math.max(0, (e.resp_end ?? e.resp_start) - e.resp_start), excerpt: answer });
  return {
    kind: 'upstream-error',
    severity: 'error',
    cause: u.grpc_status !== null && u.grpc_status !== 0 ? `grpc-${(u.grpc_status_name ?? '').toLowerCase()}` : u.status !== null && u.status >= 500 ? 'upstream-error-status' : u.http2_error_frame ? 'upstream-reset' : u.grpc_message !== null ? 'grpc-status-undecoded' : 'upstream-no-response',
    exchangeId: e.id,
    title: `${answer}: its call to ${call} failed`,
    explanation: `${who} answered ${answer} to ${request} because its call to ${call} on ${upstream} ${failure(u)}.`,
    evidence,
  };
}

function failureExcerpt(u: Row): string {
  if (u.grpc_status !== null || u.grpc_message !== null) return `grpc-status: ${u.grpc_status ?? '(not decoded)'}${u.grpc_message !== null ? `, grpc-message: ${u.grpc_message}` : ''}`;
  if (u.http2_error) return `${u.http2_error_frame} ${u.http2_error}`;
  return `${u.status ?? ''} ${u.reason ?? ''}`.trim() || '(no response)';
}

function toRow(r: unknown): Row {
  const row = r as Record<string, bigint | string | null>;
  const num = (v: bigint | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
  const str = (v: bigint | string | null | undefined) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(row.id),
    stream_id: Number(row.stream_id),
    response_stream_id: num(row.response_stream_id),
    client: str(row.client),
    server: str(row.server),
    container_id: str(row.container_id),
    container_name: str(row.container_name),
    proc: str(row.proc),
    pid: num(row.pid),
    method: str(row.method),
    target: str(row.target),
    host: str(row.host),
    req_headers: str(row.req_headers),
    status: num(row.status),
    reason: str(row.reason),
    req_ts: (row.req_ts as bigint | null) ?? null,
    resp_ts: (row.resp_ts as bigint | null) ?? null,
    resp_end_ts: (row.resp_end_ts as bigint | null) ?? null,
    resp_start: num(row.resp_start),
    resp_end: num(row.resp_end),
    http2_error: str(row.http2_error),
    http2_error_by: str(row.http2_error_by),
    http2_error_frame: str(row.http2_error_frame),
    grpc_service: str(row.grpc_service),
    grpc_method: str(row.grpc_method),
    grpc_status: num(row.grpc_status),
    grpc_status_name: str(row.grpc_status_name),
    grpc_message: str(row.grpc_message),
    undecodable: Number(row.undecodable ?? 0),
  };
}
