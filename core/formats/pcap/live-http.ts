// The HTTP parse of network streams done while the capture is read, so the analysis after ingest
// need not read every chunk back from the index (docs/benchmarks.md). It must give exactly what
// ViewParser.parse gives from the index; where it cannot be sure of that, it gives nothing and the
// analysis parses that stream from the index as before:
//
// - Which direction carries requests is decided, as from the index, on the first SNIFF_CHUNKS
//   chunks of each direction. Parsing starts as soon as those seen so far point one way (chunks
//   before that wait, copied, within a bound); at the end the decision is taken again on all of
//   them, and a parse that started the other way is dropped.
// - The response parser asks for the method of the request each final response answers (HEAD and
//   CONNECT responses have no body). From the index every request is parsed first; here the
//   request may not be handed out yet (the parser holds a complete message until the next one
//   starts). It is then answered "unknown" and checked at the end: if that request was a HEAD or a
//   CONNECT, the parse is dropped.
// - Bytes the parser says it will not look at (inside a body being counted) are not copied; it
//   gets zeroes of the same length, as from the index. Bytes it looks at are lent to it for the
//   push and copied only if it still holds them after (an unfinished message), so it never holds
//   on to the reader's buffers; a direction that is handed more than a bound without finishing a
//   message is given up.
// - A stream the guesses call HTTP/2 is parsed as such (live-http2.ts), from the chunks that waited
//   for the decision on; at the end the decision is taken again, and the parse kept only if it
//   still says HTTP/2. HTTP/2 seen only mid-connection (frames with no preface) is left to the
//   analysis.
// - A finished stream's parse is staged when the ingest gives a `stage` (a capture read from a
//   file): its HTTP rows are made at once and written with the row batches
//   (core/analysis/http/staged-exchanges.ts), and only its id stays; otherwise (a capture piped
//   in, or a parse the analysis must see itself) it waits in `results` as before.

import { HttpDirectionParser, type HttpMessage } from '../../../parsers/http/message-parser';
import { guessProtocol, type ProtocolGuess } from '../../../parsers/http/syntax';
import { IN, OUT, type ChunkRecord, type Dir, type FlowStream } from './parser/flow-stream';
import { toNs } from './parser/timestamp';
import { type KeptView, type OpenParse, type OpenParseSource, type PreparsedViews } from '../../analysis/http/preparsed';
import { compactBytes, compactMessage, messageBytes, type KeptMessage } from '../../analysis/http/compact-message';
import { decideProtocol, directionEnd, SNIFF_BYTES, SNIFF_CHUNKS, zeroes } from '../../analysis/http/views';
import { LiveHttp2Parse } from './live-http2';

/** Chunks waiting (copied) for the direction of requests to be known, per stream. */
const MAX_WAITING_BYTES = 256 * 1024;
/** Copied bytes a direction's parser may be handed without finishing a message. */
const MAX_UNFINISHED_BYTES = 4 * 1024 * 1024;
/** Both of the above, across every open stream. */
const MAX_HELD_BYTES = 64 * 1024 * 1024;

const DIR_NAME = ['out', 'in'] as const;
/** The role the pcap ingest gives every stream (row-tables.ts): the HTTP/2 conversation's tie-break reads it. */
const STREAM_ROLE = 'client';
const EMPTY = new Uint8Array(0);

interface Waiting {
  dir: Dir;
  offset: number;
  length: number;
  data: Uint8Array;
  ts: bigint;
}

/** One open TCP stream's parse in progress. */
class LiveView {
  readonly guesses: [ProtocolGuess[], ProtocolGuess[]] = [[], []];
  /** Request direction the parse runs with, once the guesses point one way. */
  requestDir: Dir | null = null;
  parsers: [HttpDirectionParser, HttpDirectionParser] | null = null;
  /** The HTTP/2 parse, once the guesses say HTTP/2. */
  h2: LiveHttp2Parse | null = null;
  waiting: Waiting[] = [];
  waitingBytes = 0;
  /** Copied bytes handed to each direction's parser since it last finished a message. */
  readonly unfinished: [number, number] = [0, 0];
  /** Room reserved in the results for the messages below. */
  messageBytes = 0;
  /** Given up: this stream is parsed from the index, unless it turns out not to be HTTP/1. */
  abandoned = false;
  /** The guesses rule HTTP/1 out whatever follows: no parse is needed. */
  opaque = false;
  readonly requests: KeptMessage[] = [];
  readonly responses: KeptMessage[] = [];
  /** Requests whose method the response parser asked for before the request was handed out. */
  private readonly unknownMethods: number[] = [];
  private asked = 0;

  start(requestDir: Dir, onMessage: (v: LiveView, dir: Dir, m: HttpMessage) => void): void {
    this.requestDir = requestDir;
    const responseDir = (1 - requestDir) as Dir;
    const request = new HttpDirectionParser('request', (m) => onMessage(this, requestDir, m));
    const response = new HttpDirectionParser('response', (m) => onMessage(this, responseDir, m), { nextRequestMethod: () => this.methodOfRequest(this.asked++) });
    this.parsers = requestDir === OUT ? [request, response] : [response, request];
  }

  private methodOfRequest(index: number): string | null {
    if (index < this.requests.length) return this.requests[index]!.method;
    this.unknownMethods.push(index);
    return null;
  }

  /**
   * How many of the responses handed out so far were parsed knowing (or as good as knowing) the
   * method of the request they answer: up to the first asked before its request was handed out
   * whose request is still unknown, or turned out HEAD or CONNECT.
   */
  trustedResponses(): number {
    for (const i of this.unknownMethods) {
      const method = this.requests[i]?.method;
      if (method === undefined || method === 'HEAD' || method === 'CONNECT') return this.finalResponseAt(i);
    }
    return this.responses.length;
  }

  /** Where among the responses (1xx ones included) the `final`-th final response is, or their count. */
  private finalResponseAt(final: number): number {
    let finals = 0;
    for (let at = 0; at < this.responses.length; at++) {
      if (this.responses[at]!.interim) continue;
      if (finals++ === final) return at;
    }
    return this.responses.length;
  }

  /** Whether every "unknown" answer was as good as the request's real method. */
  methodsHeld(): boolean {
    return this.unknownMethods.every((i) => {
      const method = this.requests[i]?.method ?? null;
      return method !== 'HEAD' && method !== 'CONNECT';
    });
  }
}

/**
 * Watches the streams of one capture as the flow table hands them to the index writer (opened,
 * chunk, closed: the StreamSink calls) and leaves each TCP stream's parse in `results`.
 */
export class LiveHttpViews implements OpenParseSource {
  private readonly open = new Map<FlowStream, LiveView>();
  /**
   * Streams whose parse was completed when their connection finished, before it was closed, and
   * the room their kept messages took. A chunk after that (a retransmission past the FIN) revokes
   * the kept parse: the analysis then parses that stream from the index, which has the chunk.
   */
  private readonly completedEarly = new Map<FlowStream, number>();
  /** Copied bytes held across open streams (waiting chunks and unfinished messages). */
  private held = 0;
  private readonly onMessage = (v: LiveView, dir: Dir, m: HttpMessage) => this.message(v, dir, m);

  /**
   * `stage`: where a finished stream's parse goes instead of waiting in `results` (a capture read
   * from a file: its rows are staged at once, core/analysis/http/staged-exchanges.ts); it says
   * false for a parse the analysis must take itself.
   */
  constructor(
    private readonly results: PreparsedViews,
    private readonly stage: ((stream: FlowStream, kept: KeptView) => boolean) | null = null,
  ) {
    // A capture piped in: the live HTTP pass reads the open streams' parses as they grow.
    results.following(this);
  }

  /** The HTTP/1 parses of the streams still open, in the lists they keep appending to. */
  *openParses(): Iterable<OpenParse> {
    for (const [stream, v] of this.open) {
      if (v.parsers === null || v.abandoned || v.opaque || v.h2 !== null) continue;
      yield { streamId: stream.ref, requestDir: DIR_NAME[v.requestDir!], requests: v.requests, responses: v.responses, trustedResponses: v.trustedResponses() };
    }
  }

  opened(stream: FlowStream): void {
    if (stream.kind === 'tcp') this.open.set(stream, new LiveView());
  }

  chunk(c: ChunkRecord): void {
    const v = this.open.get(c.stream);
    if (!v) {
      if (this.completedEarly.has(c.stream)) this.revoke(c.stream);
      return;
    }
    const dir = c.dir;
    if (c.captured > 0 && v.guesses[dir].length < SNIFF_CHUNKS) {
      // An 'unknown' standing in for a guess that could not change the decision changes nothing
      // decideProtocol looks at (and a decided HTTP/1 parse is not undone by its guesses filling
      // up): it is noted for the decision at the end, and reconsidering is skipped.
      if (mayChange(v, c.data)) {
        v.guesses[dir].push(guessProtocol(c.data.subarray(0, SNIFF_BYTES)));
        this.reconsider(v);
      } else v.guesses[dir].push('unknown');
    }
    if (v.abandoned || v.opaque) return;
    const ts = toNs(c.tsSec, c.tsNsec);
    if (v.h2 !== null) {
      v.h2.chunk(dir, c.offset, c.length, c.data, ts);
      return;
    }
    if (v.parsers === null) {
      if (v.waitingBytes + c.data.length > MAX_WAITING_BYTES || this.held + c.data.length > MAX_HELD_BYTES) {
        this.abandon(v);
        return;
      }
      v.waiting.push({ dir, offset: c.offset, length: c.length, data: copy(c.data), ts });
      v.waitingBytes += c.data.length;
      this.held += c.data.length;
      return;
    }
    this.feed(v, dir, c.offset, c.length, c.data, ts, false);
  }

  /**
   * The connection is over: its parse is completed now, so that what it holds (the parsers and
   * their buffers) does not wait in memory for the flow table to forget the connection. A capture
   * of a hundred thousand short connections holds tens of thousands of finished ones at a time.
   */
  finished(stream: FlowStream): void {
    const kept = this.complete(stream);
    if (kept !== null) this.completedEarly.set(stream, kept);
  }

  closed(stream: FlowStream): void {
    if (this.completedEarly.delete(stream)) return;
    this.complete(stream);
  }

  /** Ends a stream's parse and keeps its result; returns the room its kept messages take, or null if nothing was kept. */
  private complete(stream: FlowStream): number | null {
    const v = this.open.get(stream);
    if (!v) return null;
    this.open.delete(stream);
    this.dropHeld(v);
    const decided = decideProtocol(v.guesses[OUT], v.guesses[IN]);
    if (decided.protocol !== 'http1') {
      this.results.unreserve(v.messageBytes);
      // An HTTP/2 parse that lasted: kept, and the room it took with it; otherwise the analysis reads the stream.
      const h2 = decided.protocol === 'http2' && v.h2 !== null ? v.h2.end(STREAM_ROLE) : null;
      v.h2?.abandon();
      v.h2 = null;
      return this.keep(stream, { protocol: decided.protocol, requestDir: decided.requestDir, requests: [], responses: [], bytes: h2?.bytes ?? 0, ...(h2 ? { http2: h2.view } : {}) });
    }
    if (v.abandoned || v.parsers === null || DIR_NAME[v.requestDir!] !== decided.requestDir) {
      this.drop(v);
      return null;
    }
    // As from the index: the request direction to its end first, then the responses.
    const end = directionEnd(stream.state);
    const requestDir = v.requestDir!;
    const parsers = v.parsers;
    parsers[requestDir].end(end);
    parsers[(1 - requestDir) as Dir].end(end);
    if (v.abandoned || !v.methodsHeld()) {
      this.drop(v);
      return null;
    }
    return this.keep(stream, { protocol: 'http1', requestDir: decided.requestDir, requests: v.requests, responses: v.responses, bytes: v.messageBytes });
  }

  /** A finished parse staged (its room given back) or kept for the analysis; returns the room it still takes. */
  private keep(stream: FlowStream, kept: KeptView): number {
    if (this.stage?.(stream, kept)) {
      this.results.staged(stream.ref);
      this.results.unreserve(kept.bytes ?? 0);
      return 0;
    }
    this.results.keep(stream.ref, kept);
    return kept.bytes ?? 0;
  }

  /** A stream completed early got another chunk: its kept parse no longer says what the index holds. */
  private revoke(stream: FlowStream): void {
    this.results.revoke(stream.ref, this.completedEarly.get(stream)!);
    this.completedEarly.delete(stream);
  }

  /** A parser handed out a message: kept (within the budget), and its bytes no longer held. */
  private message(v: LiveView, dir: Dir, m: HttpMessage): void {
    this.held -= v.unfinished[dir];
    v.unfinished[dir] = 0;
    if (v.abandoned) return;
    // Compact while it may wait for the analysis; as it is where the connection's end stages it.
    let c: KeptMessage = m;
    let bytes: number;
    if (this.stage === null) {
      const compact = compactMessage(m);
      c = compact;
      bytes = compactBytes(compact);
    } else bytes = messageBytes(m);
    if (!this.results.reserve(bytes)) {
      this.abandon(v);
      return;
    }
    v.messageBytes += bytes;
    (dir === v.requestDir ? v.requests : v.responses).push(c);
  }

  /** New guesses: start parsing once they point one way; stop once HTTP/1 is ruled out or the parse runs the wrong way. */
  private reconsider(v: LiveView): void {
    if (v.opaque) return;
    const decided = decideProtocol(v.guesses[OUT], v.guesses[IN]);
    const settled = v.guesses[OUT].length >= SNIFF_CHUNKS && v.guesses[IN].length >= SNIFF_CHUNKS;
    // TLS wins over whatever else the first chunks show, and full guesses are final.
    if (decided.protocol === 'tls' || (decided.protocol === 'unknown' && settled)) {
      v.opaque = true;
      this.drop(v);
      return;
    }
    if (decided.protocol === 'http2') {
      if (v.h2 === null) this.startHttp2(v);
      return;
    }
    if (v.h2 !== null) {
      // It was HTTP/2 but is not now (a direction turned out to begin as HTTP/1): the chunks the
      // HTTP/1 parse would need went to the HTTP/2 one, so the analysis reads this stream.
      this.abandon(v);
      return;
    }
    if (decided.protocol !== 'http1' || v.abandoned) return;
    const requestDir = decided.requestDir === 'out' ? OUT : IN;
    if (v.parsers !== null) {
      if (v.requestDir !== requestDir) this.abandon(v);
      return;
    }
    v.start(requestDir, this.onMessage);
    const waiting = v.waiting;
    this.held -= v.waitingBytes;
    v.waiting = [];
    v.waitingBytes = 0;
    for (const w of waiting) {
      if (v.abandoned) break;
      this.feed(v, w.dir, w.offset, w.length, w.data, w.ts, true);
    }
  }

  /**
   * HTTP/2 from here on, if everything so far waited for the decision; else (an HTTP/1 parse
   * started, or the waiting was given up) the analysis reads the stream.
   */
  private startHttp2(v: LiveView): void {
    if (v.parsers !== null || v.abandoned) {
      v.opaque = true;
      this.drop(v);
      return;
    }
    const h2 = new LiveHttp2Parse(this.results);
    v.h2 = h2;
    const waiting = v.waiting;
    this.held -= v.waitingBytes;
    v.waiting = [];
    v.waitingBytes = 0;
    for (const w of waiting) h2.chunk(w.dir, w.offset, w.length, w.data, w.ts);
  }

  /**
   * `owned`: the bytes are a copy already (a chunk that waited). Otherwise they are the reader's,
   * and the parser gets them as they are for the push; only if it still holds them after it (a
   * message not finished) are they copied, so that it never pins the reader's buffers. The budget
   * counts them as handed over either way.
   */
  private feed(v: LiveView, dir: Dir, offset: number, length: number, data: Uint8Array, ts: bigint, owned: boolean): void {
    const parser = v.parsers![dir];
    let bytes: Uint8Array = EMPTY;
    let lent = false;
    if (data.length > 0) {
      if (parser.needsBytes(offset, length)) {
        if (v.unfinished[dir] + data.length > MAX_UNFINISHED_BYTES || this.held + data.length > MAX_HELD_BYTES) {
          this.abandon(v);
          return;
        }
        v.unfinished[dir] += data.length;
        this.held += data.length;
        bytes = data;
        lent = !owned;
      } else bytes = zeroes(data.length);
    }
    const segment = { offset, length, data: bytes, ts };
    parser.push(segment);
    if (lent && parser.holds(segment)) segment.data = copy(data);
  }

  /** Gives up on a stream's parse: from here on it only collects guesses. */
  private abandon(v: LiveView): void {
    v.abandoned = true;
    this.drop(v);
  }

  /** Frees what a stream's parse holds and the room its messages took. */
  private drop(v: LiveView): void {
    this.dropHeld(v);
    v.h2?.abandon();
    v.h2 = null;
    v.parsers = null;
    v.requests.length = 0;
    v.responses.length = 0;
    this.results.unreserve(v.messageBytes);
    v.messageBytes = 0;
  }

  private dropHeld(v: LiveView): void {
    this.held -= v.waitingBytes + v.unfinished[OUT] + v.unfinished[IN];
    v.waiting = [];
    v.waitingBytes = 0;
    v.unfinished[OUT] = 0;
    v.unfinished[IN] = 0;
  }
}

/**
 * Whether a guess on these bytes could change the decision. Once requests are known to go out, only
 * TLS or HTTP/2 can (nothing takes `out` back), and those start with 0x16 and 'P': for other bytes
 * the guess is not worth making, and 'unknown' stands for it.
 */
function mayChange(v: LiveView, data: Uint8Array): boolean {
  return v.requestDir !== OUT || data[0] === 0x16 || data[0] === 0x50;
}

/** A copy the parser may keep: the reader's buffers must not be pinned by a slow stream. */
function copy(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  out.set(data);
  return out;
}
