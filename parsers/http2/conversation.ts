// An HTTP/2 connection's two directions read as exchanges: each stream the client opened is one
// request (its header block, DATA, trailers) and the server's response on the same stream id, with
// what ended it (END_STREAM, RST_STREAM from either side, a GOAWAY that refused it), its pseudo-
// headers checked (RFC 9113 §8.3) and, for a gRPC call, its service, method, messages and status.

import { grpcCallOf, grpcStatusName, grpcStatusOfReset, grpcTimeoutSlackNs, GrpcStatus, isGrpcContentType, parseGrpcTimeout, decodeGrpcMessage } from '../grpc/status';
import type { GrpcMessage } from '../grpc/messages';
import { http2Diagnostic, type Http2Diagnostic } from './diagnostics';
import type { DirectionResult, HeaderBlock, StreamSide } from './direction';
import { DEFAULT_MAX_FRAME_SIZE } from './frames';
import type { HeaderField } from './hpack';

export interface Http2Message {
  streamId: number;
  start: number;
  end: number;
  startTs: bigint;
  endTs: bigint;
  /** The header block (for a response, the final one; 1xx blocks are left out). */
  headers: HeaderField[];
  /** Offset of that block's HEADERS frame. */
  headersOffset: number | null;
  /** Decoding that block stopped at an HPACK error. */
  headersFailed: boolean;
  trailers: HeaderField[];
  /** Fields that could not be decoded (capture began after the connection, or blocks were lost). */
  undecodable: number;
  /** A header block of it was not captured whole. */
  blockLost: boolean;
  bytes: number;
  /** Octets of its frames the capture missed. */
  missingBytes: number;
  dataBytes: number;
  /** END_STREAM seen (a reset message is not complete). */
  complete: boolean;
  /** Octets of it were not captured. */
  truncated: boolean;
  diagnostics: Http2Diagnostic[];
}

export interface GrpcCall {
  /** From :path; null when the path was not seen (a capture begun after the connection). */
  service: string | null;
  method: string | null;
  /** grpc-status, or the status the client saw for a reset stream; null when neither was seen. */
  status: number | null;
  statusName: string | null;
  /** grpc-message, percent-decoded. */
  message: string | null;
  /** Where the status came from. */
  statusFrom: 'trailers' | 'trailers-only' | 'rst-stream' | 'goaway' | null;
  requestMessages: number;
  responseMessages: number;
  requestMessageList: GrpcMessage[];
  responseMessageList: GrpcMessage[];
  /** grpc-timeout in nanoseconds. */
  timeoutNs: number | null;
  deadlineExceeded: boolean;
}

export interface Http2Exchange {
  streamId: number;
  request: Http2Message | null;
  response: Http2Message | null;
  method: string | null;
  path: string | null;
  authority: string | null;
  status: number | null;
  /** The HTTP/2 error that ended the stream: a RST_STREAM's code, or GOAWAY when it was refused by one. */
  error: { name: string; code: number; by: 'client' | 'server'; frame: 'RST_STREAM' | 'GOAWAY'; offset: number; ts: bigint } | null;
  grpc: GrpcCall | null;
}

export interface Http2Conversation {
  exchanges: Http2Exchange[];
  /** Connection-level diagnostics of each direction. */
  clientDiagnostics: Http2Diagnostic[];
  serverDiagnostics: Http2Diagnostic[];
  goaways: { by: 'client' | 'server'; offset: number; ts: bigint; lastStreamId: number; name: string; debug: string }[];
  /** What each side announced and sent for the connection as a whole. */
  client: ConnectionSide;
  server: ConnectionSide;
}

/** One side's connection-level frames: its SETTINGS (last value of each), flow control, pings. */
export interface ConnectionSide {
  settings: Record<string, number>;
  settingsFrames: number;
  windowUpdates: number;
  connectionWindowGranted: number;
  pings: number;
  frames: number;
}

function connectionSide(r: DirectionResult): ConnectionSide {
  return { settings: Object.fromEntries(r.settings), settingsFrames: r.settingsFrames, windowUpdates: r.windowUpdates, connectionWindowGranted: r.connectionWindowGranted, pings: r.pings, frames: r.frames };
}

const REQUEST_PSEUDO = new Set([':method', ':scheme', ':authority', ':path', ':protocol']);

export function converse(client: DirectionResult, server: DirectionResult): Http2Conversation {
  const clientDiagnostics = [...client.diagnostics, ...frameSizeErrors(client, server)];
  const serverDiagnostics = [...server.diagnostics, ...frameSizeErrors(server, client)];
  const ids = new Set<number>();
  // Client-opened streams are odd; a server's pushed (even) streams are not exchanges asked for.
  for (const id of client.streams.keys()) ids.add(id);
  for (const id of server.streams.keys()) if (id % 2 === 1) ids.add(id);
  const serverGoaways = server.goaways;
  const exchanges: Http2Exchange[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const c = client.streams.get(id) ?? null;
    const s = server.streams.get(id) ?? null;
    exchanges.push(exchangeOf(id, c, s, serverGoaways));
  }
  const goaways = [
    ...client.goaways.map((g) => ({ by: 'client' as const, offset: g.offset, ts: g.ts, lastStreamId: g.lastStreamId, name: g.name, debug: g.debug })),
    ...server.goaways.map((g) => ({ by: 'server' as const, offset: g.offset, ts: g.ts, lastStreamId: g.lastStreamId, name: g.name, debug: g.debug })),
  ];
  return { exchanges, clientDiagnostics, serverDiagnostics, goaways, client: connectionSide(client), server: connectionSide(server) };
}

function exchangeOf(id: number, c: StreamSide | null, s: StreamSide | null, serverGoaways: DirectionResult['goaways']): Http2Exchange {
  const request = c ? messageOf(c, 'request') : null;
  const response = s ? messageOf(s, 'response') : null;
  let method: string | null = null;
  let path: string | null = null;
  let authority: string | null = null;
  let statusText: string | null = null;
  // Each the first of its name (one pass over the fields, not one per name).
  if (request) {
    for (const f of request.headers) {
      if (f.name === ':method') method ??= f.value;
      else if (f.name === ':path') path ??= f.value;
      else if (f.name === ':authority') authority ??= f.value;
    }
  }
  if (response) {
    for (const f of response.headers) {
      if (f.name === ':status') {
        statusText = f.value;
        break;
      }
    }
  }
  const status = statusText !== null && /^\d{3}$/.test(statusText) ? Number(statusText) : null;

  let error: Http2Exchange['error'] = null;
  if (s?.reset) error = { name: s.reset.name, code: s.reset.code, by: 'server', frame: 'RST_STREAM', offset: s.reset.offset, ts: s.reset.ts };
  else if (c?.reset) error = { name: c.reset.name, code: c.reset.code, by: 'client', frame: 'RST_STREAM', offset: c.reset.offset, ts: c.reset.ts };
  else if (!response || !response.complete) {
    // A GOAWAY whose last stream is below this one: the server never processed it (§6.8).
    const refusing = serverGoaways.find((g) => g.lastStreamId < id && (request === null || g.ts >= request.startTs));
    if (refusing) error = { name: refusing.name, code: refusing.code, by: 'server', frame: 'GOAWAY', offset: refusing.offset, ts: refusing.ts };
  }

  if (request) checkPseudo(request, 'request');
  if (response) checkPseudo(response, 'response');

  const grpc = grpcOf(c, s, request, response, path, error);
  return { streamId: id, request, response, method, path, authority, status, error, grpc };
}

function messageOf(side: StreamSide, kind: 'request' | 'response'): Http2Message {
  const informational = (b: HeaderBlock) => kind === 'response' && /^1\d\d$/.test(b.fields.find((f) => f.name === ':status')?.value ?? '');
  // Most streams' blocks are all kept (no 1xx, none after the end): the list itself then.
  const blocks = side.blocks.every((b) => !informational(b) && !b.afterEnd) ? side.blocks : side.blocks.filter((b) => !informational(b) && !b.afterEnd);
  let undecodable = 0;
  let blockLost = false;
  for (const b of side.blocks) {
    undecodable += b.undecodable;
    if (b.lost) blockLost = true;
  }
  const first = blocks[0] ?? null;
  // A later block that ends the stream is the trailers (a first block with END_STREAM is Trailers-Only).
  const last = blocks.length > 1 && blocks.at(-1)!.endStream ? blocks.at(-1)! : null;
  return {
    streamId: side.id,
    start: side.start,
    end: side.end,
    startTs: side.startTs,
    endTs: side.endTs,
    headers: first?.fields ?? [],
    headersOffset: first?.offset ?? null,
    headersFailed: first?.failed ?? false,
    trailers: last?.fields ?? [],
    undecodable,
    blockLost,
    bytes: side.bytes,
    missingBytes: side.missingBytes,
    dataBytes: side.dataBytes,
    complete: side.endStream,
    truncated: side.missingBytes > 0 || blockLost,
    diagnostics: [...side.diagnostics],
  };
}

/** RFC 9113 §8.3: which pseudo-header fields a request and a response carry, before the others, once each. */
function checkPseudo(m: Http2Message, kind: 'request' | 'response'): void {
  if (m.headersOffset === null || m.headersFailed || m.blockLost || m.undecodable > 0) return;
  const problems: string[] = [];
  const seen = new Set<string>();
  let regular = false;
  for (const f of m.headers) {
    if (f.name.startsWith(':')) {
      if (regular) problems.push(`${f.name} after a regular field`);
      if (seen.has(f.name)) problems.push(`${f.name} twice`);
      seen.add(f.name);
      const allowed = kind === 'request' ? REQUEST_PSEUDO.has(f.name) : f.name === ':status';
      if (!allowed) problems.push(`${f.name} is not a ${kind} pseudo-header`);
    } else regular = true;
    if (/[A-Z]/.test(f.name)) problems.push(`the field name '${f.name}' has uppercase letters (§8.2.1)`);
  }
  if (kind === 'request') {
    const connect = m.headers.find((f) => f.name === ':method')?.value === 'CONNECT';
    for (const required of connect ? [':method', ':authority'] : [':method', ':scheme', ':path']) if (!seen.has(required)) problems.push(`no ${required}`);
  } else if (!seen.has(':status')) problems.push('no :status');
  for (const f of m.trailers) if (f.name.startsWith(':')) problems.push(`the trailers carry ${f.name}`);
  if (problems.length > 0) {
    m.diagnostics.push(http2Diagnostic('invalid-pseudo-header', m.headersOffset, `HEADERS stream ${m.streamId}`, { block: kind === 'request' ? 'request headers' : 'response headers', stream: m.streamId, detail: problems.slice(0, 3).join('; ') }));
  }
}

function grpcOf(c: StreamSide | null, s: StreamSide | null, request: Http2Message | null, response: Http2Message | null, path: string | null, error: Http2Exchange['error']): GrpcCall | null {
  const contentType = (m: Http2Message | null) => m?.headers.find((f) => f.name === 'content-type')?.value ?? null;
  // Its content-type says so; or, where that field could not be decoded, its response carries gRPC's status fields.
  const statusField = (f: HeaderField) => f.name === 'grpc-status' || f.name === 'grpc-message';
  const hasStatusFields = (m: Http2Message | null) => m !== null && (m.headers.some(statusField) || m.trailers.some(statusField));
  const isGrpc = isGrpcContentType(contentType(request)) || isGrpcContentType(contentType(response)) || c?.grpc != null || s?.grpc != null || hasStatusFields(response);
  if (!isGrpc) return null;
  const call = grpcCallOf(path);
  // Trailers-Only: the response's one header block carries grpc-status.
  const trailersOnly = response !== null && response.trailers.length === 0 && response.headers.some((f) => f.name === 'grpc-status' || f.name === 'grpc-message');
  const statusBlock = trailersOnly ? response!.headers : (response?.trailers ?? []);
  const statusText = statusBlock.find((f) => f.name === 'grpc-status')?.value ?? null;
  const rawMessage = statusBlock.find((f) => f.name === 'grpc-message')?.value ?? null;
  let status = statusText !== null && /^\d+$/.test(statusText) ? Number(statusText) : null;
  let statusFrom: GrpcCall['statusFrom'] = status === null ? null : trailersOnly ? 'trailers-only' : 'trailers';
  const timeoutText = request?.headers.find((f) => f.name === 'grpc-timeout')?.value;
  const timeoutNs = parseGrpcTimeout(timeoutText);
  const endTs = response?.complete ? response.endTs : (error?.ts ?? null);
  const elapsed = request && endTs !== null ? Number(endTs - request.startTs) : null;
  // The header rounds the time left up: a call that ended within that rounding of it reached its deadline.
  const overDeadline = timeoutNs !== null && elapsed !== null && elapsed >= timeoutNs - grpcTimeoutSlackNs(timeoutText);
  if (status === null && error) {
    if (error.frame === 'GOAWAY') status = GrpcStatus.UNAVAILABLE;
    else if (error.by === 'client') status = overDeadline ? GrpcStatus.DEADLINE_EXCEEDED : GrpcStatus.CANCELLED;
    else status = grpcStatusOfReset(error.code);
    statusFrom = error.frame === 'GOAWAY' ? 'goaway' : 'rst-stream';
  }
  return {
    service: call?.service ?? null,
    method: call?.method ?? null,
    status,
    statusName: status === null ? null : grpcStatusName(status),
    message: rawMessage === null ? null : decodeGrpcMessage(rawMessage),
    statusFrom,
    requestMessages: c?.grpc?.count ?? 0,
    responseMessages: s?.grpc?.count ?? 0,
    requestMessageList: c?.grpc?.messages ?? [],
    responseMessageList: s?.grpc?.messages ?? [],
    timeoutNs,
    deadlineExceeded: status === GrpcStatus.DEADLINE_EXCEEDED || (overDeadline && status !== GrpcStatus.OK),
  };
}

/** Frames longer than the receiver's SETTINGS_MAX_FRAME_SIZE (its default when it announced none). */
function frameSizeErrors(sender: DirectionResult, receiver: DirectionResult): Http2Diagnostic[] {
  const max = receiver.settings.get('MAX_FRAME_SIZE') ?? DEFAULT_MAX_FRAME_SIZE;
  return sender.longFrames
    .filter((f) => f.length > max)
    .map((f) => http2Diagnostic('frame-size-error', f.offset, `${f.type} stream ${f.streamId}`, { type: f.type, length: f.length, rule: `longer than the ${max} octets the peer's SETTINGS_MAX_FRAME_SIZE allows` }));
}
