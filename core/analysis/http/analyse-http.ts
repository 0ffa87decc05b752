// The HTTP analysis pass: every TCP (and unix) stream of the index, grouped by connection, parsed,
// paired, stitched and written to http_exchanges / http_diagnostics / stream_protocols. It reads
// only the index, so it runs the same for syscall and network captures.
//
// A capture piped in has its exchanges written as it is read (live-pass.ts, with the same group
// writer, openHttpWriter); the pass after ingest then writes only what that left (live-ledger.ts).

import type Database from 'better-sqlite3';
import type { HttpMessage } from '../../../parsers/http/message-parser';
import type { Http2Conversation } from '../../../parsers/http2/conversation';
import { pairView, stitch, type Exchange, type Side } from './exchanges';
import { beforeUpgrade, findH2cUpgrade, upgradedExchanges } from './h2c-upgrade';
import { Http2ViewReader, http2Exchanges } from './http2-views';
import { takeLiveLedger, type LiveLedger } from './live-ledger';
import { takePreparsedViews, type PreparsedView, type PreparsedViews } from './preparsed';
import { viewGroupPages } from './view-groups';
import { ViewParser, type ParsedView, type StreamView } from './views';

export interface HttpAnalysisResult {
  exchanges: number;
  diagnostics: number;
}

/** Groups per write transaction: bounds memory and keeps the UI's reads flowing. */
const GROUPS_PER_TRANSACTION = 500;

export function analyseHttp(db: Database.Database): HttpAnalysisResult {
  // What a live pass wrote while the capture arrived stays; the findings are drawn again below.
  const ledger = takeLiveLedger(db);
  if (ledger) db.exec('DELETE FROM findings');
  else db.exec('DELETE FROM http_diagnostics; DELETE FROM findings; DELETE FROM http_exchanges; DELETE FROM http2_goaways; DELETE FROM http2_connections; DELETE FROM stream_protocols;');
  const http = openHttpWriter(db, takePreparsedViews(db));
  const writeGroups = db.transaction((batch: StreamView[][]) => {
    for (const group of batch) {
      if (ledger) writeAfterLive(http, ledger, group);
      else http.writeGroup(group);
    }
  });
  for (const groups of viewGroupPages(db, GROUPS_PER_TRANSACTION)) writeGroups(groups);
  if (!ledger) return http.result;
  // Some were written live, some of those again: the tables say how many there are.
  const count = (table: string) => Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
  return { exchanges: count('http_exchanges'), diagnostics: count('http_diagnostics') };
}

/** A group the live pass may have written (some or all of): only what it left is written now. */
function writeAfterLive(http: HttpWriter, ledger: LiveLedger, group: StreamView[]): void {
  if (ledger.wroteWhole(group)) return;
  if (!ledger.wroteAny(group)) {
    http.writeGroup(group);
    return;
  }
  http.writeGroup(group, { parsed: group.map((v) => http.parse(v)), written: (parsed, exchanges) => ledger.stillWritten(group, parsed, exchanges) });
}

/** How a group is written: all of it, or (after a live pass) past the exchanges already there. */
export interface GroupPlan {
  /** The group's views parsed already (by the caller, who looked at them). */
  parsed?: ParsedView[];
  /**
   * How many of the group's first exchanges are in the index already (their rows, the stream's
   * protocol, its HTTP/2 connection: everything but the exchanges past them is then not written).
   */
  written?: (parsed: ParsedView[], exchanges: Exchange[]) => number;
  /** Write exchanges only up to this one (those after it may still change): the live pass's open streams. */
  upTo?: (parsed: ParsedView[], exchanges: Exchange[]) => number;
}

export interface HttpWriter {
  /** A view's parse: the ingester's (`done`, by default the one it left for the view), else read from the index. */
  parse(view: StreamView, done?: PreparsedView): ParsedView;
  /** Writes a group's protocols, HTTP/2 connections, exchanges and their diagnostics; returns the exchanges written. */
  writeGroup(group: StreamView[], plan?: GroupPlan): number;
  readonly result: HttpAnalysisResult;
}

/** The statements and the parse that write groups of views, for the pass after ingest and the live one. */
export function openHttpWriter(db: Database.Database, preparsed: PreparsedViews | null): HttpWriter {
  const insertProtocol = db.prepare('INSERT INTO stream_protocols (stream_id, protocol) VALUES (?, ?)');
  // Bound by position, from EXCHANGE_COLUMNS: binding 45 named parameters from an object per row
  // took a quarter of the insert's time more.
  const insertExchange = db.prepare(`INSERT INTO http_exchanges (${EXCHANGE_COLUMNS.join(', ')}) VALUES (${EXCHANGE_COLUMNS.map(() => '?').join(', ')})`);
  const insertDiagnostic = db.prepare(`INSERT INTO http_diagnostics (exchange_id, stream_id, side, dir, code, severity, offset, line, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const result: HttpAnalysisResult = { exchanges: 0, diagnostics: 0 };
  const insertGoaway = db.prepare(`INSERT INTO http2_goaways (stream_id, dir, sender, client, server, ts, offset, last_stream, error, debug)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertConnection = db.prepare(`INSERT INTO http2_connections (stream_id, request_dir, client, server, streams, client_settings, server_settings,
      client_settings_frames, server_settings_frames, client_window_updates, server_window_updates, client_window_granted, server_window_granted,
      client_pings, server_pings, client_frames, server_frames) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const parser = new ViewParser(db);
  const http2 = new Http2ViewReader(db);
  // Streams the ingester already parsed as it read them (live-http.ts) are not read back.
  const parse = (view: StreamView, done = preparsed?.take(view.id)): ParsedView => {
    const p: ParsedView = done ? { view, ...done } : parser.parse(view);
    // HTTP/2 from its preface, or (a capture begun mid-connection) from frames where nothing else was recognised.
    // (An HTTP/2 stream parsed as it was read comes with its conversation.)
    if (p.protocol === 'http2' || (p.protocol === 'unknown' && http2.looksLikeFrames(view))) return { ...p, protocol: 'http2', http2: p.http2 ?? http2.read(view) };
    // HTTP/1 upgraded to HTTP/2 (Upgrade: h2c): HTTP/1 up to the 101, HTTP/2 after it.
    const up = p.protocol === 'http1' ? findH2cUpgrade(p) : null;
    if (up) return { ...beforeUpgrade(p, up), protocol: 'http2', http2: http2.readUpgraded(view, p.requestDir, up.clientFrom, up.serverFrom), upgrade: up };
    return p;
  };
  const writeGroup = (group: StreamView[], plan: GroupPlan = {}): number => {
    const parsed = plan.parsed ?? group.map((v) => parse(v));
    const http = parsed.filter((p) => p.protocol === 'http1' || p.http2);
    const exchanges = http.length === 0 ? [] : stitch(http.map((p) => (p.http2 ? (p.upgrade ? upgradedExchanges({ ...p, http2: p.http2 }, p.upgrade) : http2Exchanges({ ...p, http2: p.http2 })) : pairView(p))));
    const from = plan.written?.(parsed, exchanges) ?? 0;
    const to = plan.upTo?.(parsed, exchanges) ?? exchanges.length;
    // The stream's protocol and HTTP/2 connection once its exchanges are final (not while it is open).
    const final = plan.upTo === undefined;
    if (final) for (const p of parsed) insertProtocol.run(p.view.id, p.protocol);
    if (http.length === 0) return 0;
    for (const p of final ? parsed : []) {
      if (!p.http2) continue;
      writeGoaways(p.view, p.http2.requestDir, p.http2.conversation.goaways);
      const { client: c, server: s, exchanges: x } = p.http2.conversation;
      insertConnection.run(p.view.id, p.http2.requestDir, address(p.view.clientAddr, p.view.clientPort), address(p.view.serverAddr, p.view.serverPort), x.length,
        JSON.stringify(c.settings), JSON.stringify(s.settings), c.settingsFrames, s.settingsFrames, c.windowUpdates, s.windowUpdates, c.connectionWindowGranted, s.connectionWindowGranted,
        c.pings, s.pings, c.frames, s.frames);
    }
    const serverView = group.find((v) => v.role === 'server') ?? null;
    exchanges.forEach((e, seq) => {
      if (seq < from || seq >= to) return;
      const row = exchangeRow(e, seq, serverView);
      const id = Number(insertExchange.run(EXCHANGE_COLUMNS.map((c) => row[c])).lastInsertRowid);
      result.exchanges++;
      for (const [side, s] of [['request', e.request], ['response', e.response]] as const) {
        if (!s) continue;
        const diagnostics = side === 'response' ? [...e.interim.flatMap((i) => i.message.diagnostics.map((d) => ({ d, s: i }))), ...s.message.diagnostics.map((d) => ({ d, s }))] : s.message.diagnostics.map((d) => ({ d, s }));
        for (const { d, s: from } of diagnostics) {
          insertDiagnostic.run(id, from.view.view.id, side, from.dir, d.code, d.severity, d.offset, d.line, d.message);
          result.diagnostics++;
        }
      }
      const viewOf = (side: 'request' | 'response') => (side === 'request' ? e.request : e.response)?.view.view.id ?? (e.request ?? e.response)!.view.view.id;
      for (const { side, dir, d } of e.http2?.diagnostics ?? []) {
        insertDiagnostic.run(id, viewOf(side), side, dir, d.code, d.severity, d.offset, d.line, d.message);
        result.diagnostics++;
      }
    });
    return Math.max(0, to - from);
  };
  const writeGoaways = (view: StreamView, requestDir: 'in' | 'out', goaways: Http2Conversation['goaways']) => {
    for (const g of goaways) {
      const dir = g.by === 'client' ? requestDir : requestDir === 'out' ? 'in' : 'out';
      insertGoaway.run(view.id, dir, g.by, address(view.clientAddr, view.clientPort), address(view.serverAddr, view.serverPort), g.ts, g.offset, g.lastStreamId, g.name, g.debug);
    }
  };
  return { parse, writeGroup, result };
}

/** The columns of an exchange row, in the order the insert binds them. */
const EXCHANGE_COLUMNS = [
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

export type { Side };
