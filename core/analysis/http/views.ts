// Reading one captured view of a connection (a streams row) as two HTTP directions: which direction
// carries requests is decided by content, not by port or role, and each direction is run through
// the HTTP/1 parser straight from the chunks table, one direction at a time.

import type Database from 'better-sqlite3';
import { HttpDirectionParser, type DirectionEnd, type HttpMessage } from '../../../parsers/http/message-parser';
import { guessProtocol, type ProtocolGuess } from '../../../parsers/http/syntax';
import { ChunkBytes } from '../../index/chunk-bytes';
import type { KeptMessage } from './compact-message';
import type { H2cUpgrade } from './h2c-upgrade';
import type { Http2View } from './http2-views';

export interface StreamView {
  id: number;
  kind: string;
  clientAddr: string | null;
  clientPort: number | null;
  serverAddr: string | null;
  serverPort: number | null;
  role: string | null;
  containerId: string | null;
  proc: string | null;
  pid: number | null;
  firstTs: bigint | null;
  lastTs: bigint | null;
  state: string | null;
}

export type Protocol = 'http1' | 'http2' | 'tls' | 'unknown';

export interface ParsedView {
  view: StreamView;
  protocol: Protocol;
  /** Which direction of the stream carries the requests. */
  requestDir: 'in' | 'out';
  requests: HttpMessage[];
  /** Final and interim responses, in order. */
  responses: HttpMessage[];
  /** An HTTP/2 view's streams (http2-views.ts), read after the protocol is known. */
  http2?: Http2View;
  /** A view that began as HTTP/1 and was upgraded (h2c-upgrade.ts): its HTTP/1 messages are those before the upgrade. */
  upgrade?: H2cUpgrade;
  /** The ingester's kept request list its messages came from, when it parsed them (preparsed.ts). */
  origin?: readonly KeptMessage[];
}

/** How many leading chunks of a direction (with captured bytes) are looked at to recognise its protocol. */
export const SNIFF_CHUNKS = 8;
/** How many leading bytes of each of those chunks. */
export const SNIFF_BYTES = 64;

/**
 * What a stream carries and which direction holds the requests, from the guesses on the leading
 * chunks of each direction: TLS anywhere wins; HTTP/2 wins unless a direction began as HTTP/1 (a
 * connection upgraded with `Upgrade: h2c` begins as HTTP/1 and carries the preface later: it is
 * read as HTTP/1 up to its 101, then as HTTP/2); otherwise HTTP/1 requests going out (or
 * responses coming in) make `out` the request direction, and the reverse makes it `in`.
 */
export function decideProtocol(outGuesses: readonly ProtocolGuess[], inGuesses: readonly ProtocolGuess[]): { protocol: Protocol; requestDir: 'in' | 'out' } {
  if (outGuesses.includes('tls') || inGuesses.includes('tls')) return { protocol: 'tls', requestDir: 'out' };
  const beganAsHttp1 = [outGuesses.find((g) => g !== 'unknown'), inGuesses.find((g) => g !== 'unknown')].some((g) => g === 'http1-request' || g === 'http1-response');
  if (!beganAsHttp1 && (outGuesses.includes('http2') || inGuesses.includes('http2'))) return { protocol: 'http2', requestDir: 'out' };
  if (outGuesses.includes('http1-request') || inGuesses.includes('http1-response')) return { protocol: 'http1', requestDir: 'out' };
  if (inGuesses.includes('http1-request') || outGuesses.includes('http1-response')) return { protocol: 'http1', requestDir: 'in' };
  return { protocol: 'unknown', requestDir: 'out' };
}

/** How the directions of a stream in this TCP state ended. */
export function directionEnd(state: string | null): DirectionEnd {
  return state === 'fin' || state === 'closed' || state === 'rst' ? 'closed' : 'capture-ended';
}

/** The streams rows the HTTP analysis reads: TCP of network captures, TCP and unix of syscall ones. */
export const STREAM_VIEW_COLUMNS = 'id, kind, client_addr, client_port, server_addr, server_port, role, container_id, proc, pid, first_ts, last_ts, state';
export const STREAM_VIEW_WHERE = "(l4proto = 'tcp' OR kind IN ('tcp', 'unix'))";

/** A streams row (read with safeIntegers) as a view. */
export function toStreamView(r: Record<string, bigint | string | null>): StreamView {
  return {
    id: Number(r.id),
    kind: String(r.kind),
    clientAddr: (r.client_addr as string | null) ?? null,
    clientPort: r.client_port === null ? null : Number(r.client_port),
    serverAddr: (r.server_addr as string | null) ?? null,
    serverPort: r.server_port === null ? null : Number(r.server_port),
    role: (r.role as string | null) ?? null,
    containerId: (r.container_id as string | null) ?? null,
    proc: (r.proc as string | null) ?? null,
    pid: r.pid === null ? null : Number(r.pid),
    firstTs: (r.first_ts as bigint | null) ?? null,
    lastTs: (r.last_ts as bigint | null) ?? null,
    state: (r.state as string | null) ?? null,
  };
}

/** Parses stream views; its statements are prepared once for all of them. */
export class ViewParser {
  private readonly firstChunks: Database.Statement;
  private readonly chunkHeads: Database.Statement;
  private readonly chunkData: Database.Statement;
  private readonly bytes: ChunkBytes;

  constructor(db: Database.Database) {
    // Protocol detection needs the first 64 bytes of a few chunks, not their whole data.
    this.firstChunks = db.prepare(`SELECT substr(data, 1, ${SNIFF_BYTES}) AS head, data_at, captured FROM chunks WHERE stream_id = ? AND dir = ? AND captured > 0 ORDER BY seq LIMIT ?`);
    this.chunkHeads = db.prepare('SELECT id, ts, offset, length, captured FROM chunks WHERE stream_id = ? AND dir = ? ORDER BY seq').safeIntegers(true);
    this.chunkData = db.prepare('SELECT data, data_at, captured FROM chunks WHERE id = ?');
    this.bytes = new ChunkBytes(db);
  }

  parse(view: StreamView): ParsedView {
    const guesses = (dir: 'in' | 'out'): ProtocolGuess[] =>
      (this.firstChunks.all(view.id, dir, SNIFF_CHUNKS) as StoredHead[]).map((c) => guessProtocol(this.bytes.of(view.id, c.head, c.data_at, c.captured, SNIFF_BYTES)));
    const inGuesses = guesses('in');
    const outGuesses = guesses('out');
    const { protocol, requestDir } = decideProtocol(outGuesses, inGuesses);
    if (protocol !== 'http1') return { view, protocol, requestDir, requests: [], responses: [] };
    const responseDir = requestDir === 'out' ? 'in' : 'out';
    const end = directionEnd(view.state);

    const requests: HttpMessage[] = [];
    this.runDirection(view.id, requestDir, new HttpDirectionParser('request', (m) => requests.push(m)), end);
    const methods = requests.map((r) => r.method);
    const responses: HttpMessage[] = [];
    this.runDirection(view.id, responseDir, new HttpDirectionParser('response', (m) => responses.push(m), { nextRequestMethod: () => methods.shift() ?? null }), end);
    return { view, protocol: 'http1', requestDir, requests, responses };
  }

  /** Feeds a direction's chunks to the parser, fetching the bytes only of chunks it will look at. */
  private runDirection(streamId: number, dir: 'in' | 'out', parser: HttpDirectionParser, end: DirectionEnd): void {
    const EMPTY = Buffer.alloc(0);
    for (const row of this.chunkHeads.iterate(streamId, dir) as Iterable<{ id: bigint; ts: bigint; offset: bigint; length: bigint; captured: bigint }>) {
      const offset = Number(row.offset);
      const length = Number(row.length);
      const wanted = row.captured > 0n && parser.needsBytes(offset, length);
      // Bytes skipped inside a body count as captured all the same: keep the parser's tally true
      // with a view of the right length (never read).
      const data = wanted ? this.stored(streamId, row.id) : row.captured > 0n ? zeroes(Number(row.captured)) : EMPTY;
      parser.push({ offset, length, data, ts: row.ts });
    }
    parser.end(end);
  }

  private stored(streamId: number, chunkId: bigint): Buffer {
    const c = this.chunkData.get(chunkId) as { data: Buffer | null; data_at: number | null; captured: number };
    return this.bytes.of(streamId, c.data, c.data_at, c.captured);
  }
}

/** A chunk's first bytes as the index holds them: in the row, or where they lie in the evidence (chunk-bytes.ts). */
export interface StoredHead {
  head: Buffer | null;
  data_at: number | null;
  captured: number;
}

let zeroBuffer = Buffer.alloc(0);
/** The view zeroes() gave last: body segments mostly have one length (the MSS), and a view is an object. */
let lastZeroes = zeroBuffer;
/** A shared buffer of `n` zero bytes, standing in for body bytes the parser will only count. */
export function zeroes(n: number): Buffer {
  if (lastZeroes.length === n) return lastZeroes;
  if (zeroBuffer.length < n) zeroBuffer = Buffer.alloc(Math.max(n, 2 * zeroBuffer.length));
  lastZeroes = zeroBuffer.subarray(0, n);
  return lastZeroes;
}
