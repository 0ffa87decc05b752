// Reading HTTP exchanges back from the index, for `capscope http`. Timestamps are 64-bit
// nanoseconds, handed on as decimal strings.

import type Database from 'better-sqlite3';
import { CONTAINER_NAME } from '../../analysis/http/exchange-sql';
import type { CompiledFilter, SqlParam } from '../../filter/language';

export interface ExchangeDiagnostic {
  code: string;
  severity: string;
  side: 'request' | 'response';
  /** Offset in its direction of its stream (`stream`). */
  offset: number;
  stream: number;
  line: string;
  message: string;
}

/** A gRPC call's facts, as `capscope http --json` gives them (docs/cli.md). */
export interface GrpcSummary {
  /** From :path; null when the capture did not show it (it began after the connection). */
  service: string | null;
  method: string | null;
  /** grpc-status, or the status the client saw for a reset stream; null when neither was seen. */
  status: number | null;
  statusName: string | null;
  message: string | null;
  requestMessages: number;
  responseMessages: number;
  deadlineExceeded: boolean;
}

export interface ExchangeSummary {
  id: number;
  stream: number;
  responseStream: number | null;
  views: number;
  client: string | null;
  server: string | null;
  container: { id: string; name: string | null } | null;
  proc: string | null;
  pid: number | null;
  /** '1.0', '1.1' or '2'; null when neither message said. */
  version: string | null;
  /** The HTTP/2 stream id; null for HTTP/1. */
  http2Stream: number | null;
  method: string | null;
  target: string | null;
  host: string | null;
  status: number | null;
  reason: string | null;
  reqTs: string | null;
  latencyNs: string | null;
  /** First request byte to last response byte. */
  durationNs: string | null;
  reqBytes: number;
  respBytes: number;
  truncated: boolean;
  complete: boolean;
  /** null for an exchange that is not a gRPC call. */
  grpc: GrpcSummary | null;
  diagnostics: ExchangeDiagnostic[];
}

export interface ExchangeFilter {
  status?: number;
  method?: string;
  server?: string;
  /** Only exchanges with at least one diagnostic. */
  withDiagnostics?: boolean;
  /** A compiled filter-language condition over exchanges (alias x): compileFilter(expr, 'http'). */
  where?: CompiledFilter;
  limit?: number;
  offset?: number;
}

/** The name of an exchange's container, from the syscall capture's container metadata. */

export function countExchanges(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM http_exchanges').pluck().get() as number;
}

export function listExchanges(db: Database.Database, filter: ExchangeFilter = {}): ExchangeSummary[] {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (filter.where) (where.push(filter.where.where), params.push(...filter.where.params));
  if (filter.status !== undefined) (where.push('status = ?'), params.push(filter.status));
  if (filter.method !== undefined) (where.push('method = ?'), params.push(filter.method));
  if (filter.server !== undefined) (where.push('server = ?'), params.push(filter.server));
  if (filter.withDiagnostics) where.push('EXISTS (SELECT 1 FROM http_diagnostics d WHERE d.exchange_id = x.id)');
  const sql = `SELECT *, ${CONTAINER_NAME} FROM http_exchanges x ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY req_ts IS NULL, req_ts, id LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).safeIntegers(true).all(...params, filter.limit ?? -1, filter.offset ?? 0) as Record<string, bigint | string | null>[];
  const diagnostics = db.prepare('SELECT * FROM http_diagnostics WHERE exchange_id = ? ORDER BY side DESC, offset');
  return rows.map((r) => {
    const n = (v: bigint | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
    const ts = (v: bigint | string | null | undefined) => (v === null || v === undefined ? null : String(v));
    const req = r.req_ts as bigint | null;
    const resp = r.resp_ts as bigint | null;
    const end = r.resp_end_ts as bigint | null;
    const containerId = r.container_id as string | null;
    return {
      id: Number(r.id),
      stream: Number(r.stream_id),
      responseStream: n(r.response_stream_id),
      views: Number(r.views),
      client: r.client as string | null,
      server: r.server as string | null,
      container: containerId === null ? null : { id: containerId, name: (r.container_name as string | null) ?? null },
      proc: r.proc as string | null,
      pid: n(r.pid),
      method: r.method as string | null,
      target: r.target as string | null,
      host: r.host as string | null,
      status: n(r.status),
      version: versionOf(r.version as string | null),
      http2Stream: n(r.http2_stream),
      grpc: grpcOf(r),
      reason: r.reason as string | null,
      reqTs: ts(req),
      latencyNs: req !== null && resp !== null ? String(resp - req) : null,
      durationNs: req !== null && end !== null ? String(end - req) : null,
      reqBytes: Number(r.req_bytes),
      respBytes: Number(r.resp_bytes),
      truncated: Number(r.truncated) === 1,
      complete: Number(r.req_complete) === 1 && Number(r.resp_complete) === 1,
      diagnostics: (diagnostics.all(r.id) as Record<string, unknown>[]).map((d) => ({
        code: String(d.code),
        severity: String(d.severity),
        side: d.side as 'request' | 'response',
        offset: Number(d.offset),
        stream: Number(d.stream_id),
        line: String(d.line),
        message: String(d.message),
      })),
    };
  });
}

/** 'HTTP/1.1' → '1.1', 'HTTP/2' → '2'. */
function versionOf(version: string | null): string | null {
  const m = version === null ? null : /^HTTP\/(\d(?:\.\d)?)$/.exec(version);
  return m ? m[1]! : null;
}

function grpcOf(r: Record<string, bigint | string | null>): GrpcSummary | null {
  // Every gRPC call has its message counts, whatever else the capture missed.
  if (r.grpc_req_messages === null || r.grpc_req_messages === undefined) return null;
  return {
    service: (r.grpc_service as string | null) ?? null,
    method: (r.grpc_method as string | null) ?? null,
    status: r.grpc_status === null ? null : Number(r.grpc_status),
    statusName: (r.grpc_status_name as string | null) ?? null,
    message: (r.grpc_message as string | null) ?? null,
    requestMessages: Number(r.grpc_req_messages ?? 0),
    responseMessages: Number(r.grpc_resp_messages ?? 0),
    deadlineExceeded: Number(r.grpc_deadline_exceeded ?? 0) === 1,
  };
}
