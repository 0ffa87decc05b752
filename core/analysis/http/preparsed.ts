// HTTP views parsed while the capture was read (live-views.ts), waiting for the HTTP analysis that
// runs after ingest on the same connection. Keyed by that connection, so a pass over an index
// opened anew (or a view nobody parsed live) reads its chunks back from the index as before: this
// is only a shortcut, and it is bounded, past which views take the long way. Messages wait in
// their compact form (compact-message.ts) and are handed over as the parser made them.
//
// While a capture piped in is read, the live HTTP pass (live-pass.ts) takes the finished streams'
// parses early (takeLive, giving their room back) and reads the open streams' parses as they grow
// (openParses); a parse revoked after it was taken early is remembered (revoked), so the analysis
// after ingest reads that stream again.
//
// A network capture read from a file does not leave its finished streams here: their rows are
// written as each parse completes (staged-exchanges.ts) and only their ids are kept (staged), so
// the budget bounds only the messages of streams still open (and the few finished parses staging
// leaves to the analysis: staged-exchanges.ts says which). The ids of the exchanges staged are
// counted here too, so that the entries of one ingest (an archive's captures) go on from each other.

import type Database from 'better-sqlite3';
import type { HttpMessage } from '../../../parsers/http/message-parser';
import { inflateMessage, type KeptMessage } from './compact-message';
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
  /**
   * The kept request list the messages were inflated from: the live HTTP pass knows a parse it
   * wrote exchanges from by this (the ingester goes on appending to the same list).
   */
  origin?: readonly KeptMessage[];
}

/** A stream's parse as it waits. */
export interface KeptView {
  protocol: Protocol;
  requestDir: 'in' | 'out';
  requests: KeptMessage[];
  responses: KeptMessage[];
  http2?: Http2View;
  /** The room its messages (or its HTTP/2 parse) took in the budget, given back when it is taken early. */
  bytes?: number;
}

/**
 * An HTTP/1 stream's parse while the stream is still open: the messages handed out so far, in the
 * lists the ingester keeps appending to (they become the kept view's when the stream ends).
 */
export interface OpenParse {
  streamId: number;
  requestDir: 'in' | 'out';
  requests: readonly KeptMessage[];
  responses: readonly KeptMessage[];
  /**
   * Responses that can be trusted as parsed: the response parser asks for the method of the request
   * each response answers, and one asked before its request was handed out was parsed as if the
   * method were neither HEAD nor CONNECT. Responses from the first such one whose request is not
   * known yet (or turned out HEAD or CONNECT) on are not.
   */
  trustedResponses: number;
}

/** Who can say which streams are being parsed (core/formats/pcap/live-http.ts). */
export interface OpenParseSource {
  openParses(): Iterable<OpenParse>;
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
  /** Streams whose parse was taken early (takeLive) and then revoked: the analysis must read them again. */
  private readonly revokedEarly = new Set<number>();
  private source: OpenParseSource | null = null;
  /** Streams whose rows were staged during the read (a number each: a capture may hold hundreds of thousands). */
  private readonly stagedStreams = new Set<number>();
  /** Staged streams whose parse was revoked since: the analysis deletes their rows and reads them again. */
  private readonly revokedStagedStreams = new Set<number>();
  /** The id the next staged exchange takes; 0 while nothing was staged (the tables not yet emptied for it). */
  private nextExchangeId = 0;

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
    return inflateKept(view);
  }

  /**
   * A stream whose rows were staged as its parse completed (staged-exchanges.ts): nothing of it
   * waits here, and its rows are in the index unless it is revoked.
   */
  staged(streamId: number): void {
    this.stagedStreams.add(streamId);
  }

  /** Whether this ingest has begun staging rows (the HTTP tables were emptied for them: clearForStaging). */
  get staging(): boolean {
    return this.nextExchangeId > 0;
  }

  /** Staging begins: the HTTP tables were emptied, and exchange ids start at `firstId`. */
  beginStaging(firstId: number): void {
    this.nextExchangeId = firstId;
  }

  /** The id of the next exchange staged. */
  takeExchangeId(): number {
    if (this.nextExchangeId === 0) throw new Error('an exchange was staged before staging began (beginStaging)');
    return this.nextExchangeId++;
  }

  /** The staged streams whose parse was revoked after their rows were written. */
  revokedStaged(): ReadonlySet<number> {
    return this.revokedStagedStreams;
  }

  /** Whether a stream's rows were staged (and not revoked since). */
  isStaged(streamId: number): boolean {
    return this.stagedStreams.has(streamId);
  }

  get stagedCount(): number {
    return this.stagedStreams.size;
  }

  /**
   * Hands over a stream's parse while the capture is still read (the live HTTP pass), giving its
   * room back: a capture followed for hours keeps parsing as it goes instead of spending the budget.
   */
  takeLive(streamId: number): PreparsedView | undefined {
    const bytes = this.views.get(streamId)?.bytes ?? 0;
    const taken = this.take(streamId);
    if (taken) this.unreserve(bytes);
    return taken;
  }

  /**
   * A kept parse no longer says what the index holds (a chunk came after the connection finished):
   * forgotten if it waits (with its room, `bytes`), remembered as revoked if its rows were staged
   * (the analysis deletes them) or if it was taken early (only the live pass takes a parse before
   * the stream's reading is over).
   */
  revoke(streamId: number, bytes: number): void {
    if (this.views.delete(streamId)) this.unreserve(bytes);
    else if (this.stagedStreams.delete(streamId)) this.revokedStagedStreams.add(streamId);
    else this.revokedEarly.add(streamId);
  }

  /** Whether the parse of this stream taken early was revoked since. */
  revoked(streamId: number): boolean {
    return this.revokedEarly.has(streamId);
  }

  /** The streams whose finished parse waits. */
  keptStreams(): IterableIterator<number> {
    return this.views.keys();
  }

  /** Says who knows the streams still being parsed. */
  following(source: OpenParseSource): void {
    this.source = source;
  }

  /** The parses of the streams still open, as they are now. */
  openParses(): Iterable<OpenParse> {
    return this.source?.openParses() ?? [];
  }

  get size(): number {
    return this.views.size;
  }
}

/** A kept parse as the analysis takes it: its messages inflated. */
export function inflateKept(view: KeptView): PreparsedView {
  const taken: PreparsedView = { protocol: view.protocol, requestDir: view.requestDir, requests: view.requests.map(inflateMessage), responses: view.responses.map(inflateMessage), origin: view.requests };
  if (view.http2) taken.http2 = view.http2;
  return taken;
}

const byConnection = new WeakMap<Database.Database, PreparsedViews>();

/** Where an ingester on this connection leaves the views it parsed. */
export function preparsedViewsFor(db: Database.Database): PreparsedViews {
  let views = byConnection.get(db);
  if (!views) byConnection.set(db, (views = new PreparsedViews()));
  return views;
}

/** What the ingesters on this connection left so far, without handing it over (the live HTTP pass). */
export function peekPreparsedViews(db: Database.Database): PreparsedViews | null {
  return byConnection.get(db) ?? null;
}

/** What the ingesters on this connection left, handed to the analysis once. */
export function takePreparsedViews(db: Database.Database): PreparsedViews | null {
  const views = byConnection.get(db) ?? null;
  byConnection.delete(db);
  return views;
}
