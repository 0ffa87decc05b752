// Reading one captured view of a connection as HTTP/2: both directions run through the frame and
// HPACK decoder (parsers/http2/) straight from the chunks table, fetching the bytes only of chunks
// the decoder will look at (DATA of a non-gRPC stream is counted, not read). Which direction is the
// client's is decided by content: the one that sent the connection preface, or (a capture that
// began after the connection) the one whose header blocks carry :method.

import type Database from 'better-sqlite3';
import type { HttpHeader, HttpMessage } from '../../../parsers/http/message-parser';
import { converse, type Http2Conversation, type Http2Exchange, type Http2Message } from '../../../parsers/http2/conversation';
import { Http2DirectionParser, type DirectionResult } from '../../../parsers/http2/direction';
import type { Http2Diagnostic } from '../../../parsers/http2/diagnostics';
import { PREFACE, looksLikeFrames } from '../../../parsers/http2/frames';
import type { Exchange, Http2Facts } from './exchanges';
import { zeroes, type ParsedView, type StoredHead, type StreamView } from './views';
import { ChunkBytes } from '../../index/chunk-bytes';

const PREFACE_BYTES = Buffer.from(PREFACE, 'latin1');

export interface Http2View {
  requestDir: 'in' | 'out';
  conversation: Http2Conversation;
}

/** Whether a direction's first bytes begin HTTP/2: the preface, or frames (a capture begun mid-connection). */
export function http2Start(firstBytes: Uint8Array | undefined): 'preface' | 'frames' | null {
  if (!firstBytes || firstBytes.length === 0) return null;
  const n = Math.min(firstBytes.length, PREFACE_BYTES.length);
  if (n >= 8 && Buffer.from(firstBytes.buffer, firstBytes.byteOffset, n).equals(PREFACE_BYTES.subarray(0, n))) return 'preface';
  return looksLikeFrames(firstBytes) ? 'frames' : null;
}

export class Http2ViewReader {
  private readonly firstChunk: Database.Statement;
  private readonly chunkHeads: Database.Statement;
  private readonly chunkData: Database.Statement;
  private readonly bytes: ChunkBytes;

  constructor(db: Database.Database) {
    this.firstChunk = db.prepare('SELECT offset, substr(data, 1, 64) AS head, data_at, captured FROM chunks WHERE stream_id = ? AND dir = ? AND captured > 0 ORDER BY seq LIMIT 1');
    this.chunkHeads = db.prepare('SELECT id, ts, offset, length, captured FROM chunks WHERE stream_id = ? AND dir = ? ORDER BY seq').safeIntegers(true);
    this.chunkData = db.prepare('SELECT data, data_at, captured FROM chunks WHERE id = ?');
    this.bytes = new ChunkBytes(db);
  }

  /** Whether the view's first captured bytes either way read as HTTP/2 frames (no preface). */
  looksLikeFrames(view: StreamView): boolean {
    const starts = (['out', 'in'] as const).map((dir) => this.first(view.id, dir));
    const kinds = starts.map((s) => (s ? http2Start(s.head) : null));
    // Every direction with bytes must read as frames, and one at least must have them.
    return kinds.some((k) => k !== null) && starts.every((s, i) => s === null || kinds[i] !== null);
  }

  read(view: StreamView): Http2View {
    const out = this.first(view.id, 'out');
    const inn = this.first(view.id, 'in');
    const outPreface = out !== null && http2Start(out.head) === 'preface';
    const inPreface = inn !== null && http2Start(inn.head) === 'preface';
    const fromStart = (outPreface && out!.offset === 0) || (inPreface && inn!.offset === 0);
    const outResult = this.runDirection(view, 'out', outPreface, fromStart);
    const inResult = this.runDirection(view, 'in', inPreface, fromStart);
    return http2ViewOf(outResult, inResult, outPreface, inPreface, view.role);
  }

  /**
   * A view upgraded from HTTP/1 (h2c-upgrade.ts): each direction read as HTTP/2 from where the
   * upgrade left it, the request direction's beginning with the preface; both HPACK tables start
   * empty there, as the connection's did.
   */
  readUpgraded(view: StreamView, requestDir: 'in' | 'out', clientFrom: number, serverFrom: number): Http2View {
    const responseDir = requestDir === 'out' ? 'in' : 'out';
    const client = this.runDirection(view, requestDir, true, true, clientFrom);
    const server = this.runDirection(view, responseDir, false, true, serverFrom);
    return { requestDir, conversation: converse(client, server) };
  }

  private first(streamId: number, dir: 'in' | 'out'): { offset: number; head: Buffer } | null {
    const row = this.firstChunk.get(streamId, dir) as (StoredHead & { offset: number }) | undefined;
    return row ? { offset: row.offset, head: this.bytes.of(streamId, row.head, row.data_at, row.captured, 64) } : null;
  }

  /** Runs one direction through the HTTP/2 parser, from byte `from` of it (0: all of it). */
  private runDirection(view: StreamView, dir: 'in' | 'out', preface: boolean, fromStart: boolean, from = 0): DirectionResult {
    const parser = new Http2DirectionParser({ preface, fromStart });
    const EMPTY = Buffer.alloc(0);
    for (const row of this.chunkHeads.iterate(view.id, dir) as Iterable<{ id: bigint; ts: bigint; offset: bigint; length: bigint; captured: bigint }>) {
      let offset = Number(row.offset);
      let length = Number(row.length);
      if (offset + length <= from) continue;
      // A chunk that straddles the start: its part from `from` on (its captured bytes come first).
      const cut = Math.max(0, from - offset);
      offset += cut;
      length -= cut;
      const captured = Math.max(0, Number(row.captured) - cut);
      const wanted = captured > 0 && parser.needsBytes(offset, length);
      const data = wanted ? this.stored(view.id, row.id).subarray(cut) : captured > 0 ? zeroes(captured) : EMPTY;
      parser.push({ offset, length, data, ts: row.ts });
    }
    return parser.end();
  }

  private stored(streamId: number, chunkId: bigint): Buffer {
    const c = this.chunkData.get(chunkId) as { data: Buffer | null; data_at: number | null; captured: number };
    return this.bytes.of(streamId, c.data, c.data_at, c.captured);
  }
}

/**
 * The conversation of a view's two directions, read from its start or wherever the capture began:
 * the client's is the one that sent the preface, else the one whose header blocks ask (:method)
 * more than they answer (:status), else (a tie) the one the view's role says. Shared by the reading
 * from the index above and the one done while a capture is read (core/formats/pcap/live-http2.ts),
 * so both give the same.
 */
export function http2ViewOf(outResult: DirectionResult, inResult: DirectionResult, outPreface: boolean, inPreface: boolean, role: string | null): Http2View {
  let requestDir: 'in' | 'out';
  if (outPreface !== inPreface) requestDir = outPreface ? 'out' : 'in';
  else {
    const asks = (r: DirectionResult) => [...r.streams.values()].filter((s) => s.blocks.some((b) => b.fields.some((f) => f.name === ':method'))).length;
    const answers = (r: DirectionResult) => [...r.streams.values()].filter((s) => s.blocks.some((b) => b.fields.some((f) => f.name === ':status'))).length;
    const outScore = asks(outResult) + answers(inResult);
    const inScore = asks(inResult) + answers(outResult);
    requestDir = outScore !== inScore ? (outScore > inScore ? 'out' : 'in') : role === 'server' ? 'in' : 'out';
  }
  const conversation = requestDir === 'out' ? converse(outResult, inResult) : converse(inResult, outResult);
  return { requestDir, conversation };
}

/** A parsed view's HTTP/2 streams as exchanges the HTTP/1 ones sit beside (stitched and stored alike). */
export function http2Exchanges(parsed: ParsedView & { http2: Http2View }): Exchange[] {
  const { requestDir, conversation } = parsed.http2;
  const responseDir: 'in' | 'out' = requestDir === 'out' ? 'in' : 'out';
  const exchanges: Exchange[] = conversation.exchanges.map((x, index) => {
    const diagnostics: Http2Facts['diagnostics'] = [];
    if (x.request) for (const d of x.request.diagnostics) diagnostics.push({ side: 'request', dir: requestDir, d });
    if (x.response) for (const d of x.response.diagnostics) diagnostics.push({ side: 'response', dir: responseDir, d });
    return {
      request: x.request ? { message: asHttpMessage(x.request, 'request', index, x), view: parsed, dir: requestDir } : null,
      response: x.response ? { message: asHttpMessage(x.response, 'response', index, x), view: parsed, dir: responseDir } : null,
      interim: [],
      views: 1,
      http2: { exchange: x, diagnostics },
    };
  });
  // Connection-level faults go with the exchange whose bytes they fall among (the first, else).
  const place = (side: 'request' | 'response', dir: 'in' | 'out', d: Http2Diagnostic) => {
    const owner = exchanges.find((e) => {
      const m = side === 'request' ? e.http2!.exchange.request : e.http2!.exchange.response;
      return m !== null && m.start <= d.offset && d.offset < m.end;
    }) ?? exchanges[0];
    owner?.http2!.diagnostics.push({ side, dir, d });
  };
  for (const d of conversation.clientDiagnostics) place('request', requestDir, d);
  for (const d of conversation.serverDiagnostics) place('response', responseDir, d);
  return exchanges;
}

function asHttpMessage(m: Http2Message, kind: 'request' | 'response', index: number, x: Http2Exchange): HttpMessage {
  const blockAt = m.headersOffset ?? m.start;
  const headers = new Array<HttpHeader>(m.headers.length + m.trailers.length);
  let length: string | undefined;
  for (let i = 0; i < m.headers.length; i++) {
    const f = m.headers[i]!;
    headers[i] = { name: f.name, value: f.value, offset: blockAt };
    if (length === undefined && f.name === 'content-length') length = f.value;
  }
  for (let i = 0; i < m.trailers.length; i++) headers[m.headers.length + i] = { name: m.trailers[i]!.name, value: m.trailers[i]!.value, offset: blockAt };
  return {
    kind,
    index,
    start: m.start,
    headerEnd: null,
    end: m.complete ? m.end : null,
    startTs: m.startTs,
    endTs: m.endTs,
    version: 'HTTP/2',
    method: kind === 'request' ? x.method : null,
    target: kind === 'request' ? x.path : null,
    status: kind === 'response' ? x.status : null,
    reason: null,
    headers,
    framing: 'http2',
    declaredLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
    bodyBytes: m.dataBytes,
    complete: m.complete,
    truncated: m.truncated,
    capturedBytes: m.bytes - m.missingBytes,
    totalBytes: m.bytes,
    interim: false,
    diagnostics: [],
  };
}
