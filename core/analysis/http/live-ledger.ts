// What the live HTTP pass (live-pass.ts) wrote while a capture piped in was read, so that the pass
// after ingest (analyse-http.ts) writes each exchange once: a stream written whole is left as it
// is; a stream written in part while it was open (its first exchanges) is written on from there,
// when its final parse is the one those exchanges came from and pairs them the same way; anything
// else (a parse revoked or given up since, a view that turned out to share its connection with
// another) has its rows taken out and is written again from its final parse.

import type Database from 'better-sqlite3';
import type { KeptMessage } from './compact-message';
import type { Exchange } from './exchanges';
import type { PreparsedViews } from './preparsed';
import type { ParsedView, StreamView } from './views';

/** What the live pass wrote of one stream still open. */
export interface LiveWritten {
  /** Exchanges written, seq 0 to count - 1. */
  count: number;
  /** The kept request list of the parse they came from (the ingester appends to it as the stream goes on). */
  origin: readonly KeptMessage[];
  requestDir: 'in' | 'out';
  /** 1xx responses carried by the exchanges written. */
  interims: number;
  /** The open parse's message counts when last written: nothing new, nothing to do. */
  requestsSeen: number;
  responsesSeen: number;
}

export class LiveLedger {
  /** Streams written in part while they were open. */
  private readonly streams = new Map<number, LiveWritten>();
  /** Streams written whole (a number each: a stream followed for hours has many short connections). */
  private readonly whole = new Set<number>();
  /**
   * A live pass failed: what this ledger says may not be what the index holds, so the pass after
   * ingest starts over (as it does without a live pass).
   */
  broken = false;
  private readonly deleteDiagnostics: Database.Statement;
  private readonly deleteExchanges: Database.Statement;
  private readonly deleteRows: Database.Statement[];

  constructor(
    db: Database.Database,
    private readonly preparsed: PreparsedViews,
  ) {
    this.deleteDiagnostics = db.prepare('DELETE FROM http_diagnostics WHERE exchange_id IN (SELECT id FROM http_exchanges WHERE stream_id = ? OR response_stream_id = ?)');
    this.deleteExchanges = db.prepare('DELETE FROM http_exchanges WHERE stream_id = ? OR response_stream_id = ?');
    this.deleteRows = ['stream_protocols', 'http2_goaways', 'http2_connections'].map((table) => db.prepare(`DELETE FROM ${table} WHERE stream_id = ?`));
  }

  /** What was written of a stream while it was open. */
  get(streamId: number): LiveWritten | undefined {
    return this.streams.get(streamId);
  }

  /** Records what was written of a stream: all of it (`whole`), or its first exchanges while it is open. */
  set(streamId: number, written: LiveWritten | 'whole'): void {
    if (written === 'whole') {
      this.streams.delete(streamId);
      this.whole.add(streamId);
    } else this.streams.set(streamId, written);
  }

  /** Whether the group is one view the live pass wrote whole, and its parse still holds. */
  wroteWhole(group: readonly StreamView[]): boolean {
    return group.length === 1 && this.whole.has(group[0]!.id) && !this.preparsed.revoked(group[0]!.id);
  }

  wroteAny(group: readonly StreamView[]): boolean {
    return group.some((v) => this.streams.has(v.id) || this.whole.has(v.id));
  }

  /**
   * How many of the group's first exchanges, as its final parse pairs them, are the rows already
   * written; when they are not all the same, the group's live rows are taken out and 0 is the answer.
   */
  stillWritten(group: readonly StreamView[], parsed: readonly ParsedView[], exchanges: readonly Exchange[]): number {
    const entry = group.length === 1 ? this.streams.get(group[0]!.id) : undefined;
    const p = parsed[0];
    const same =
      entry !== undefined &&
      p !== undefined &&
      p.origin === entry.origin &&
      p.protocol === 'http1' &&
      p.upgrade === undefined &&
      p.requestDir === entry.requestDir &&
      exchanges.length >= entry.count &&
      exchanges.slice(0, entry.count).every((e, i) => e.request?.message.index === i && e.response !== null) &&
      exchanges.slice(0, entry.count).reduce((n, e) => n + e.interim.length, 0) === entry.interims;
    if (same) return entry.count;
    for (const v of group) if (this.streams.has(v.id) || this.whole.has(v.id)) this.forget(v.id);
    return 0;
  }

  /** Takes out everything written of a stream. */
  forget(streamId: number): void {
    this.deleteDiagnostics.run(streamId, streamId);
    this.deleteExchanges.run(streamId, streamId);
    for (const statement of this.deleteRows) statement.run(streamId);
    this.streams.delete(streamId);
    this.whole.delete(streamId);
  }
}

const byConnection = new WeakMap<Database.Database, LiveLedger>();

/** The ledger of the live pass on this connection, made on first use. */
export function liveLedgerFor(db: Database.Database, preparsed: PreparsedViews): LiveLedger {
  let ledger = byConnection.get(db);
  if (!ledger) byConnection.set(db, (ledger = new LiveLedger(db, preparsed)));
  return ledger;
}

/** What the live pass wrote on this connection (null when a pass failed), handed to the pass after ingest once. */
export function takeLiveLedger(db: Database.Database): LiveLedger | null {
  const ledger = byConnection.get(db) ?? null;
  byConnection.delete(db);
  return ledger?.broken ? null : ledger;
}
