// The HTTP analysis pass: every TCP (and unix) stream of the index, grouped by connection, parsed,
// paired, stitched and written to http_exchanges / http_diagnostics / stream_protocols. It reads
// only the index, so it runs the same for syscall and network captures.

import type Database from 'better-sqlite3';
import type { HttpMessage } from '../../../parsers/http/message-parser';
import { pairView, stitch, type Exchange, type Side } from './exchanges';
import { takePreparsedViews } from './preparsed';
import { viewGroupPages } from './view-groups';
import { ViewParser, type ParsedView, type StreamView } from './views';

export interface HttpAnalysisResult {
  exchanges: number;
  diagnostics: number;
}

/** Groups per write transaction: bounds memory and keeps the UI's reads flowing. */
const GROUPS_PER_TRANSACTION = 500;

export function analyseHttp(db: Database.Database): HttpAnalysisResult {
  db.exec('DELETE FROM http_diagnostics; DELETE FROM findings; DELETE FROM http_exchanges; DELETE FROM stream_protocols;');
  const insertProtocol = db.prepare('INSERT INTO stream_protocols (stream_id, protocol) VALUES (?, ?)');
  const insertExchange = db.prepare(`INSERT INTO http_exchanges (
      stream_id, response_stream_id, views, seq, client, server, container_id, proc, pid, method, target, host, version, status, reason,
      req_ts, resp_ts, resp_end_ts, req_start, req_end, resp_start, resp_end, req_bytes, resp_bytes, req_complete, resp_complete, truncated,
      req_headers, resp_headers)
    VALUES (@stream_id, @response_stream_id, @views, @seq, @client, @server, @container_id, @proc, @pid, @method, @target, @host, @version, @status, @reason,
      @req_ts, @resp_ts, @resp_end_ts, @req_start, @req_end, @resp_start, @resp_end, @req_bytes, @resp_bytes, @req_complete, @resp_complete, @truncated,
      @req_headers, @resp_headers)`);
  const insertDiagnostic = db.prepare(`INSERT INTO http_diagnostics (exchange_id, stream_id, side, dir, code, severity, offset, line, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const result: HttpAnalysisResult = { exchanges: 0, diagnostics: 0 };
  const parser = new ViewParser(db);
  // Streams the ingester already parsed as it read them (live-views.ts) are not read back.
  const preparsed = takePreparsedViews(db);
  const parse = (view: StreamView): ParsedView => {
    const done = preparsed?.take(view.id);
    return done ? { view, ...done } : parser.parse(view);
  };
  const writeGroups = db.transaction((batch: StreamView[][]) => {
    for (const group of batch) {
      const parsed = group.map(parse);
      for (const p of parsed) insertProtocol.run(p.view.id, p.protocol);
      const http = parsed.filter((p) => p.protocol === 'http1');
      if (http.length === 0) continue;
      const exchanges = stitch(http.map(pairView));
      const serverView = group.find((v) => v.role === 'server') ?? null;
      exchanges.forEach((e, seq) => {
        const id = Number(insertExchange.run(exchangeRow(e, seq, serverView)).lastInsertRowid);
        result.exchanges++;
        for (const [side, s] of [['request', e.request], ['response', e.response]] as const) {
          if (!s) continue;
          const diagnostics = side === 'response' ? [...e.interim.flatMap((i) => i.message.diagnostics.map((d) => ({ d, s: i }))), ...s.message.diagnostics.map((d) => ({ d, s }))] : s.message.diagnostics.map((d) => ({ d, s }));
          for (const { d, s: from } of diagnostics) {
            insertDiagnostic.run(id, from.view.view.id, side, from.dir, d.code, d.severity, d.offset, d.line, d.message);
            result.diagnostics++;
          }
        }
      });
    }
  });
  for (const groups of viewGroupPages(db, GROUPS_PER_TRANSACTION)) writeGroups(groups);
  return result;
}

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
