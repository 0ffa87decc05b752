// The rows of one group of views (the views of one connection: exchanges.ts), made from their
// parse and given to a sink: the index's tables (analyse-http.ts, for the pass after ingest and the
// live pass of a capture piped in) or the staging tables written while a capture is read
// (staged-exchanges.ts). One place makes them, so every path writes the same rows.

import type { HttpMessage } from '../../../parsers/http/message-parser';
import { pairView, stitch, type Exchange } from './exchanges';
import { upgradedExchanges } from './h2c-upgrade';
import { http2Exchanges } from './http2-views';
import type { ParsedView, Protocol, StreamView } from './views';

/** How a group is written: all of it, or (after a live pass) past the exchanges already there. */
export interface GroupPlan {
  /** The group's views parsed already (by the caller, who looked at them). */
  parsed?: ParsedView[];
  /**
   * How many of the group's first exchanges are in the index already (their rows, the stream's
   * protocol, its HTTP/2 connection: everything but the exchanges past them is then not written).
   */
  written?: (parsed: readonly ParsedView[], exchanges: Exchange[]) => number;
  /** Write exchanges only up to this one (those after it may still change): the live pass's open streams. */
  upTo?: (parsed: readonly ParsedView[], exchanges: Exchange[]) => number;
}

/**
 * Where a group's rows go: the index's tables (the pass after ingest, the live pass), or the rows
 * staged while a capture is read (staged-exchanges.ts), each in its columns' order below.
 */
export interface HttpRowSink {
  protocol(streamId: number, protocol: Protocol): void;
  goaway(values: unknown[]): void;
  connection(values: unknown[]): void;
  /** An exchange's row (EXCHANGE_COLUMNS); its diagnostics follow it. */
  exchange(values: unknown[]): void;
  /** A diagnostic of the exchange just given (DIAGNOSTIC_COLUMNS). */
  diagnostic(values: unknown[]): void;
}

/** Pairs and stitches a group's parsed views and gives its rows to `sink`; returns the exchanges given. */
export function emitGroup(group: readonly StreamView[], parsed: readonly ParsedView[], plan: GroupPlan, sink: HttpRowSink): number {
  const http = parsed.filter((p) => p.protocol === 'http1' || p.http2);
  const exchanges = http.length === 0 ? [] : stitch(http.map((p) => (p.http2 ? (p.upgrade ? upgradedExchanges({ ...p, http2: p.http2 }, p.upgrade) : http2Exchanges({ ...p, http2: p.http2 })) : pairView(p))));
  const from = plan.written?.(parsed, exchanges) ?? 0;
  const to = plan.upTo?.(parsed, exchanges) ?? exchanges.length;
  // The stream's protocol and HTTP/2 connection once its exchanges are final (not while it is open).
  const final = plan.upTo === undefined;
  if (final) for (const p of parsed) sink.protocol(p.view.id, p.protocol);
  if (http.length === 0) return 0;
  for (const p of final ? parsed : []) {
    if (!p.http2) continue;
    const view = p.view;
    const requestDir = p.http2.requestDir;
    const client = address(view.clientAddr, view.clientPort);
    const server = address(view.serverAddr, view.serverPort);
    for (const g of p.http2.conversation.goaways) {
      const dir = g.by === 'client' ? requestDir : requestDir === 'out' ? 'in' : 'out';
      sink.goaway([view.id, dir, g.by, client, server, g.ts, g.offset, g.lastStreamId, g.name, g.debug]);
    }
    const { client: c, server: s, exchanges: x } = p.http2.conversation;
    sink.connection([view.id, requestDir, client, server, x.length, JSON.stringify(c.settings), JSON.stringify(s.settings), c.settingsFrames, s.settingsFrames,
      c.windowUpdates, s.windowUpdates, c.connectionWindowGranted, s.connectionWindowGranted, c.pings, s.pings, c.frames, s.frames]);
  }
  const serverView = group.find((v) => v.role === 'server') ?? null;
  exchanges.forEach((e, seq) => {
    if (seq < from || seq >= to) return;
    const row = exchangeRow(e, seq, serverView);
    sink.exchange(EXCHANGE_COLUMNS.map((c) => row[c]));
    for (const [side, s] of [['request', e.request], ['response', e.response]] as const) {
      if (!s) continue;
      const diagnostics = side === 'response' ? [...e.interim.flatMap((i) => i.message.diagnostics.map((d) => ({ d, s: i }))), ...s.message.diagnostics.map((d) => ({ d, s }))] : s.message.diagnostics.map((d) => ({ d, s }));
      for (const { d, s: from } of diagnostics) sink.diagnostic([from.view.view.id, side, from.dir, d.code, d.severity, d.offset, d.line, d.message]);
    }
    const viewOf = (side: 'request' | 'response') => (side === 'request' ? e.request : e.response)?.view.view.id ?? (e.request ?? e.response)!.view.view.id;
    for (const { side, dir, d } of e.http2?.diagnostics ?? []) sink.diagnostic([viewOf(side), side, dir, d.code, d.severity, d.offset, d.line, d.message]);
  });
  return Math.max(0, to - from);
}

/** The columns of an HTTP/2 connection's GOAWAY row, in the order its sink gets them. */
export const GOAWAY_COLUMNS = ['stream_id', 'dir', 'sender', 'client', 'server', 'ts', 'offset', 'last_stream', 'error', 'debug'] as const;
/** The columns of an HTTP/2 connection's row. */
export const CONNECTION_COLUMNS = [
  'stream_id', 'request_dir', 'client', 'server', 'streams', 'client_settings', 'server_settings', 'client_settings_frames', 'server_settings_frames',
  'client_window_updates', 'server_window_updates', 'client_window_granted', 'server_window_granted', 'client_pings', 'server_pings', 'client_frames', 'server_frames',
] as const;
/** The columns of a diagnostic's row but its exchange's id. */
export const DIAGNOSTIC_COLUMNS = ['stream_id', 'side', 'dir', 'code', 'severity', 'offset', 'line', 'message'] as const;

/** The columns of an exchange row, in the order the insert binds them. */
export const EXCHANGE_COLUMNS = [
  'stream_id', 'response_stream_id', 'views', 'seq', 'client', 'server', 'container_id', 'proc', 'pid', 'method', 'target', 'host', 'version', 'status', 'reason',
  'req_ts', 'resp_ts', 'resp_end_ts', 'req_start', 'req_end', 'resp_start', 'resp_end', 'req_bytes', 'resp_bytes', 'req_complete', 'resp_complete', 'truncated',
  'req_headers', 'resp_headers', 'http2_stream', 'http2_error', 'http2_error_by', 'http2_error_frame', 'undecodable',
  'grpc_service', 'grpc_method', 'grpc_status', 'grpc_status_name', 'grpc_status_from', 'grpc_message', 'grpc_req_messages', 'grpc_resp_messages',
  'grpc_timeout_ns', 'grpc_deadline_exceeded', 'grpc_messages',
] as const satisfies readonly (keyof ExchangeRow)[];

type ExchangeRow = ReturnType<typeof exchangeRow>;
/** A column exchangeRow() fills but EXCHANGE_COLUMNS leaves out fails type-checking here, naming it. */
const everyColumnBound: [Exclude<keyof ExchangeRow, (typeof EXCHANGE_COLUMNS)[number]>] extends [never] ? true : Exclude<keyof ExchangeRow, (typeof EXCHANGE_COLUMNS)[number]> = true;
void everyColumnBound;

function exchangeRow(e: Exchange, seq: number, serverView: StreamView | null) {
  const primary = (e.request ?? e.response)!;
  const view = primary.view.view;
  const endpoint = serverView ?? view;
  const req = e.request?.message ?? null;
  const resp = e.response?.message ?? null;
  return {
    stream_id: view.id,
    response_stream_id: e.response?.view.view.id ?? null,
    views: e.views,
    seq,
    client: address(view.clientAddr, view.clientPort),
    server: address(view.serverAddr, view.serverPort),
    container_id: endpoint.containerId,
    proc: endpoint.proc,
    pid: endpoint.pid,
    method: req?.method ?? null,
    target: req?.target ?? null,
    host: req ? (header(req, 'host') ?? null) : null,
    version: resp?.version ?? req?.version ?? null,
    status: resp?.status ?? null,
    reason: resp?.reason ?? null,
    req_ts: req?.startTs ?? null,
    resp_ts: resp?.startTs ?? null,
    resp_end_ts: resp?.endTs ?? null,
    req_start: req?.start ?? null,
    req_end: req?.end ?? null,
    resp_start: resp?.start ?? null,
    resp_end: resp?.end ?? null,
    req_bytes: req?.totalBytes ?? 0,
    resp_bytes: resp?.totalBytes ?? 0,
    req_complete: req?.complete ? 1 : 0,
    resp_complete: resp?.complete ? 1 : 0,
    truncated: (req?.truncated ?? false) || (resp?.truncated ?? false) ? 1 : 0,
    req_headers: JSON.stringify(req?.headers.map((h) => [h.name, h.value]) ?? []),
    resp_headers: JSON.stringify(resp?.headers.map((h) => [h.name, h.value]) ?? []),
    ...http2Columns(e),
  };
}

/** The HTTP/2 and gRPC columns: NULL for an HTTP/1 exchange. */
function http2Columns(e: Exchange) {
  const x = e.http2?.exchange ?? null;
  const g = x?.grpc ?? null;
  const requestDir: 'in' | 'out' = e.request?.dir ?? (e.response?.dir === 'out' ? 'in' : 'out');
  const responseDir: 'in' | 'out' = requestDir === 'out' ? 'in' : 'out';
  const messages = g
    ? [...g.requestMessageList.map((m) => ({ side: 'request', dir: requestDir, ...m })), ...g.responseMessageList.map((m) => ({ side: 'response', dir: responseDir, ...m }))]
    : null;
  return {
    http2_stream: x?.streamId ?? null,
    http2_error: x?.error?.name ?? null,
    http2_error_by: x?.error?.by ?? null,
    http2_error_frame: x?.error?.frame ?? null,
    undecodable: (x?.request?.undecodable ?? 0) + (x?.response?.undecodable ?? 0),
    grpc_service: g?.service ?? null,
    grpc_method: g?.method ?? null,
    grpc_status: g?.status ?? null,
    grpc_status_name: g?.statusName ?? null,
    grpc_status_from: g?.statusFrom ?? null,
    grpc_message: g?.message ?? null,
    grpc_req_messages: g?.requestMessages ?? null,
    grpc_resp_messages: g?.responseMessages ?? null,
    grpc_timeout_ns: g?.timeoutNs ?? null,
    grpc_deadline_exceeded: g === null ? null : g.deadlineExceeded ? 1 : 0,
    grpc_messages: messages === null ? null : JSON.stringify(messages),
  };
}

function header(m: HttpMessage, name: string): string | undefined {
  return m.headers.find((h) => h.name.toLowerCase() === name)?.value;
}

export function address(addr: string | null, port: number | null): string | null {
  if (addr === null) return null;
  const host = addr.includes(':') ? `[${addr}]` : addr;
  return port === null ? host : `${host}:${port}`;
}

