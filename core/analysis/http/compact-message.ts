// A parsed HTTP message as it waits, between the parse done while a capture is read and the HTTP
// analysis after ingest (preparsed.ts): the same facts in a fraction of the memory. A message
// object with a header object per field and each string a slice of the line it was cut from (which
// keeps the whole line alive) cost about 1 KB of heap a message, and a capture of a hundred thousand
// short connections waits with tens of thousands of them. Here the strings travel as one flat JSON
// text and the message as one object; the analysis gets back exactly the message it would have
// had (inflateMessage), header offsets included.

import type { HttpDiagnostic } from '../../../parsers/http/diagnostics';
import type { HttpHeader, HttpMessage } from '../../../parsers/http/message-parser';

/**
 * The message's numbers and flags as they are; its strings (but the method, which the live parse
 * asks for: methods are short, so a copy rather than a slice) as one JSON text; no diagnostics
 * array when there are none, as for most messages.
 */
export type CompactMessage = Omit<HttpMessage, 'version' | 'target' | 'reason' | 'headers' | 'diagnostics'> & {
  /** JSON [version, target, reason, name, value, offset, name, value, offset, ...]. */
  text: string;
  diagnostics: HttpDiagnostic[] | null;
};

export function compactMessage(m: HttpMessage): CompactMessage {
  const strings: (string | number | null)[] = [m.version, m.target, m.reason];
  for (const h of m.headers) strings.push(h.name, h.value, h.offset);
  return {
    kind: m.kind,
    index: m.index,
    start: m.start,
    headerEnd: m.headerEnd,
    end: m.end,
    startTs: m.startTs,
    endTs: m.endTs,
    method: m.method,
    status: m.status,
    framing: m.framing,
    declaredLength: m.declaredLength,
    bodyBytes: m.bodyBytes,
    complete: m.complete,
    truncated: m.truncated,
    capturedBytes: m.capturedBytes,
    totalBytes: m.totalBytes,
    interim: m.interim,
    text: JSON.stringify(strings),
    diagnostics: m.diagnostics.length > 0 ? m.diagnostics : null,
  };
}

/**
 * A message as it waits: compact, or as the parser made it where it waits only as long as its
 * connection is open (a capture read from a file: its rows are staged as the connection ends,
 * staged-exchanges.ts, and compacting each message to inflate it again soon after cost half a
 * second of http-short's ingest).
 */
export type KeptMessage = CompactMessage | HttpMessage;

export function inflateMessage(c: KeptMessage): HttpMessage {
  if (!('text' in c)) return c;
  const strings = JSON.parse(c.text) as (string | number | null)[];
  const headers: HttpHeader[] = [];
  for (let i = 3; i < strings.length; i += 3) headers.push({ name: strings[i] as string, value: strings[i + 1] as string, offset: strings[i + 2] as number });
  return {
    kind: c.kind,
    index: c.index,
    start: c.start,
    headerEnd: c.headerEnd,
    end: c.end,
    startTs: c.startTs,
    endTs: c.endTs,
    version: strings[0] as string | null,
    method: c.method,
    target: strings[1] as string | null,
    status: c.status,
    reason: strings[2] as string | null,
    headers,
    framing: c.framing,
    declaredLength: c.declaredLength,
    bodyBytes: c.bodyBytes,
    complete: c.complete,
    truncated: c.truncated,
    capturedBytes: c.capturedBytes,
    totalBytes: c.totalBytes,
    interim: c.interim,
    diagnostics: c.diagnostics ?? [],
  };
}

/** Approximate heap bytes of a message as the parser made it: twice its compact form (see above). */
export function messageBytes(m: HttpMessage): number {
  let n = 480 + 2 * ((m.version?.length ?? 0) + (m.target?.length ?? 0) + (m.reason?.length ?? 0) + (m.method?.length ?? 0));
  for (const h of m.headers) n += 2 * (h.name.length + h.value.length + 8);
  for (const d of m.diagnostics) n += 160 + 2 * (d.line.length + d.message.length);
  return 2 * n;
}

/** Approximate heap bytes of a compact message: its object, two BigInts, its text, its diagnostics. */
export function compactBytes(c: CompactMessage): number {
  let n = 240 + c.text.length + (c.method?.length ?? 0);
  for (const d of c.diagnostics ?? []) n += 160 + 2 * (d.line.length + d.message.length);
  return n;
}
