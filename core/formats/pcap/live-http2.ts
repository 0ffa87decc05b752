// One TCP stream's HTTP/2 parse done while the capture is read (live-http.ts decides when a stream
// is HTTP/2 and hands its chunks here), so the HTTP analysis after ingest need not read the stream
// back from the index. It must give exactly what Http2ViewReader.read gives from the index
// (core/analysis/http/http2-views.ts), and both end in the same http2ViewOf:
//
// - Each direction is one Http2DirectionParser with its own HPACK table, fed its chunks in order as
//   they are reassembled. The two directions are independent, so reading them interleaved gives what
//   reading one after the other does.
// - A direction's parser expects the preface when that direction's first captured chunk begins with
//   it, and both parsers know the HPACK tables from the start when either direction's first captured
//   chunk is a preface at offset 0. Until that is known (a server's SETTINGS may come before the
//   client's preface), a direction's chunks wait, copied, within a bound.
// - The parsers copy what they keep (frame headers, non-DATA payloads): a chunk fed to them is not
//   held. DATA the parser only counts is fed as it is, which it reads no more than the zeroes the
//   index path feeds in its place.
// - What the parse keeps grows with the connection's streams; it is charged to the shared budget of
//   preparsed views (preparsed.ts) as it grows, and a connection past its own bound or the budget is
//   given up: the analysis then reads it from the index, as without this parse.
// - Where its rows are staged (a capture read from a file), a stream's exchange and its rows are
//   made as soon as both sides of it have ended (END_STREAM or RST_STREAM), so that a long
//   connection's rows are not all made at its end (the capture's, often), and later its header
//   blocks are let go, so that its parsed streams do not wait in memory for that end. The exchange
//   is what the connection's end would make of the stream: it reads only the stream's two sides (a
//   GOAWAY refuses only a stream whose response did not end), unless a frame comes on the stream
//   after (a WINDOW_UPDATE moves its end), or the connection has faults of its own (placed among
//   its exchanges). The end checks both: a stream whose blocks are still held is then made there
//   again, and one let go gives the whole parse up (the analysis reads it from the index). So the
//   blocks are let go only after PROBATION_STREAMS later streams ended with no frame on it since,
//   and never on a connection where a frame came after a stream's end (a gRPC client's
//   WINDOW_UPDATEs): those keep their blocks, and make no more streams early.

import { exchangeOf } from '../../../parsers/http2/conversation';
import { Http2DirectionParser, type DirectionResult, type StreamSide } from '../../../parsers/http2/direction';
import { http2Start, http2ViewOf, type EarlyExchange, type Http2View } from '../../analysis/http/http2-views';
import type { PreparsedViews } from '../../analysis/http/preparsed';
import { earlyExchange } from '../../analysis/http/staged-exchanges';
import { IN, OUT, type Dir } from './parser/flow-stream';
import { ownCopy } from './parser/own-copy';

/** Bytes a direction's chunks may wait, copied, for the parsers to be made. */
const MAX_WAITING_BYTES = 256 * 1024;
/** Rough heap bytes of a waiting chunk's record besides its data. */
const WAITING_RECORD_BYTES = 64;
/** Rough heap bytes of one stream side the parse keeps, beyond its header fields (DirectionResult.keptOctets). */
const STREAM_SIDE_BYTES = 600;
/**
 * Rough heap bytes of one exchange of a finished conversation, beyond its header fields: measured
 * about 1.4 KB an exchange with h2load's six-field responses, of which 0.6 KB are fields.
 */
const EXCHANGE_BYTES = 800;
/** What one connection's parse may keep before it is given up (the index path reads it then). */
const MAX_CONNECTION_BYTES = 24 * 1024 * 1024;
/** How often (in chunks) the kept bytes are charged to the budget. */
const CHARGE_EVERY_CHUNKS = 32;

/** Rough heap bytes of an early exchange's rows besides their strings' characters. */
const EARLY_ROW_BYTES = 600;
/** Streams made early that end after one before its header blocks are let go (if nothing came on it since). */
const PROBATION_STREAMS = 64;

/** A stream whose exchange was made as it completed, and what its two sides were then. */
interface Early {
  rows: EarlyExchange;
  client: StreamSide;
  server: StreamSide;
  clientBytes: number;
  serverBytes: number;
  clientDiagnostics: number;
  serverDiagnostics: number;
  /** Its sides' header blocks were let go: it cannot be made again at the end. */
  letGo: boolean;
}

interface Waiting {
  offset: number;
  length: number;
  data: Uint8Array;
  ts: bigint;
}

/** What a direction's first captured chunk said. */
interface FirstChunk {
  offset: number;
  preface: boolean;
}

export class LiveHttp2Parse {
  private readonly first: [FirstChunk | null, FirstChunk | null] = [null, null];
  /** Known once either direction's first captured chunk is a preface at offset 0, or both have one. */
  private fromStart: boolean | null = null;
  private readonly parsers: [Http2DirectionParser | null, Http2DirectionParser | null] = [null, null];
  private readonly waiting: [Waiting[], Waiting[]] = [[], []];
  private waitingBytes = 0;
  /** Bytes charged to the budget so far. */
  private charged = 0;
  private sinceCharge = 0;
  /** Given up: the analysis reads this stream from the index. */
  abandoned = false;
  /** Streams whose exchange was made as they completed, by id; null where the rows are not staged. */
  private readonly early: Map<number, Early> | null;
  /** Early streams whose blocks are still held, oldest first. */
  private probation: Early[] = [];
  /** A frame came on a stream after its exchange was made: no more are made early, none let go. */
  private touchy = false;
  /** Streams a side ended since the last look (ids, maybe twice). */
  private ended: number[] = [];
  /** Rough heap bytes the early exchanges take, and the header fields they let go (as keptOctets counted them). */
  private earlyBytes = 0;
  private letGoOctets = 0;

  constructor(private readonly budget: PreparsedViews) {
    // A capture piped in leaves its parse to the live pass, which reads the whole conversation.
    this.early = budget.staging ? new Map() : null;
  }

  /** The next chunk of direction `dir`. `data` is the reader's: it is copied only if it must wait. */
  chunk(dir: Dir, offset: number, length: number, data: Uint8Array, ts: bigint): void {
    if (this.abandoned) return;
    if (data.length > 0 && this.first[dir] === null) {
      this.first[dir] = { offset, preface: http2Start(data.subarray(0, 64)) === 'preface' };
      this.settleStart(false);
    }
    const parser = this.parsers[dir];
    if (parser === null) {
      // Charged to the budget while it waits, with room for the record itself.
      const bytes = data.length + WAITING_RECORD_BYTES;
      if (this.waitingBytes + bytes > MAX_WAITING_BYTES || !this.budget.reserve(bytes)) {
        this.abandon();
        return;
      }
      this.waiting[dir].push({ offset, length, data: ownCopy(data), ts });
      this.waitingBytes += bytes;
      return;
    }
    parser.push({ offset, length, data, ts });
    if (this.ended.length > 0) this.makeEarly();
    if (++this.sinceCharge >= CHARGE_EVERY_CHUNKS) this.charge();
  }

  /**
   * The stream is over: both directions end, and the conversation is made as the index path makes
   * it. Null when the parse was given up (its charge is returned then).
   */
  end(role: string | null): { view: Http2View; bytes: number } | null {
    if (this.abandoned) return null;
    this.settleStart(true);
    const out = this.parsers[OUT]!.end();
    const inn = this.parsers[IN]!.end();
    if (!this.charge(out, inn)) return null;
    const early = this.early ?? new Map<number, Early>();
    const outPreface = this.first[OUT]?.preface ?? false;
    const inPreface = this.first[IN]?.preface ?? false;
    if (early.size > 0) {
      // An early exchange is the conversation's only if nothing came on its stream since (its
      // client side the one it was made from), and no fault of the connection's own is to be
      // placed among the exchanges. One that is not is made again below, if its blocks are held.
      const client = outPreface ? out : inn;
      const faults = client.diagnostics.length > 0 || (outPreface ? inn : out).diagnostics.length > 0 || client.longFrames.length > 0 || (outPreface ? inn : out).longFrames.length > 0;
      for (const [id, e] of early) {
        if (!faults && untouched(e) && client.streams.get(id) === e.client) continue;
        if (e.letGo) {
          this.abandon();
          return null;
        }
        early.delete(id);
      }
    }
    const view = http2ViewOf(out, inn, outPreface, inPreface, role, early);
    if (early.size > 0) view.early = [...early.values()].map((e) => e.rows).sort((a, b) => a.streamId - b.streamId);
    // What waits for the analysis is the conversation, not the parsers: charged as that.
    const kept = view.conversation.exchanges.length * EXCHANGE_BYTES + out.keptOctets + inn.keptOctets - this.letGoOctets + this.earlyBytes;
    this.budget.unreserve(this.charged - kept);
    this.charged = kept;
    this.parsers[OUT] = this.parsers[IN] = null;
    return { view, bytes: kept };
  }

  /** Gives up, returning what was charged and dropping what was held. */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    this.budget.unreserve(this.charged + this.waitingBytes);
    this.charged = 0;
    this.parsers[OUT] = this.parsers[IN] = null;
    this.waiting[OUT] = [];
    this.waiting[IN] = [];
    this.waitingBytes = 0;
    this.early?.clear();
    this.probation = [];
    this.ended = [];
  }

  /**
   * Makes the exchanges of the streams both sides have ended, once which side is the client's is
   * known (only one side began with the preface: http2ViewOf decides so then, whatever follows).
   */
  private makeEarly(): void {
    const ended = this.ended;
    this.ended = [];
    const [o, i] = this.first;
    if (this.early === null || this.touchy || o === null || i === null || o.preface === i.preface) return;
    const clientDir = o.preface ? OUT : IN;
    const client = this.parsers[clientDir];
    const server = this.parsers[(1 - clientDir) as Dir];
    if (!client || !server) return;
    for (const id of ended) {
      // Client-opened streams only (a server's pushed streams are no exchanges), each once.
      if (id % 2 === 0 || this.early.has(id)) continue;
      const c = client.result.streams.get(id);
      const s = server.result.streams.get(id);
      if (!c || !s || !(c.endStream || c.reset) || !(s.endStream || s.reset)) continue;
      // A gRPC stream whose last message is cut short is diagnosed at the direction's end: left to it.
      if ((c.grpc !== null && c.grpc.missing > 0) || (s.grpc !== null && s.grpc.missing > 0)) continue;
      const rows = earlyExchange(exchangeOf(id, c, s, server.result.goaways), clientDir === OUT ? 'out' : 'in');
      const e: Early = { rows, client: c, server: s, clientBytes: c.bytes, serverBytes: s.bytes, clientDiagnostics: c.diagnostics.length, serverDiagnostics: s.diagnostics.length, letGo: false };
      this.early.set(id, e);
      this.probation.push(e);
      this.earlyBytes += EARLY_ROW_BYTES + rowChars(rows);
    }
    // The streams that ended PROBATION_STREAMS early streams ago with nothing on them since.
    let n = 0;
    while (this.probation.length - n > PROBATION_STREAMS) {
      const e = this.probation[n++]!;
      if (!untouched(e)) {
        this.touchy = true;
        break;
      }
      this.letGoOctets += fieldOctets(e.client) + fieldOctets(e.server);
      // Its own empty list each: a frame after (which the end then finds) may still add to it.
      e.client.blocks = [];
      e.server.blocks = [];
      e.letGo = true;
    }
    if (this.touchy) this.probation = [];
    else if (n > 0) this.probation.splice(0, n);
  }

  /** Makes the parsers once `fromStart` is known (at the end, whatever is known is all there is). */
  private settleStart(atEnd: boolean): void {
    if (this.fromStart === null) {
      const [o, i] = this.first;
      const prefaceAtZero = (f: FirstChunk | null) => f !== null && f.preface && f.offset === 0;
      if (prefaceAtZero(o) || prefaceAtZero(i)) this.fromStart = true;
      else if ((o !== null && i !== null) || atEnd) this.fromStart = false;
      else return;
    }
    for (const dir of [OUT, IN] as const) {
      // A direction with no captured bytes yet waits for its first to say whether it holds the preface.
      if (this.parsers[dir] !== null || (this.first[dir] === null && !atEnd)) continue;
      const streamEnded = this.early === null ? undefined : (side: StreamSide) => this.ended.push(side.id);
      const parser = new Http2DirectionParser({ preface: this.first[dir]?.preface ?? false, fromStart: this.fromStart, streamEnded });
      this.parsers[dir] = parser;
      for (const w of this.waiting[dir]) parser.push(w);
      const released = this.waiting[dir].reduce((n, w) => n + w.data.length + WAITING_RECORD_BYTES, 0);
      this.waitingBytes -= released;
      this.budget.unreserve(released);
      this.waiting[dir] = [];
    }
  }

  /** Charges what the parse keeps now to the budget; false (and given up) past the bounds. */
  private charge(out = this.parsers[OUT]?.result, inn = this.parsers[IN]?.result): boolean {
    this.sinceCharge = 0;
    const kept = keptBytes(out) + keptBytes(inn) - this.letGoOctets + this.earlyBytes;
    if (kept > this.charged) {
      if (kept > MAX_CONNECTION_BYTES || !this.budget.reserve(kept - this.charged)) {
        this.abandon();
        return false;
      }
      this.charged = kept;
    }
    return true;
  }
}

function keptBytes(r: DirectionResult | undefined): number {
  return r === undefined ? 0 : r.streams.size * STREAM_SIDE_BYTES + r.keptOctets;
}

/** Whether no frame came on an early stream since its exchange was made (each frame adds to its side's bytes). */
function untouched(e: Early): boolean {
  return e.client.bytes === e.clientBytes && e.server.bytes === e.serverBytes && e.client.diagnostics.length === e.clientDiagnostics && e.server.diagnostics.length === e.serverDiagnostics;
}

/** The octets keptOctets counted for a side's header fields (direction.ts: the blocks it kept). */
function fieldOctets(side: StreamSide): number {
  let n = 0;
  for (const b of side.blocks) for (const f of b.fields) n += f.name.length + f.value.length + 32;
  return n;
}

/** The characters of an early exchange's text values (its header JSON, mostly). */
function rowChars(rows: EarlyExchange): number {
  let n = 0;
  for (const v of rows.values) if (typeof v === 'string') n += v.length;
  return n;
}
