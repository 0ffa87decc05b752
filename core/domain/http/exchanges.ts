// The HTTP view's queries: a sorted, scoped page of exchanges; one exchange with both messages'
// bytes; the latency series of the chart. Every answer is one or two indexed queries.

import { CONTAINER_NAME_SQL } from '../../analysis/http/exchange-sql';
import type Database from 'better-sqlite3';
import type { Severity } from '../../../common/evidence';
import { ApiError, type ViewScope } from '../../api/wire';
import type { StreamDir } from '../streams/contract';
import { GRPC_MESSAGE_BYTES_MAX, LATENCY_POINTS_MAX, MESSAGE_BYTES_MAX, type ExchangeDetail, type GrpcMessageBytes, type ExchangeRow, type ExchangeSortColumn, type LatencySeries, type MessageSide } from './contract';
import { httpScopeSql } from '../scope/http-scope';
import { readCaptured } from '../streams/stream-bytes';
import { lineAround } from '../streams/stream-views';
import { num, numOrNull, strOrNull } from '../row-values/row-values';

export const EXCHANGE_SORT_COLUMNS: readonly ExchangeSortColumn[] = ['time', 'method', 'target', 'status', 'latency', 'container', 'diagnostics'];

const DIAGNOSTIC_COUNT = '(SELECT count(*) FROM http_diagnostics d WHERE d.exchange_id = x.id)';
const WORST_SEVERITY = "(SELECT min(CASE d.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END) FROM http_diagnostics d WHERE d.exchange_id = x.id)";

const SORT_SQL: Record<ExchangeSortColumn, string> = {
  time: 'x.req_ts',
  method: 'x.method',
  target: 'x.target',
  status: 'x.status',
  latency: '(x.resp_ts - x.req_ts)',
  container: `coalesce(${CONTAINER_NAME_SQL}, x.container_id)`,
  diagnostics: DIAGNOSTIC_COUNT,
};

const ROW_COLUMNS = `x.id, x.stream_id, x.response_stream_id, x.views, x.client, x.server, x.container_id, ${CONTAINER_NAME_SQL} AS container_name, x.proc,
  x.method, x.target, x.host, x.status, x.reason, x.req_ts, x.resp_ts, x.req_bytes, x.resp_bytes, x.truncated, x.req_complete, x.resp_complete,
  x.version, x.http2_stream, x.http2_error, x.grpc_req_messages, x.grpc_service, x.grpc_method, x.grpc_status, x.grpc_status_name, x.grpc_message,
  ${DIAGNOSTIC_COUNT} AS diagnostic_count, ${WORST_SEVERITY} AS worst`;

export function exchangePage(
  db: Database.Database,
  scope: ViewScope | undefined,
  sort: { column: ExchangeSortColumn; desc: boolean },
  page: { limit: number; offset: number },
): { total: number; rows: ExchangeRow[] } {
  const { where, params } = httpScopeSql(scope);
  const total = db.prepare(`SELECT count(*) FROM http_exchanges x WHERE ${where}`).pluck().get(...params) as number;
  const key = SORT_SQL[sort.column];
  // Rows without a value (no response: no status, no latency) go last either way.
  const order = `${key} IS NULL, ${key} ${sort.desc ? 'DESC' : 'ASC'}, x.id ${sort.desc ? 'DESC' : 'ASC'}`;
  // The page's ids first (only the sort key is computed for the rows skipped over), then their columns.
  const ids = db.prepare(`SELECT x.id FROM http_exchanges x WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).pluck().all(...params, page.limit, page.offset) as number[];
  if (ids.length === 0) return { total, rows: [] };
  const byId = new Map(
    (db.prepare(`SELECT ${ROW_COLUMNS} FROM http_exchanges x WHERE x.id IN (${ids.map(() => '?').join(',')})`).safeIntegers().all(...ids) as Record<string, unknown>[]).map((r) => [num(r.id), r]),
  );
  const rows = ids.map((id) => byId.get(id)!);
  return { total, rows: rows.map(toRow) };
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

function toRow(r: Record<string, unknown>): ExchangeRow {
  const req = r.req_ts as bigint | null;
  const resp = r.resp_ts as bigint | null;
  const containerId = strOrNull(r.container_id);
  const worst = numOrNull(r.worst);
  return {
    id: num(r.id),
    streamId: num(r.stream_id),
    responseStreamId: numOrNull(r.response_stream_id),
    views: num(r.views),
    client: strOrNull(r.client),
    server: strOrNull(r.server),
    container: containerId === null ? null : { id: containerId, name: containerId === 'host' ? 'host' : strOrNull(r.container_name) },
    proc: strOrNull(r.proc),
    method: strOrNull(r.method),
    target: strOrNull(r.target),
    host: strOrNull(r.host),
    status: numOrNull(r.status),
    reason: strOrNull(r.reason),
    reqTs: req === null ? null : String(req),
    latencyNs: req !== null && resp !== null ? String(resp - req) : null,
    reqBytes: num(r.req_bytes),
    respBytes: num(r.resp_bytes),
    truncated: num(r.truncated) === 1,
    complete: num(r.req_complete) === 1 && num(r.resp_complete) === 1,
    diagnosticCount: num(r.diagnostic_count),
    worstSeverity: worst === null ? null : SEVERITIES[worst]!,
    version: versionWord(strOrNull(r.version)),
    http2Stream: numOrNull(r.http2_stream),
    http2Error: strOrNull(r.http2_error),
    grpc:
      r.grpc_req_messages === null || r.grpc_req_messages === undefined
        ? null
        : { service: strOrNull(r.grpc_service), method: strOrNull(r.grpc_method), status: numOrNull(r.grpc_status), statusName: strOrNull(r.grpc_status_name), message: strOrNull(r.grpc_message) },
  };
}

/** 'HTTP/1.1' → '1.1', 'HTTP/2' → '2' (the words of `capscope http --json`). */
function versionWord(version: string | null): string | null {
  const m = version === null ? null : /^HTTP\/(\d(?:\.\d)?)$/.exec(version);
  return m ? m[1]! : null;
}

/**
 * A gRPC call's messages from its grpc_messages column (where each lies, in pieces across DATA
 * frames), with their first captured bytes read back from the chunks.
 */
function grpcMessagesOf(db: Database.Database, json: string | null, requestStream: number, responseStream: number, requestDir: StreamDir | null, responseDir: StreamDir | null): GrpcMessageBytes[] {
  if (json === null) return [];
  const list = JSON.parse(json) as { dir: StreamDir; side?: 'request' | 'response'; offset: number; length: number; compressed: boolean; complete: boolean; pieces: [number, number][] }[];
  const counters = { request: 0, response: 0 };
  return list.map((m) => {
    // The side is the direction's: the request's direction of the request's view, else the response.
    const side: 'request' | 'response' = m.side ?? (requestDir !== null ? (m.dir === requestDir ? 'request' : 'response') : responseDir !== null && m.dir === responseDir ? 'response' : 'request');
    const streamId = side === 'request' ? requestStream : responseStream;
    const parts: Buffer[] = [];
    let have = 0;
    for (const [offset, length] of m.pieces) {
      if (have >= GRPC_MESSAGE_BYTES_MAX) break;
      const take = Math.min(length, GRPC_MESSAGE_BYTES_MAX - have);
      const piece = readCaptured(db, streamId, m.dir, offset, offset + take);
      parts.push(piece);
      have += piece.length;
      // A piece the capture did not hold whole: what follows it is not this message's next bytes.
      if (piece.length < take) break;
    }
    const data = Buffer.concat(parts);
    return { side, index: ++counters[side], streamId, dir: m.dir, offset: m.offset, length: m.length, compressed: m.compressed, complete: m.complete, data: data.toString('base64'), capturedBytes: data.length };
  });
}

export function exchangeDetail(db: Database.Database, id: number): ExchangeDetail {
  const r = db
    .prepare(`SELECT ${ROW_COLUMNS}, x.req_start, x.req_end, x.resp_start, x.resp_end, x.resp_end_ts, x.req_headers, x.resp_headers, x.grpc_messages FROM http_exchanges x WHERE x.id = ?`)
    .safeIntegers()
    .get(id) as Record<string, unknown> | undefined;
  if (!r) throw new ApiError('not-found', `no HTTP exchange ${id} in this case`);
  const row = toRow(r);
  const diagnostics = (db.prepare('SELECT stream_id, side, dir, offset, line, code, severity, message FROM http_diagnostics WHERE exchange_id = ? ORDER BY side DESC, offset').all(id) as Record<string, string | number>[]).map((d) => {
    const streamId = Number(d.stream_id);
    const dir = d.dir as StreamDir;
    const at = Number(d.offset);
    const line = String(d.line);
    return {
      exchangeId: id,
      streamId,
      side: d.side as 'request' | 'response',
      dir,
      ...lineAround(db, streamId, dir, at, line),
      at,
      line,
      code: String(d.code),
      severity: String(d.severity) as Severity,
      message: String(d.message),
    };
  });
  const diagnosticDir = (side: 'request' | 'response') => diagnostics.find((d) => d.side === side)?.dir ?? null;
  const request = messageSide(db, {
    streamId: row.streamId,
    start: num(r.req_start),
    end: num(r.req_end),
    ts: row.reqTs,
    headers: r.req_headers,
    complete: num(r.req_complete) === 1,
    looksRight: (head) => (row.http2Stream !== null ? isHttp2Frame(head, row.http2Stream) : row.method !== null && head.startsWith(`${row.method} `)),
    knownDir: diagnosticDir('request'),
  });
  const response =
    r.resp_start === null || r.resp_end === null
      ? null
      : messageSide(db, {
          streamId: row.responseStreamId ?? row.streamId,
          start: num(r.resp_start),
          end: num(r.resp_end),
          ts: strOrNull(r.resp_ts),
          headers: r.resp_headers,
          complete: num(r.resp_complete) === 1,
          looksRight: (head) => (row.http2Stream !== null ? isHttp2Frame(head, row.http2Stream) : head.startsWith('HTTP/')),
          knownDir: diagnosticDir('response'),
        });
  const grpcMessages = grpcMessagesOf(db, strOrNull(r.grpc_messages), row.streamId, row.responseStreamId ?? row.streamId, request.dir, response?.dir ?? null);
  return { row, request, response, diagnostics, grpcMessages };
}

/** Whether `head` (latin1) begins with an HTTP/2 frame header on stream `id`, or the client preface. */
function isHttp2Frame(head: string, id: number): boolean {
  if (head.startsWith('PRI * HTTP/2.0')) return true;
  if (head.length < 9) return false;
  const stream = ((head.charCodeAt(5) & 0x7f) << 24) | (head.charCodeAt(6) << 16) | (head.charCodeAt(7) << 8) | head.charCodeAt(8);
  return stream === id && head.charCodeAt(3) <= 9;
}

interface SideQuery {
  streamId: number;
  start: number;
  end: number;
  ts: string | null;
  headers: unknown;
  complete: boolean;
  /** Whether the first captured bytes at `start` are this message's (which direction carries it). */
  looksRight: (head: string) => boolean;
  knownDir: StreamDir | null;
}

/**
 * One message's bytes. The index does not say which direction of a view carries the requests (the
 * analysis decides by content), so the direction whose bytes at the message's start read like it
 * is taken; a diagnostic's direction settles it outright.
 */
function messageSide(db: Database.Database, q: SideQuery): MessageSide {
  const headers = q.headers === null || q.headers === undefined ? [] : (JSON.parse(String(q.headers)) as [string, string][]);
  const dir = q.knownDir ?? (['out', 'in'] as const).find((d) => q.looksRight(readCaptured(db, q.streamId, d, q.start, Math.min(q.end, q.start + 16)).toString('latin1'))) ?? null;
  const data = dir === null ? Buffer.alloc(0) : readCaptured(db, q.streamId, dir, q.start, Math.min(q.end, q.start + MESSAGE_BYTES_MAX));
  return {
    streamId: q.streamId,
    dir,
    start: q.start,
    end: q.end,
    ts: q.ts,
    headers,
    complete: q.complete,
    data: data.toString('base64'),
    capturedBytes: data.length,
    cut: data.length < q.end - q.start,
  };
}

export function latencySeries(db: Database.Database, scope: ViewScope | undefined, bucketCount: number): LatencySeries {
  const { where, params } = httpScopeSql(scope);
  const answered = `${where} AND x.req_ts IS NOT NULL AND x.resp_ts IS NOT NULL`;
  const span = db.prepare(`SELECT count(*) AS n, min(x.req_ts) AS lo, max(x.req_ts) AS hi FROM http_exchanges x WHERE ${answered}`).safeIntegers().get(...params) as { n: bigint; lo: bigint | null; hi: bigint | null };
  const total = Number(span.n);
  const range = scope?.range ?? null;
  const from = range ? BigInt(range.from) : span.lo;
  const to = range ? BigInt(range.to) : span.hi;
  if (from === null || to === null || total === 0) return { from: from === null ? null : String(from), to: to === null ? null : String(to), total, points: total === 0 ? [] : null, buckets: [] };
  const points =
    total <= LATENCY_POINTS_MAX
      ? (db.prepare(`SELECT x.id, x.req_ts, x.resp_ts - x.req_ts AS latency, x.status FROM http_exchanges x WHERE ${answered} ORDER BY x.req_ts, x.id`).safeIntegers().all(...params) as Record<string, bigint | null>[]).map((p) => ({
          id: Number(p.id),
          ts: String(p.req_ts),
          latencyNs: String(p.latency),
          status: p.status === null ? null : Number(p.status),
        }))
      : null;
  const width = (to - from) / BigInt(bucketCount) + 1n;
  const rows = db
    .prepare(
      `SELECT (x.req_ts - ?) / ? AS b, count(*) AS n, avg(x.resp_ts - x.req_ts) AS mean, max(x.resp_ts - x.req_ts) AS mx, sum(x.status >= 500) AS errors
       FROM http_exchanges x WHERE ${answered} GROUP BY b ORDER BY b`,
    )
    .safeIntegers()
    .all(from, width, ...params) as Record<string, bigint | number | null>[];
  const buckets = rows.map((b) => {
    const i = BigInt(b.b as bigint);
    return { from: String(from + i * width), to: String(from + (i + 1n) * width - 1n), count: num(b.n), meanNs: Number(b.mean), maxNs: num(b.mx), errors: num(b.errors ?? 0) };
  });
  return { from: String(from), to: String(to), total, points, buckets };
}
