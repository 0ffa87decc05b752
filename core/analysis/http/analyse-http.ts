// The HTTP analysis pass: every TCP (and unix) stream of the index, grouped by connection, parsed,
// paired, stitched and written to http_exchanges / http_diagnostics / stream_protocols. It reads
// only the index, so it runs the same for syscall and network captures.
//
// A capture piped in has its exchanges written as it is read (live-pass.ts, with the same group
// writer, openHttpWriter); the pass after ingest then writes only what that left (live-ledger.ts).
// A network capture read from a file has the rows of most connections written as it is read
// (staged-exchanges.ts); this pass writes the rest: the connections not staged, those whose staged
// parse was revoked, and any staged one that shares its group with another view.

import type Database from 'better-sqlite3';
import type { Side } from './exchanges';
import { CONNECTION_COLUMNS, DIAGNOSTIC_COLUMNS, emitGroup, EXCHANGE_COLUMNS, GOAWAY_COLUMNS, HeaderFields, REQ_HEADERS, RESP_HEADERS, type GroupPlan, type HttpRowSink } from './group-rows';
import { beforeUpgrade, findH2cUpgrade } from './h2c-upgrade';
import { Http2ViewReader } from './http2-views';
import { takeLiveLedger, type LiveLedger } from './live-ledger';
import { takePreparsedViews, type PreparsedView, type PreparsedViews } from './preparsed';
import { openStagedDelete } from './staged-exchanges';
import { viewGroupPages } from './view-groups';
import { ViewParser, type ParsedView, type StreamView } from './views';

export interface HttpAnalysisResult {
  exchanges: number;
  diagnostics: number;
}

/** Groups per write transaction: bounds memory and keeps the UI's reads flowing. */
const GROUPS_PER_TRANSACTION = 500;

export function analyseHttp(db: Database.Database): HttpAnalysisResult {
  // What a live pass wrote while the capture arrived stays, and so do the rows staged while it was
  // read; the findings are drawn again below.
  const ledger = takeLiveLedger(db);
  const preparsed = takePreparsedViews(db);
  const staged = !ledger && preparsed !== null && preparsed.staging ? preparsed : null;
  if (ledger || staged) db.exec('DELETE FROM findings');
  else db.exec('DELETE FROM http_diagnostics; DELETE FROM findings; DELETE FROM http_exchanges; DELETE FROM http2_goaways; DELETE FROM http2_connections; DELETE FROM stream_protocols;');
  const http = openHttpWriter(db, preparsed);
  const deleteStaged = staged ? openStagedDelete(db) : null;
  // A staged parse revoked later (a chunk after the FINs) no longer says what the index holds.
  if (staged) db.transaction(() => staged.revokedStaged().forEach((id) => deleteStaged!(id)))();
  const writeGroups = db.transaction((batch: StreamView[][]) => {
    for (const group of batch) {
      // A staged view given here shares its group: the group is parsed whole, as without staging.
      if (staged) for (const v of group) if (staged.isStaged(v.id)) deleteStaged!(v.id);
      if (ledger) writeAfterLive(http, ledger, group);
      else http.writeGroup(group);
    }
  });
  for (const groups of viewGroupPages(db, GROUPS_PER_TRANSACTION, { skipWritten: staged !== null })) writeGroups(groups);
  if (!ledger && !staged) return http.result;
  // Some were written before this pass (and, after a live pass, some of those again): the tables say how many there are.
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
  const insertDiagnostic = db.prepare(`INSERT INTO http_diagnostics (exchange_id, ${DIAGNOSTIC_COLUMNS.join(', ')}) VALUES (?, ${DIAGNOSTIC_COLUMNS.map(() => '?').join(', ')})`);

  const result: HttpAnalysisResult = { exchanges: 0, diagnostics: 0 };
  const insertGoaway = db.prepare(`INSERT INTO http2_goaways (${GOAWAY_COLUMNS.join(', ')}) VALUES (${GOAWAY_COLUMNS.map(() => '?').join(', ')})`);
  const insertConnection = db.prepare(`INSERT INTO http2_connections (${CONNECTION_COLUMNS.join(', ')}) VALUES (${CONNECTION_COLUMNS.map(() => '?').join(', ')})`);
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
  // The index's tables as the rows' sink: each exchange's id (SQLite's) goes with its diagnostics.
  let exchangeId = 0;
  const toIndex: HttpRowSink = {
    protocol: (streamId, protocol) => insertProtocol.run(streamId, protocol),
    goaway: (values) => insertGoaway.run(values),
    connection: (values) => insertConnection.run(values),
    exchange: (values) => {
      values[REQ_HEADERS] = (values[REQ_HEADERS] as HeaderFields).json();
      values[RESP_HEADERS] = (values[RESP_HEADERS] as HeaderFields).json();
      exchangeId = Number(insertExchange.run(values).lastInsertRowid);
      result.exchanges++;
    },
    diagnostic: (values) => {
      insertDiagnostic.run(exchangeId, ...values);
      result.diagnostics++;
    },
  };
  const writeGroup = (group: StreamView[], plan: GroupPlan = {}): number => emitGroup(group, plan.parsed ?? group.map((v) => parse(v)), plan, toIndex);
  return { parse, writeGroup, result };
}

export type { Side };
