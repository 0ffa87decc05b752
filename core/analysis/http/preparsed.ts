// HTTP views parsed while the capture was read (live-views.ts), waiting for the HTTP analysis that
// runs after ingest on the same connection. Keyed by that connection, so a pass over an index
// opened anew (or a view nobody parsed live) reads its chunks back from the index as before: this
// is only a shortcut, and it is bounded, past which views take the long way. Messages wait in
// their compact form (compact-message.ts) and are handed over as the parser made them.

import type Database from 'better-sqlite3';
import type { HttpMessage } from '../../../parsers/http/message-parser';
import { inflateMessage, type CompactMessage } from './compact-message';
import type { Http2View } from './http2-views';
import type { Protocol } from './views';

/** A stream's parse as the analysis takes it. */
export interface PreparsedView {
  protocol: Protocol;
  requestDir: 'in' | 'out';
  requests: HttpMessage[];
  responses: HttpMessage[];
  /** An HTTP/2 stream's conversation, when it was parsed as it was read (core/formats/pcap/live-http2.ts). */
  http2?: Http2View;
}

/** A stream's parse as it waits. */
export interface KeptView {
  protocol: Protocol;
  requestDir: 'in' | 'out';
  requests: CompactMessage[];
  responses: CompactMessage[];
  http2?: Http2View;
}

/**
 * Rough memory the kept views (and the messages and HTTP/2 parses of streams still being read) may
 * take: about 100,000 HTTP/1 exchanges in their compact form (compact-message.ts), or 70,000 HTTP/2
 * exchanges (core/formats/pcap/live-http2.ts); streams past it are parsed from the index after
 * ingest, as without the live parse.
 */
export const PREPARSED_BUDGET_BYTES = 96 * 1024 * 1024;

export class PreparsedViews {
  private readonly views = new Map<number, KeptView>();
  private bytes = 0;

  /** Sets aside room for a message about to be kept; false when the budget is spent. */
  reserve(bytes: number): boolean {
    if (this.bytes + bytes > PREPARSED_BUDGET_BYTES) return false;
    this.bytes += bytes;
    return true;
  }

  /** Gives back room set aside for messages that will not be kept after all. */
  unreserve(bytes: number): void {
    this.bytes -= bytes;
  }

  /** Keeps a stream's parse, whose messages' room was reserved. */
  keep(streamId: number, view: KeptView): void {
    this.views.set(streamId, view);
  }

  /** Hands over a stream's parse, forgetting it. */
  take(streamId: number): PreparsedView | undefined {
    const view = this.views.get(streamId);
    if (!view) return undefined;
    this.views.delete(streamId);
    const taken: PreparsedView = { protocol: view.protocol, requestDir: view.requestDir, requests: view.requests.map(inflateMessage), responses: view.responses.map(inflateMessage) };
    if (view.http2) taken.http2 = view.http2;
    return taken;
  }

  get size(): number {
    return this.views.size;
  }
}

const byConnection = new WeakMap<Database.Database, PreparsedViews>();

/** Where an ingester on this connection leaves the views it parsed. */
export function preparsedViewsFor(db: Database.Database): PreparsedViews {
  let views = byConnection.get(db);
  if (!views) byConnection.set(db, (views = new PreparsedViews()));
  return views;
}

/** What the ingesters on this connection left, handed to the analysis once. */
export function takePreparsedViews(db: Database.Database): PreparsedViews | null {
  const views = byConnection.get(db) ?? null;
  byConnection.delete(db);
  return views;
}
