// The HTTP exchanges of a capture piped in, written while it is read: the ingest runs this when its
// reading has caught up with the stream (core/ingest/live-analyses.ts), so the HTTP tab, its tiles
// and the findings drawn from the exchanges follow the stream instead of waiting for its end.
//
// It writes from the parse the pcap ingest makes as the streams go by (core/formats/pcap/live-http.ts),
// nothing is read back from the chunks but what the pass after ingest would read anyway, and each
// exchange is written once (live-ledger.ts):
// - a connection that finished (both FINs, or a reset) is written whole from its finished parse,
//   which is taken from the waiting parses (preparsed.ts) so the pass after ingest skips it;
// - an open HTTP/1 connection has the exchanges written that its parse has handed out both halves
//   of (request and final response, the response parsed knowing its request's method); the rest
//   follows in a later pass, or in the pass after ingest.
// Only connections finished when the ingest last handed its rows over are written whole (their chunks
// are in the index, should the parse need any); open streams whose rows the index does not hold yet
// wait for the next pass.

import type Database from 'better-sqlite3';
import { openHttpWriter, type HttpWriter } from './analyse-http';
import { inflateMessage } from './compact-message';
import type { Exchange } from './exchanges';
import { liveLedgerFor, type LiveLedger, type LiveWritten } from './live-ledger';
import { peekPreparsedViews, type OpenParse, type PreparsedViews } from './preparsed';
import { STREAM_VIEW_COLUMNS, toStreamView, type ParsedView, type StreamView } from './views';

export interface LivePassResult {
  /** Exchanges written by this pass. */
  exchanges: number;
}

/**
 * Writes what the streams parsed so far have settled, in one transaction: the `finished`
 * connections (whose rows and chunks the index holds whole) and the answered exchanges of the open ones.
 */
export function runLiveHttpPass(db: Database.Database, finished: readonly number[]): LivePassResult {
  const preparsed = peekPreparsedViews(db);
  if (!preparsed) return { exchanges: 0 };
  const ledger = liveLedgerFor(db, preparsed);
  const streamRow = db.prepare(`SELECT ${STREAM_VIEW_COLUMNS} FROM streams WHERE id = ?`).safeIntegers(true);
  const viewOf = (id: number): StreamView | null => {
    const row = streamRow.get(id) as Record<string, bigint | string | null> | undefined;
    return row ? toStreamView(row) : null;
  };
  // The ledger changes only once the rows are committed.
  const updates: [number, LiveWritten | 'whole'][] = [];
  let exchanges = 0;
  try {
    db.transaction(() => {
    const http = openHttpWriter(db, null);
    for (const id of finished) {
      const view = viewOf(id);
      if (view) exchanges += writeFinished(http, preparsed, ledger, view, updates);
    }
    for (const open of preparsed.openParses()) {
      const seen = ledger.get(open.streamId);
      if (seen && seen.requestsSeen === open.requests.length && seen.responsesSeen === open.trustedResponses) continue;
      const view = viewOf(open.streamId);
      if (view) exchanges += writeOpen(http, ledger, view, open, updates);
    }
    })();
  } catch (err) {
    ledger.broken = true;
    throw err;
  }
  for (const [id, written] of updates) ledger.set(id, written);
  return { exchanges };
}

/** A finished connection: all of it, past what an earlier pass wrote while it was open. */
function writeFinished(http: HttpWriter, preparsed: PreparsedViews, ledger: LiveLedger, view: StreamView, updates: [number, LiveWritten | 'whole'][]): number {
  const kept = preparsed.takeLive(view.id);
  // Revoked since the hand-over: the pass after ingest reads it.
  if (!kept) return 0;
  const parsed = [http.parse(view, kept)];
  const written = http.writeGroup([view], { parsed, written: (ps, xs) => (ledger.get(view.id) ? ledger.stillWritten([view], ps, xs) : 0) });
  updates.push([view.id, 'whole']);
  return written;
}

/** An open HTTP/1 connection: the exchanges whose request and final response are both handed out. */
function writeOpen(http: HttpWriter, ledger: LiveLedger, view: StreamView, open: OpenParse, updates: [number, LiveWritten | 'whole'][]): number {
  const parsed: ParsedView[] = [
    {
      view,
      protocol: 'http1',
      requestDir: open.requestDir,
      requests: open.requests.map(inflateMessage),
      responses: open.responses.slice(0, open.trustedResponses).map(inflateMessage),
      origin: open.requests,
    },
  ];
  const before = ledger.get(view.id);
  let settled: Exchange[] = [];
  const written = http.writeGroup([view], {
    parsed,
    written: (ps, xs) => (before ? ledger.stillWritten([view], ps, xs) : 0),
    upTo: (_ps, xs) => {
      settled = xs.slice(0, answered(xs));
      return settled.length;
    },
  });
  updates.push([
    view.id,
    {
      count: settled.length,
      origin: open.requests,
      requestDir: open.requestDir,
      interims: settled.reduce((n, e) => n + e.interim.length, 0),
      requestsSeen: open.requests.length,
      responsesSeen: open.trustedResponses,
    },
  ]);
  return written;
}

/**
 * How many leading exchanges are settled: each a request with its final response, from the first
 * request on (responses before any request, a capture begun mid-conversation, wait for the end,
 * where the pairing sets them apart).
 */
function answered(exchanges: readonly Exchange[]): number {
  let n = 0;
  while (n < exchanges.length && exchanges[n]!.request?.message.index === n && exchanges[n]!.response !== null) n++;
  return n;
}
