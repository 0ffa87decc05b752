// What Wireshark's Protocol and Info columns say of a packet that ends an HTTP/1 message: HTTP, and
// the message's first line as sent (`GET /health HTTP/1.1 `, `HTTP/1.1 502 Bad Gateway  (text/html)`).
// Wireshark reassembles a message and shows it on the segment that completes it; the other
// segments stay TCP, and so does a retransmission of that segment. The index knows where each
// exchange's messages lie in their direction's bytes (http_exchanges.req_start … resp_end) and which
// frame brought each chunk of those bytes (chunks.frame; a retransmission brings none), so the
// frame that completes a message is the frame of the chunk holding its last byte. A message with
// bytes missing is never completed (Wireshark leaves its segments TCP); a frame cut short by the
// capture's snap length that holds a message's first line says that line and that it was cut.
// Only the connections on the page are looked at, and only their exchanges in the page's time.
// HTTP/2 connections keep their TCP rows (their frames are not said here).

import type Database from 'better-sqlite3';
import { ChunkBytes } from '../../index/chunk-bytes';

type Dir = 'in' | 'out';

/** A packet of the page that may end (or begin) a message. */
export interface PagePacket {
  key: string;
  streamId: number;
  frame: number;
  /** ns since the epoch, decimal. */
  ts: string;
  capLen: number;
  origLen: number;
}

interface ExchangeRow {
  reqStart: number | null;
  reqEnd: number | null;
  respStart: number | null;
  respEnd: number | null;
  reqComplete: number;
  respComplete: number;
  truncated: number;
  reqHeaders: string;
  respHeaders: string;
}

interface ChunkRow {
  seq: number;
  offset: number;
  length: number;
  captured: number;
  frame: number | null;
  data: Buffer | null;
  dataAt: number | null;
}

const CUT = ' [Packet size limited during capture]';

/** The longest first line read back: a request line past this is said without its end. */
const LINE_MAX = 8 * 1024;

/** The media type, as Wireshark puts it in parentheses after the first line: without parameters. */
function mediaType(headersJson: string): string | null {
  let headers: unknown;
  try {
    headers = JSON.parse(headersJson);
  } catch {
    return null;
  }
  if (!Array.isArray(headers)) return null;
  for (const h of headers) {
    if (Array.isArray(h) && typeof h[0] === 'string' && h[0].toLowerCase() === 'content-type' && typeof h[1] === 'string') {
      const type = h[1].split(';')[0]!.trim();
      return type === '' ? null : type;
    }
  }
  return null;
}

/**
 * The last row, in `seq` order within [lo, hi], for which `holds` is true, when `holds` is true of
 * a prefix of the rows (offsets or times that grow with seq). `rowFrom(seq)` is the first row at or
 * after `seq` (seq need not be contiguous: a direction's chunks share the connection's numbering).
 */
function lastWhere<R extends { seq: number }>(lo: number, hi: number, rowFrom: (seq: number) => R | undefined, holds: (row: R) => boolean): R | null {
  let best: R | null = null;
  let low = lo;
  let high = hi;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const row = rowFrom(mid);
    if (!row || row.seq > high) high = mid - 1;
    else if (holds(row)) {
      best = row;
      low = row.seq + 1;
    } else high = mid - 1;
  }
  return best;
}

/** Finds chunks of one connection by offset: each direction's offsets grow with `seq`, so a search over seq. */
class ChunkFinder {
  private readonly bounds: Database.Statement;
  private readonly atOrAfter: Database.Statement;
  private readonly bytes: ChunkBytes;
  private readonly boundsOf = new Map<string, { lo: number | null; hi: number | null }>();

  constructor(db: Database.Database) {
    this.bounds = db.prepare('SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM chunks WHERE stream_id = ? AND dir = ?');
    this.atOrAfter = db.prepare(
      'SELECT seq, offset, length, captured, frame, data, data_at AS dataAt FROM chunks WHERE stream_id = ? AND dir = ? AND seq >= ? ORDER BY seq LIMIT 1',
    );
    this.bytes = new ChunkBytes(db);
  }

  /** The chunk holding byte `at` of the direction, or null when no chunk holds it (a gap). */
  holding(streamId: number, dir: Dir, at: number): ChunkRow | null {
    const key = `${streamId}:${dir}`;
    let range = this.boundsOf.get(key);
    if (!range) this.boundsOf.set(key, (range = this.bounds.get(streamId, dir) as { lo: number | null; hi: number | null }));
    const { lo, hi } = range;
    if (lo === null || hi === null) return null;
    // The last chunk starting at or before `at`.
    const best = lastWhere(lo, hi, (seq) => this.atOrAfter.get(streamId, dir, seq) as ChunkRow | undefined, (c) => c.offset <= at);
    return best && at < best.offset + best.length ? best : null;
  }

  /** The message's first line, as sent, when the chunk holding its first byte holds the line's end. */
  firstLine(streamId: number, chunk: ChunkRow, start: number): string | null {
    const from = start - chunk.offset;
    if (from < 0 || from >= chunk.captured) return null;
    const bytes = this.bytes.of(streamId, chunk.data, chunk.dataAt, chunk.captured, Math.min(chunk.captured, from + LINE_MAX));
    const end = bytes.indexOf('\r\n', from, 'latin1');
    const line = bytes.subarray(from, end < 0 ? bytes.length : end).toString('latin1');
    return end < 0 && bytes.length < chunk.captured ? null : line;
  }
}

/**
 * The page's packets that end (or, cut short, begin) HTTP/1 messages, by key, with the Info
 * Wireshark gives them; messages ending in one frame are said in order, as Wireshark lists several
 * PDUs of a frame.
 */
export function httpInfoOfPage(db: Database.Database, packets: readonly PagePacket[]): Map<string, string> {
  const said = new Map<string, string[]>();
  const byStream = new Map<number, PagePacket[]>();
  for (const p of packets) {
    const list = byStream.get(p.streamId);
    if (list) list.push(p);
    else byStream.set(p.streamId, [p]);
  }
  if (byStream.size === 0) return new Map();
  // A connection's exchanges are in time order by seq: a search over seq finds the last one begun
  // before the page (it may end on it), and they are read from there until one begins after it.
  const probe = db.prepare('SELECT seq, COALESCE(req_ts, resp_ts) < ? AS before FROM http_exchanges WHERE stream_id = ? AND seq >= ? ORDER BY seq LIMIT 1');
  const seqBounds = db.prepare('SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM http_exchanges WHERE stream_id = ?');
  const exchanges = db.prepare(
    `SELECT req_start AS reqStart, req_end AS reqEnd, resp_start AS respStart, resp_end AS respEnd, req_complete AS reqComplete,
       resp_complete AS respComplete, truncated, req_headers AS reqHeaders, resp_headers AS respHeaders,
       http2_stream IS NULL AND (response_stream_id IS NULL OR response_stream_id = stream_id) AS plain,
       COALESCE(req_ts, resp_ts) > ? AS after
     FROM http_exchanges WHERE stream_id = ? AND seq >= ? ORDER BY seq`,
  );
  /** The first exchange of the connection that may end at or after `first`: the last begun before it (less one, for a pipelined one still going). */
  const firstSeq = (streamId: number, first: bigint): number | null => {
    const { lo, hi } = seqBounds.get(streamId) as { lo: number | null; hi: number | null };
    if (lo === null || hi === null) return null;
    const before = lastWhere(lo, hi, (seq) => probe.get(first, streamId, seq) as { seq: number; before: number | null } | undefined, (row) => row.before === 1);
    const lastBefore = before?.seq ?? lo;
    return Math.max(lo, lastBefore - 1);
  };
  const chunks = new ChunkFinder(db);
  for (const [streamId, list] of byStream) {
    const frames = new Map(list.map((p) => [p.frame, p]));
    const times = list.map((p) => BigInt(p.ts));
    const first = times.reduce((a, b) => (b < a ? b : a));
    const last = times.reduce((a, b) => (b > a ? b : a));
    const from = firstSeq(streamId, first);
    if (from === null) continue;
    for (const x of exchanges.iterate(last, streamId, from) as IterableIterator<ExchangeRow & { plain: number; after: number | null }>) {
      if (x.after === 1) break;
      if (x.plain !== 1) continue;
      const messages: [Dir, number | null, number | null, number, string][] = [
        ['out', x.reqStart, x.reqEnd, x.reqComplete, x.reqHeaders],
        ['in', x.respStart, x.respEnd, x.respComplete, x.respHeaders],
      ];
      for (const [dir, start, end, complete, headers] of messages) {
        if (start === null) continue;
        const whole = complete === 1 && x.truncated === 0 && end !== null && end > start;
        const tail = whole ? chunks.holding(streamId, dir, end! - 1) : null;
        const ending = tail?.frame == null ? undefined : frames.get(tail.frame);
        // A message whose first frame the snap length cut is not reassembled: Wireshark says its
        // first line in that frame, and that the frame was cut. (The frames after it Wireshark reads
        // as HTTP Continuation or leaves TCP depending on what the cut bytes hold; they stay TCP here.)
        if (!ending && whole) continue;
        const head = chunks.holding(streamId, dir, start);
        const opening = head?.frame == null ? undefined : frames.get(head.frame);
        const cut = !whole && opening !== undefined && opening.capLen < opening.origLen;
        if (!head || (!ending && !cut)) continue;
        const line = chunks.firstLine(streamId, head, start);
        if (line === null) continue;
        if (ending) {
          const type = mediaType(headers);
          add(said, ending.key, type === null ? `${line} ` : `${line}  (${type})`);
        } else add(said, opening!.key, `${line}${CUT}`);
      }
    }
  }
  return new Map([...said].map(([key, infos]) => [key, infos.join(' , ')]));
}

function add(said: Map<string, string[]>, key: string, info: string): void {
  const list = said.get(key);
  if (list) list.push(info);
  else said.set(key, [info]);
}
