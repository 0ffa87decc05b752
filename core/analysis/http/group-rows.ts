// The rows of one group of views (the views of one connection: exchanges.ts), made from their
// parse and given to a sink: the index's tables (analyse-http.ts, for the pass after ingest and the
// live pass of a capture piped in) or the staging tables written while a capture is read
// (staged-exchanges.ts). One place makes them, so every path writes the same rows.

import type { HttpHeader, HttpMessage } from '../../../parsers/http/message-parser';
import { pairView, stitch, type Exchange, type Side } from './exchanges';
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
  /**
   * An exchange's row (EXCHANGE_COLUMNS); its diagnostics follow it. req_headers and resp_headers
   * are HeaderFields: a sink binds their json(), or writes that text itself (the staged rows).
   */
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
  for (let seq = Math.max(0, from), end = Math.min(to, exchanges.length); seq < end; seq++) {
    const e = exchanges[seq]!;
    sink.exchange(exchangeValues(e, seq, serverView));
    if (e.request) diagnosticsOf(sink, 'request', e.request, null);
    if (e.response) diagnosticsOf(sink, 'response', e.response, e.interim);
    const x = e.http2;
    if (x === undefined || x.diagnostics.length === 0) continue;
    const viewOf = (side: 'request' | 'response') => (side === 'request' ? e.request : e.response)?.view.view.id ?? (e.request ?? e.response)!.view.view.id;
    for (const { side, dir, d } of x.diagnostics) sink.diagnostic([viewOf(side), side, dir, d.code, d.severity, d.offset, d.line, d.message]);
  }
  return Math.max(0, to - from);
}

/** A side's diagnostics (a response's after those of its 1xx responses), each as a row. */
function diagnosticsOf(sink: HttpRowSink, side: 'request' | 'response', s: Side, interim: readonly Side[] | null): void {
  if (interim !== null) for (const i of interim) for (const d of i.message.diagnostics) sink.diagnostic([i.view.view.id, side, i.dir, d.code, d.severity, d.offset, d.line, d.message]);
  for (const d of s.message.diagnostics) sink.diagnostic([s.view.view.id, side, s.dir, d.code, d.severity, d.offset, d.line, d.message]);
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
] as const;

/**
 * An exchange's row, its values in EXCHANGE_COLUMNS' order (one per column: the array literal below
 * is that list, column by column). Made straight as the array the sinks bind, with no object per
 * row to map: it is made for every exchange of a capture, 40,000 of them in the HTTP/2 benchmark.
 */
export function exchangeValues(e: Exchange, seq: number, serverView: StreamView | null): unknown[] {
  const primary = (e.request ?? e.response)!;
  const view = primary.view.view;
  const endpoint = serverView ?? view;
  const req = e.request?.message ?? null;
  const resp = e.response?.message ?? null;
  // The HTTP/2 and gRPC columns: NULL for an HTTP/1 exchange.
  const x = e.http2?.exchange ?? null;
  const g = x?.grpc ?? null;
  const error = x?.error ?? null;
  return [
    view.id, // stream_id
    e.response?.view.view.id ?? null, // response_stream_id
    e.views, // views
    seq, // seq
    address(view.clientAddr, view.clientPort), // client
    address(view.serverAddr, view.serverPort), // server
    endpoint.containerId, // container_id
    endpoint.proc, // proc
    endpoint.pid, // pid
    req?.method ?? null, // method
    req?.target ?? null, // target
    req ? (header(req, 'host') ?? null) : null, // host
    resp?.version ?? req?.version ?? null, // version
    resp?.status ?? null, // status
    resp?.reason ?? null, // reason
    req?.startTs ?? null, // req_ts
    resp?.startTs ?? null, // resp_ts
    resp?.endTs ?? null, // resp_end_ts
    req?.start ?? null, // req_start
    req?.end ?? null, // req_end
    resp?.start ?? null, // resp_start
    resp?.end ?? null, // resp_end
    req?.totalBytes ?? 0, // req_bytes
    resp?.totalBytes ?? 0, // resp_bytes
    req?.complete ? 1 : 0, // req_complete
    resp?.complete ? 1 : 0, // resp_complete
    (req?.truncated ?? false) || (resp?.truncated ?? false) ? 1 : 0, // truncated
    new HeaderFields(req?.headers ?? NO_HEADERS), // req_headers
    new HeaderFields(resp?.headers ?? NO_HEADERS), // resp_headers
    x?.streamId ?? null, // http2_stream
    error?.name ?? null, // http2_error
    error?.by ?? null, // http2_error_by
    error?.frame ?? null, // http2_error_frame
    (x?.request?.undecodable ?? 0) + (x?.response?.undecodable ?? 0), // undecodable
    g?.service ?? null, // grpc_service
    g?.method ?? null, // grpc_method
    g?.status ?? null, // grpc_status
    g?.statusName ?? null, // grpc_status_name
    g?.statusFrom ?? null, // grpc_status_from
    g?.message ?? null, // grpc_message
    g?.requestMessages ?? null, // grpc_req_messages
    g?.responseMessages ?? null, // grpc_resp_messages
    g?.timeoutNs ?? null, // grpc_timeout_ns
    g === null ? null : g.deadlineExceeded ? 1 : 0, // grpc_deadline_exceeded
    g === null ? null : grpcMessagesJson(e, g), // grpc_messages
  ];
}

/** Where req_headers and resp_headers are in an exchange's row. */
export const REQ_HEADERS = EXCHANGE_COLUMNS.indexOf('req_headers');
export const RESP_HEADERS = EXCHANGE_COLUMNS.indexOf('resp_headers');

const NO_HEADERS: readonly HttpHeader[] = [];

/**
 * A message's header fields as the column holds them: the JSON of [name, value] pairs ([] without
 * a message). Handed to the sinks as it is, so that the staged rows write its UTF-8 straight into
 * the row batch (writeUtf8) rather than make the text first: every exchange of a capture has two.
 */
export class HeaderFields {
  constructor(readonly headers: readonly HttpHeader[]) {}

  /**
   * The JSON text, written out rather than by JSON.stringify over a list of pairs made for it (the
   * SQL sink binds it for every exchange of a syscall capture or of a pass over the index).
   */
  json(): string {
    const h = this.headers;
    if (h.length === 0) return '[]';
    let json = `[[${jsonText(h[0]!.name)},${jsonText(h[0]!.value)}]`;
    for (let i = 1; i < h.length; i++) json += `,[${jsonText(h[i]!.name)},${jsonText(h[i]!.value)}]`;
    return `${json}]`;
  }

  /** The most bytes writeUtf8 can take: 6 a character (a control character's \u00XX), and `,["",""]` a pair. */
  maxBytes(): number {
    if (this.bound < 0) {
      let n = 2;
      for (const f of this.headers) n += 8 + 6 * (f.name.length + f.value.length);
      this.bound = n;
    }
    return this.bound;
  }

  /** maxBytes(), once counted: the staged rows ask it twice (room in the batch, then the write). */
  private bound = -1;

  /** json()'s UTF-8 written into `d` at `at` (room for maxBytes() there); returns where it ends. */
  writeUtf8(d: Uint8Array, at: number): number {
    d[at++] = 0x5b; // [
    const h = this.headers;
    for (let i = 0; i < h.length; i++) {
      if (i > 0) d[at++] = 0x2c; // ,
      d[at++] = 0x5b;
      at = writeJsonString(d, at, h[i]!.name);
      d[at++] = 0x2c;
      at = writeJsonString(d, at, h[i]!.value);
      d[at++] = 0x5d; // ]
    }
    d[at++] = 0x5d;
    return at;
  }
}

const utf8 = new TextEncoder();

/**
 * JSON.stringify(s) as UTF-8 at `at`: printable ASCII without quotes or backslashes (nearly every
 * header) byte for byte; anything else as JSON.stringify escapes it, then encoded.
 */
function writeJsonString(d: Uint8Array, at: number, s: string): number {
  const start = at;
  d[at++] = 0x22;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return start + utf8.encodeInto(JSON.stringify(s), d.subarray(start)).written;
    d[at++] = c;
  }
  d[at++] = 0x22;
  return at;
}

/** What JSON.stringify escapes in a string: quote, backslash, control characters, lone surrogates. */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it (quoted as it is, unless it holds something to escape). */
function jsonText(s: string): string {
  return JSON_ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A gRPC call's messages, the request's then the response's, each with its side and direction. */
function grpcMessagesJson(e: Exchange, g: NonNullable<NonNullable<Exchange['http2']>['exchange']['grpc']>): string {
  const requestDir: 'in' | 'out' = e.request?.dir ?? (e.response?.dir === 'out' ? 'in' : 'out');
  const responseDir: 'in' | 'out' = requestDir === 'out' ? 'in' : 'out';
  return JSON.stringify([...g.requestMessageList.map((m) => ({ side: 'request', dir: requestDir, ...m })), ...g.responseMessageList.map((m) => ({ side: 'response', dir: responseDir, ...m }))]);
}

function header(m: HttpMessage, name: string): string | undefined {
  return m.headers.find((h) => h.name.toLowerCase() === name)?.value;
}

export function address(addr: string | null, port: number | null): string | null {
  if (addr === null) return null;
  const host = addr.includes(':') ? `[${addr}]` : addr;
  return port === null ? host : `${host}:${port}`;
}

