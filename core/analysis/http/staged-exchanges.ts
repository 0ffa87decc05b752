// The HTTP rows of a network capture's connections, written while the capture is read: as each
// connection's live parse completes (core/formats/pcap/live-http.ts), its exchanges, their
// diagnostics, its protocol and its HTTP/2 connection and GOAWAYs are made here, the same rows the
// analysis after ingest makes (emitGroup, group-rows.ts), and go with the pcap ingest's row batches
// to the writer thread, straight into the index's HTTP tables. The parsed messages then no longer
// wait in memory for the end of the capture (preparsed.ts), the inserts are off the ingest's
// thread, and the analysis after ingest writes only the connections that were not staged.
//
// Exchange ids are given here, in the order the connections' parses complete (a diagnostic names
// its exchange by id, and the writer thread is told both). Every query of the exchanges orders them
// by time, by connection (stream_id, seq) or by id as a tie-break only, so the ids need no other
// order; the analysis after ingest gives the exchanges it writes itself the ids after these.
//
// Staged: a connection the analysis would take whole from the live parse (one whose parse says
// HTTP/1 without an h2c upgrade, HTTP/2, or TLS). Left to the analysis: any other protocol, a parse revoked after it was
// staged (a chunk after the FINs: its rows are deleted, revokedStaged in preparsed.ts), and a
// connection that shares its group with another view (view-groups.ts: the analysis deletes its
// rows and parses each view of the group itself).

import type Database from 'better-sqlite3';
import type { TableSpec } from '../../index/row-batch';
import { CONNECTION_COLUMNS, DIAGNOSTIC_COLUMNS, emitGroup, EXCHANGE_COLUMNS, GOAWAY_COLUMNS } from './group-rows';
import { findH2cUpgrade } from './h2c-upgrade';
import { inflateKept, type KeptView, type PreparsedViews } from './preparsed';
import type { ParsedView, StreamView } from './views';

/** Column kinds of the staged rows (core/index/row-batch.ts), by column. */
const KIND: Record<string, string> = {
  id: 'n', exchange_id: 'n',
  // client is text ('t'), not a string-table entry: a capture of short connections has one per exchange.
  stream_id: 'n', response_stream_id: 'n', views: 'n', seq: 'n', client: 't', server: 's', container_id: 's', proc: 's', pid: 'n', method: 's', target: 't',
  host: 's', version: 's', status: 'n', reason: 's', req_ts: 'b', resp_ts: 'b', resp_end_ts: 'b', req_start: 'n', req_end: 'n', resp_start: 'n', resp_end: 'n',
  req_bytes: 'n', resp_bytes: 'n', req_complete: 'n', resp_complete: 'n', truncated: 'n', req_headers: 't', resp_headers: 't', http2_stream: 'n',
  http2_error: 's', http2_error_by: 's', http2_error_frame: 's', undecodable: 'n', grpc_service: 's', grpc_method: 's', grpc_status: 'n',
  grpc_status_name: 's', grpc_status_from: 's', grpc_message: 't', grpc_req_messages: 'n', grpc_resp_messages: 'n', grpc_timeout_ns: 'n',
  grpc_deadline_exceeded: 'n', grpc_messages: 't',
  // diagnostics
  side: 's', dir: 's', code: 's', severity: 's', offset: 'n', line: 't', message: 't',
  // goaways
  sender: 's', ts: 'b', last_stream: 'n', error: 's', debug: 't',
  // connections
  request_dir: 's', streams: 'n', client_settings: 't', server_settings: 't', client_settings_frames: 'n', server_settings_frames: 'n',
  client_window_updates: 'n', server_window_updates: 'n', client_window_granted: 'n', server_window_granted: 'n', client_pings: 'n', server_pings: 'n',
  client_frames: 'n', server_frames: 'n',
  // protocols
  protocol: 's',
};

/** The tables staged rows go into, in the order of stagedTableSpecs(), and their columns in the order rows are encoded. */
const STAGED = [
  { table: 'stream_protocols', columns: ['stream_id', 'protocol'] },
  { table: 'http_exchanges', columns: ['id', ...EXCHANGE_COLUMNS] },
  { table: 'http_diagnostics', columns: ['exchange_id', ...DIAGNOSTIC_COLUMNS] },
  { table: 'http2_goaways', columns: GOAWAY_COLUMNS },
  { table: 'http2_connections', columns: CONNECTION_COLUMNS },
] as const;
const T_PROTOCOLS = 0;
const T_EXCHANGES = 1;
const T_DIAGNOSTICS = 2;
const T_GOAWAYS = 3;
const T_CONNECTIONS = 4;

function kindsOf(columns: readonly string[]): string {
  return columns.map((c) => KIND[c]!).join('');
}

/** The row-batch statements of the staged rows, to follow a format's own specs. */
export function stagedTableSpecs(): TableSpec[] {
  return STAGED.map((t) => ({ kinds: kindsOf(t.columns), head: `INSERT OR FAIL INTO ${t.table} (${t.columns.join(', ')}) VALUES `, row: `(${t.columns.map(() => '?').join(', ')})` }));
}

/**
 * Empties the HTTP tables before the first rows of an ingest are staged (what the analysis after
 * ingest does before it writes): rows of an earlier analysis, of this capture or of another
 * source of the case, are made again by the analysis from the index, which holds their streams.
 */
export function clearForStaging(db: Database.Database): void {
  db.exec('DELETE FROM http_diagnostics; DELETE FROM findings; DELETE FROM http_exchanges; DELETE FROM http2_goaways; DELETE FROM http2_connections; DELETE FROM stream_protocols;');
}

/** Where staged rows go: a format's row batches (core/formats/pcap/batch-writer.ts). */
export interface StagedRowOut {
  /**
   * One row of staged table `table` (0 to 4: the order of stagedTableSpecs()), its values of
   * `kinds`; with `lead`, that is the first column's value and `values` the rest (no copy made to
   * put an exchange's id before its values).
   */
  staged(table: number, kinds: string, values: readonly unknown[], lead?: number): void;
}

/** Makes the rows of the connections whose parse completed during the read, and gives their exchanges ids. */
export class HttpStager {
  private readonly kinds = STAGED.map((t) => kindsOf(t.columns));

  /** `views`: where the staged streams are noted, and the next exchange id kept across the entries of one ingest. */
  constructor(
    private readonly out: StagedRowOut,
    private readonly views: PreparsedViews,
  ) {}

  /** Stages a finished connection's rows from its parse; false (nothing staged) when the analysis must see it itself. */
  stage(view: StreamView, kept: KeptView): boolean {
    let parsed: ParsedView;
    if (kept.protocol === 'tls') parsed = { view, protocol: 'tls', requestDir: kept.requestDir, requests: [], responses: [] };
    // An HTTP/2 connection's rows are made at its end, which for a long one is about the capture's:
    // staged, they are still written on the writer's thread while this one makes them.
    else if (kept.protocol === 'http2' && kept.http2) parsed = { view, ...inflateKept(kept), protocol: 'http2' };
    else if (kept.protocol === 'http1') {
      parsed = { view, ...inflateKept(kept) };
      // An h2c upgrade is read from the index after its 101.
      if (findH2cUpgrade(parsed)) return false;
    } else return false;
    const out = this.out;
    const k = this.kinds;
    const views = this.views;
    let exchangeId = 0;
    emitGroup([view], [parsed], {}, {
      protocol: (streamId, protocol) => out.staged(T_PROTOCOLS, k[T_PROTOCOLS]!, [streamId, protocol]),
      goaway: (values) => out.staged(T_GOAWAYS, k[T_GOAWAYS]!, values),
      connection: (values) => out.staged(T_CONNECTIONS, k[T_CONNECTIONS]!, values),
      exchange: (values) => {
        exchangeId = views.takeExchangeId();
        out.staged(T_EXCHANGES, k[T_EXCHANGES]!, values, exchangeId);
      },
      diagnostic: (values) => out.staged(T_DIAGNOSTICS, k[T_DIAGNOSTICS]!, values, exchangeId),
    });
    return true;
  }
}

/** Deletes the HTTP rows of one staged view (its parse was revoked, or it turned out to share its group). */
export function openStagedDelete(db: Database.Database): (streamId: number) => void {
  const statements = [
    'DELETE FROM http_diagnostics WHERE exchange_id IN (SELECT id FROM http_exchanges WHERE stream_id = ?)',
    'DELETE FROM http_exchanges WHERE stream_id = ?',
    'DELETE FROM http2_goaways WHERE stream_id = ?',
    'DELETE FROM http2_connections WHERE stream_id = ?',
    'DELETE FROM stream_protocols WHERE stream_id = ?',
  ].map((sql) => db.prepare(sql));
  return (streamId) => {
    for (const s of statements) s.run(streamId);
  };
}
