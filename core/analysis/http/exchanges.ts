// From parsed views to exchanges: requests paired with their final responses in order (keep-alive
// and pipelining answer in order), and the views of one connection stitched into one set of
// exchanges, each message taken from the view that captured the most of it (a proxy's read of a
// response cut by the snaplen, the backend's write of it whole).

import type { HttpMessage } from '../../../parsers/http/message-parser';
import type { Http2Exchange } from '../../../parsers/http2/conversation';
import type { Http2Diagnostic } from '../../../parsers/http2/diagnostics';
import type { ParsedView, StreamView } from './views';

export interface Side {
  message: HttpMessage;
  view: ParsedView;
  /** The stream direction the message travelled in, from that view's endpoint. */
  dir: 'in' | 'out';
}

export interface Exchange {
  request: Side | null;
  response: Side | null;
  /** 1xx responses before the final one. */
  interim: Side[];
  /** How many views of the connection contributed. */
  views: number;
  /** An HTTP/2 stream's exchange: what HTTP/1 has no place for (http2-views.ts). */
  http2?: Http2Facts;
}

/** What an exchange read from HTTP/2 carries beyond an HTTP/1 one. */
export interface Http2Facts {
  exchange: Http2Exchange;
  /** Diagnostics to store with the exchange, each with its side and direction of the view. */
  diagnostics: { side: 'request' | 'response'; dir: 'in' | 'out'; d: Http2Diagnostic }[];
}

/** Pairs one view's requests with its final responses. */
export function pairView(parsed: ParsedView): Exchange[] {
  const responseDir = parsed.requestDir === 'out' ? 'in' : 'out';
  const finals = parsed.responses.filter((r) => !r.interim);
  const interims = parsed.responses.filter((r) => r.interim);
  const out: Exchange[] = [];
  // A capture that began mid-conversation can hold responses to requests it never saw: they
  // come first, unpaired, so that the rest pair up in order.
  const unanswered = Math.max(0, finals.length - parsed.requests.length);
  const leading = parsed.requests.length > 0 ? Math.min(unanswered, countBefore(finals, parsed.requests[0]!.startTs)) : finals.length;
  for (let i = 0; i < leading; i++) out.push({ request: null, response: { message: finals[i]!, view: parsed, dir: responseDir }, interim: [], views: 1 });
  for (let i = 0; i < parsed.requests.length; i++) {
    const response = finals[leading + i];
    out.push({
      request: { message: parsed.requests[i]!, view: parsed, dir: parsed.requestDir },
      response: response ? { message: response, view: parsed, dir: responseDir } : null,
      interim: [],
      views: 1,
    });
  }
  for (const i of interims) {
    const owner = out.find((e) => e.response && e.response.message.startTs >= i.startTs) ?? out.at(-1);
    owner?.interim.push({ message: i, view: parsed, dir: responseDir });
  }
  return out;
}

function countBefore(messages: HttpMessage[], ts: bigint): number {
  let n = 0;
  while (n < messages.length && messages[n]!.startTs < ts) n++;
  return n;
}

/** Identity of a connection whichever end captured it. */
export function connectionKey(v: StreamView): string | null {
  if (v.clientAddr === null || v.serverAddr === null || v.clientPort === null || v.serverPort === null) return null;
  return `${v.kind}|${v.clientAddr}|${v.clientPort}|${v.serverAddr}|${v.serverPort}`;
}

/** Groups views of the same connection: same endpoints and overlapping in time (ports get reused). */
export function groupViews(views: StreamView[]): StreamView[][] {
  const byKey = new Map<string, StreamView[]>();
  const groups: StreamView[][] = [];
  for (const v of views) {
    const key = connectionKey(v);
    if (key === null) {
      groups.push([v]);
      continue;
    }
    const same = byKey.get(key);
    if (same) same.push(v);
    else byKey.set(key, [v]);
  }
  for (const same of byKey.values()) {
    same.sort((a, b) => cmp(a.firstTs, b.firstTs));
    let current: StreamView[] = [];
    let currentEnd: bigint | null = null;
    for (const v of same) {
      const overlaps = current.length > 0 && v.firstTs !== null && currentEnd !== null && v.firstTs <= currentEnd;
      if (current.length > 0 && !overlaps) {
        groups.push(current);
        current = [];
        currentEnd = null;
      }
      current.push(v);
      if (v.lastTs !== null && (currentEnd === null || v.lastTs > currentEnd)) currentEnd = v.lastTs;
    }
    if (current.length > 0) groups.push(current);
  }
  return groups;
}

/** Tolerance when matching one exchange seen from two ends: the same request, within a second. */
const SAME_EXCHANGE_NS = 1_000_000_000n;

/** Stitches the exchanges of several views of one connection into one list. */
export function stitch(perView: Exchange[][]): Exchange[] {
  if (perView.length === 1) return perView[0]!;
  const merged: Exchange[] = [];
  for (const exchanges of perView) {
    for (const e of exchanges) {
      const twin = merged.find((m) => sameExchange(m, e));
      if (!twin) {
        merged.push({ ...e, interim: [...e.interim] });
        continue;
      }
      twin.views++;
      twin.http2 ??= e.http2;
      twin.request = better(twin.request, e.request);
      twin.response = better(twin.response, e.response);
      if (twin.interim.length === 0) twin.interim = e.interim;
    }
  }
  return merged.sort((a, b) => cmp(startOf(a), startOf(b)));
}

function sameExchange(a: Exchange, b: Exchange): boolean {
  // Streams of one HTTP/2 connection are told apart by their id, whatever their requests.
  if (a.http2 && b.http2 && a.http2.exchange.streamId !== b.http2.exchange.streamId) return false;
  if (a.request && b.request) {
    const ra = a.request.message;
    const rb = b.request.message;
    if (ra.method && rb.method && ra.method !== rb.method) return false;
    if (ra.target && rb.target && ra.target !== rb.target) return false;
    return abs(ra.startTs - rb.startTs) <= SAME_EXCHANGE_NS && a.request.view !== b.request.view;
  }
  if (a.response && b.response && !a.request && !b.request) {
    return a.response.message.status === b.response.message.status && abs(a.response.message.startTs - b.response.message.startTs) <= SAME_EXCHANGE_NS;
  }
  return false;
}

/** The side captured more completely: framed to its end first, then more captured bytes. */
function better(a: Side | null, b: Side | null): Side | null {
  if (!a) return b;
  if (!b) return a;
  if (a.message.complete !== b.message.complete) return a.message.complete ? a : b;
  return b.message.capturedBytes > a.message.capturedBytes ? b : a;
}

function startOf(e: Exchange): bigint | null {
  return e.request?.message.startTs ?? e.response?.message.startTs ?? null;
}

function cmp(a: bigint | null, b: bigint | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}
