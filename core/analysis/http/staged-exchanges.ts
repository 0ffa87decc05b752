// The HTTP rows of a network capture's connections, written while the capture is read: as each
// connection's live parse completes (core/formats/pcap/live-http.ts), its exchanges, their
// diagnostics, its protocol and its HTTP/2 connection and GOAWAYs are made here, the same rows the
// analysis after ingest makes (emitGroup, analyse-http.ts), and go with the pcap ingest's row
// batches to the writer thread, into staging tables. The parsed messages then no longer wait in
// memory for the end of the capture (preparsed.ts), and the inserts are off the ingest's thread.
//
// The staging tables are in a scratch database attached beside the index (STAGING_SCHEMA).
//
// Exchange ids are the order of the connections' groups (view-groups.ts: a reused client port puts
// a later connection's exchanges among the first's), which is known only once every connection is
// read. So the rows wait in staging tables, and the analysis after ingest copies each run of staged
// groups into the real tables in that order with one INSERT ... SELECT per table (copyRun), between
// the groups it still writes itself; then it drops the staging tables. What the index ends up
// holding is what it held before, row for row and id for id (test/pcap/live-http.test.ts).
//
// Staged: a connection the analysis would take whole from the live parse (one whose parse says
// HTTP/1 without an h2c upgrade, HTTP/2 with its conversation of at most STAGED_HTTP2_EXCHANGES
// exchanges, or TLS). Left to the analysis as
// before: a parse revoked later (a chunk after the FINs: preparsed.ts forgets the stream's staging,
// and its staged rows are never copied), any other protocol, and a connection that turns out to
// share its group with another view (the analysis parses each view of such a group itself).

import fs from 'node:fs';
import type Database from 'better-sqlite3';
import type { TableSpec } from '../../index/row-batch';
import { CONNECTION_COLUMNS, DIAGNOSTIC_COLUMNS, emitGroup, EXCHANGE_COLUMNS, GOAWAY_COLUMNS } from './group-rows';
import { findH2cUpgrade } from './h2c-upgrade';
import { inflateKept, type KeptView } from './preparsed';
import { VIEW_ORDER_TABLE } from './view-groups';
import type { ParsedView, StreamView } from './views';

/** Column kinds of the staged tables' rows (core/index/row-batch.ts), by column. */
const KIND: Record<string, string> = {
  stream_id: 'n', response_stream_id: 'n', views: 'n', seq: 'n', client: 's', server: 's', container_id: 's', proc: 's', pid: 'n', method: 's', target: 't',
  host: 's', version: 's', status: 'n', reason: 's', req_ts: 'b', resp_ts: 'b', resp_end_ts: 'b', req_start: 'n', req_end: 'n', resp_start: 'n', resp_end: 'n',
  req_bytes: 'n', resp_bytes: 'n', req_complete: 'n', resp_complete: 'n', truncated: 'n', req_headers: 't', resp_headers: 't', http2_stream: 'n',
  http2_error: 's', http2_error_by: 's', http2_error_frame: 's', undecodable: 'n', grpc_service: 's', grpc_method: 's', grpc_status: 'n',
  grpc_status_name: 's', grpc_status_from: 's', grpc_message: 't', grpc_req_messages: 'n', grpc_resp_messages: 'n', grpc_timeout_ns: 'n',
  grpc_deadline_exceeded: 'n', grpc_messages: 't',
  // diagnostics
  x_stream: 'n', x_seq: 'n', ord: 'n', side: 's', dir: 's', code: 's', severity: 's', offset: 'n', line: 't', message: 't',
  // goaways
  sender: 's', ts: 'b', last_stream: 'n', error: 's', debug: 't',
  // connections
  request_dir: 's', streams: 'n', client_settings: 't', server_settings: 't', client_settings_frames: 'n', server_settings_frames: 'n',
  client_window_updates: 'n', server_window_updates: 'n', client_window_granted: 'n', server_window_granted: 'n', client_pings: 'n', server_pings: 'n',
  client_frames: 'n', server_frames: 'n',
  // views
  protocol: 's',
};

interface StagedTable {
  name: string;
  /** Its columns, in the order its rows are encoded. */
  columns: readonly string[];
  /** The real table its rows are copied into, and the staged columns copied (the rest order them). */
  target: string;
  copied: readonly string[];
  /** How a run's rows are ordered among a view's (after the view's position). */
  order: string | null;
  index: string | null;
}

const VIEWS: StagedTable = { name: 'http_staged_views', columns: ['stream_id', 'protocol'], target: 'stream_protocols', copied: ['stream_id', 'protocol'], order: null, index: 'stream_id' };
const EXCHANGES: StagedTable = { name: 'http_staged_exchanges', columns: EXCHANGE_COLUMNS, target: 'http_exchanges', copied: EXCHANGE_COLUMNS, order: 'seq', index: 'stream_id, seq' };
const DIAGNOSTICS: StagedTable = {
  name: 'http_staged_diagnostics',
  // The exchange's stream and seq (its id is known once it is copied), the diagnostic's place among the exchange's.
  columns: ['x_stream', 'x_seq', 'ord', ...DIAGNOSTIC_COLUMNS],
  target: 'http_diagnostics',
  copied: DIAGNOSTIC_COLUMNS,
  order: 'x_seq, ord',
  index: 'x_stream, x_seq, ord',
};
const GOAWAYS: StagedTable = { name: 'http_staged_goaways', columns: ['ord', ...GOAWAY_COLUMNS], target: 'http2_goaways', copied: GOAWAY_COLUMNS, order: 'ord', index: 'stream_id, ord' };
const CONNECTIONS: StagedTable = { name: 'http_staged_connections', columns: CONNECTION_COLUMNS, target: 'http2_connections', copied: CONNECTION_COLUMNS, order: null, index: 'stream_id' };

/** The staged tables, in the order of their specs (STAGED_TABLE_SPECS) after a format's own. */
const STAGED = [VIEWS, EXCHANGES, DIAGNOSTICS, GOAWAYS, CONNECTIONS] as const;
const T_VIEWS = 0;
const T_EXCHANGES = 1;
const T_DIAGNOSTICS = 2;
const T_GOAWAYS = 3;
const T_CONNECTIONS = 4;

function kindsOf(t: StagedTable): string {
  return t.columns.map((c) => KIND[c]!).join('');
}

/** A staged column's type: the real table's (integers and text), so values and comparisons are the same. */
const TYPE: Record<string, string> = { n: 'INTEGER', b: 'INTEGER', s: 'TEXT', t: 'TEXT' };

/**
 * The staging tables live in a scratch database beside the index, attached as this schema, and
 * deleted after the analysis: in the index itself they left its file a fifth larger (pages freed
 * by dropping them are not given back), and went through its write-ahead log twice.
 */
export const STAGING_SCHEMA = 'http_staging';

/** The scratch database's file: beside the index (an in-memory index's is a temporary one of its connection's own). */
export function stagingFile(db: Database.Database): string {
  return db.memory ? '' : `${db.name}.http-staging`;
}

function attached(db: Database.Database): boolean {
  return (db.prepare('SELECT name FROM pragma_database_list').pluck().all() as string[]).includes(STAGING_SCHEMA);
}

/**
 * Makes the staging tables (not part of the schema: they live from the ingest to the HTTP
 * analysis, which removes them). `fresh`: nothing was staged yet in this ingest, so whatever an
 * ingest that never finished left in them goes.
 */
export function createStagedTables(db: Database.Database, fresh: boolean): void {
  if (!attached(db)) {
    db.prepare(`ATTACH DATABASE ? AS ${STAGING_SCHEMA}`).run(stagingFile(db));
    db.pragma(`${STAGING_SCHEMA}.journal_mode = OFF`);
    db.pragma(`${STAGING_SCHEMA}.synchronous = OFF`);
  }
  for (const t of STAGED) {
    if (fresh) db.exec(`DROP TABLE IF EXISTS ${STAGING_SCHEMA}.${t.name}`);
    db.exec(`CREATE TABLE IF NOT EXISTS ${STAGING_SCHEMA}.${t.name} (${t.columns.map((c) => `${c} ${TYPE[KIND[c]!]}`).join(', ')})`);
    if (t.index) db.exec(`CREATE INDEX IF NOT EXISTS ${STAGING_SCHEMA}.${t.name}_by_stream ON ${t.name} (${t.index})`);
  }
}

/** Removes the staging tables and their scratch database (a leftover of an ingest that never finished too). */
export function dropStagedTables(db: Database.Database): void {
  if (attached(db)) db.exec(`DETACH DATABASE ${STAGING_SCHEMA}`);
  const file = stagingFile(db);
  if (file !== '') fs.rmSync(file, { force: true });
}

/** The row-batch statements of the staged tables, to follow a format's own specs, writing into `file` (stagingFile()). */
export function stagedTableSpecs(file: string): TableSpec[] {
  const attach = { schema: STAGING_SCHEMA, file };
  return STAGED.map((t) => ({ kinds: kindsOf(t), head: `INSERT OR FAIL INTO ${STAGING_SCHEMA}.${t.name} (${t.columns.join(', ')}) VALUES `, row: `(${t.columns.map(() => '?').join(', ')})`, attach }));
}

/** Where staged rows go: a format's row batches (core/formats/pcap/batch-writer.ts). */
export interface StagedRowOut {
  /** One row of staged table `table` (0 to 4: the order of stagedTableSpecs()), its values of `kinds`. */
  staged(table: number, kinds: string, values: readonly unknown[]): void;
}

/**
 * HTTP/2 connections with more exchanges than this are left to the analysis after ingest, as
 * before: their conversation is made when the connection ends (http2ViewOf), which for a long one
 * is about when the capture ends, so staging its rows saves nothing and writes them twice (the
 * h2c benchmark's 16 connections of 2,500 exchanges each: 0.3 CPU s and 70 MiB more, docs/benchmarks.md).
 * They wait within the preparsed budget, as they did.
 */
export const STAGED_HTTP2_EXCHANGES = 1000;

/** Makes the staged rows of the connections whose parse completed during the read. */
export class HttpStager {
  private readonly kinds = STAGED.map(kindsOf);

  constructor(private readonly out: StagedRowOut) {}

  /** Stages a finished connection's rows from its parse; false (nothing staged) when the analysis must see it itself. */
  stage(view: StreamView, kept: KeptView): boolean {
    let parsed: ParsedView;
    if (kept.protocol === 'tls') parsed = { view, protocol: 'tls', requestDir: kept.requestDir, requests: [], responses: [] };
    else if (kept.protocol === 'http2' && kept.http2) {
      // A long connection's rows are made at its end either way, so staging them only writes them twice.
      if (kept.http2.conversation.exchanges.length > STAGED_HTTP2_EXCHANGES) return false;
      parsed = { view, ...inflateKept(kept), protocol: 'http2' };
    }
    else if (kept.protocol === 'http1') {
      parsed = { view, ...inflateKept(kept) };
      // An h2c upgrade is read from the index after its 101.
      if (findH2cUpgrade(parsed)) return false;
    } else return false;
    const out = this.out;
    const k = this.kinds;
    let seq = -1;
    let ord = 0;
    let goaways = 0;
    emitGroup([view], [parsed], {}, {
      protocol: (streamId, protocol) => out.staged(T_VIEWS, k[T_VIEWS]!, [streamId, protocol]),
      goaway: (values) => out.staged(T_GOAWAYS, k[T_GOAWAYS]!, [goaways++, ...values]),
      connection: (values) => out.staged(T_CONNECTIONS, k[T_CONNECTIONS]!, values),
      exchange: (values) => {
        seq = values[3] as number;
        ord = 0;
        out.staged(T_EXCHANGES, k[T_EXCHANGES]!, values);
      },
      diagnostic: (values) => out.staged(T_DIAGNOSTICS, k[T_DIAGNOSTICS]!, [view.id, seq, ord++, ...values]),
    });
    return true;
  }
}

/** Copies the staged rows of the views at positions `from` to `to` of the analysis' order into the real tables, in that order. */
export type StagedCopy = (from: number, to: number) => { exchanges: number; diagnostics: number };

/**
 * The statements that copy runs of staged views (the analysis after ingest), prepared on first use:
 * VIEW_ORDER_TABLE is made once the groups are first read.
 */
export function openStagedCopy(db: Database.Database): StagedCopy {
  let run: StagedCopy | null = null;
  return (from, to) => (run ??= prepareStagedCopy(db))(from, to);
}

function prepareStagedCopy(db: Database.Database): StagedCopy {
  const cols = (t: StagedTable) => t.copied.map((c) => `s.${c}`).join(', ');
  // CROSS JOIN: the run's positions first, each view's rows found by its stream (SQLite would
  // otherwise scan the staged table for every run, having no statistics to go by).
  const copy = (t: StagedTable) =>
    db.prepare(`INSERT INTO ${t.target} (${t.copied.join(', ')}) SELECT ${cols(t)} FROM ${VIEW_ORDER_TABLE} o CROSS JOIN ${STAGING_SCHEMA}.${t.name} s ON s.stream_id = o.id
      WHERE o.pos BETWEEN ? AND ? ORDER BY o.pos${t.order ? `, ${t.order.split(', ').map((c) => `s.${c}`).join(', ')}` : ''}`);
  const views = copy(VIEWS);
  const goaways = copy(GOAWAYS);
  const connections = copy(CONNECTIONS);
  const exchanges = copy(EXCHANGES);
  // A diagnostic names its exchange by id, which the copy just gave it: found by its stream and seq.
  const diagnostics = db.prepare(`INSERT INTO http_diagnostics (exchange_id, ${DIAGNOSTICS.copied.join(', ')})
    SELECT e.id, ${cols(DIAGNOSTICS)} FROM ${VIEW_ORDER_TABLE} o CROSS JOIN ${STAGING_SCHEMA}.${DIAGNOSTICS.name} s ON s.x_stream = o.id
      CROSS JOIN http_exchanges e ON e.stream_id = s.x_stream AND e.seq = s.x_seq
    WHERE o.pos BETWEEN ? AND ? ORDER BY o.pos, s.x_seq, s.ord`);
  return (from, to) => {
    views.run(from, to);
    goaways.run(from, to);
    connections.run(from, to);
    return { exchanges: exchanges.run(from, to).changes, diagnostics: diagnostics.run(from, to).changes };
  };
}
