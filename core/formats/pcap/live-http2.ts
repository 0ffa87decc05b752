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

import { Http2DirectionParser, type DirectionResult } from '../../../parsers/http2/direction';
import { http2Start, http2ViewOf, type Http2View } from '../../analysis/http/http2-views';
import type { PreparsedViews } from '../../analysis/http/preparsed';
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

  constructor(private readonly budget: PreparsedViews) {}

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
    const view = http2ViewOf(out, inn, this.first[OUT]?.preface ?? false, this.first[IN]?.preface ?? false, role);
    // What waits for the analysis is the conversation, not the parsers: charged as that.
    const kept = view.conversation.exchanges.length * EXCHANGE_BYTES + out.keptOctets + inn.keptOctets;
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
      const parser = new Http2DirectionParser({ preface: this.first[dir]?.preface ?? false, fromStart: this.fromStart });
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
    const kept = keptBytes(out) + keptBytes(inn);
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
