// RFC 9110 / RFC 9112 grammar pieces: tokens, start lines, field lines. Pure functions over one
// line of latin1 text (HTTP/1 framing is bytes; latin1 keeps every byte as one character).

/** tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
const TCHAR = new Uint8Array(128);
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

export function isTchar(code: number): boolean {
  return code < 128 && TCHAR[code] === 1;
}

/** Index of the first character that is not a tchar, or -1 when the whole string is a token. */
export function firstNonTchar(s: string): number {
  for (let i = 0; i < s.length; i++) if (!isTchar(s.charCodeAt(i))) return i;
  return -1;
}

export function isToken(s: string): boolean {
  return s.length > 0 && firstNonTchar(s) < 0;
}

const HTTP_VERSION = /^HTTP\/(\d)\.(\d)$/;

export interface RequestLine {
  method: string;
  target: string;
  version: string;
}

/** request-line = method SP request-target SP HTTP-version; null with a reason when malformed. */
export function parseRequestLine(line: string): { ok: RequestLine } | { error: string } {
  const parts = line.split(' ');
  if (parts.length !== 3) return { error: `a request line has three parts separated by single spaces, this one has ${parts.length}` };
  const [method, target, version] = parts as [string, string, string];
  if (!isToken(method)) return { error: `the method '${method}' is not a token` };
  if (target === '' || /[\x00-\x20\x7f]/.test(target)) return { error: 'the request target is empty or contains whitespace or control characters' };
  if (!HTTP_VERSION.test(version)) return { error: `'${version}' is not an HTTP version (HTTP/x.y)` };
  return { ok: { method, target, version } };
}

export interface StatusLine {
  version: string;
  status: number;
  reason: string;
  /** RFC 9112 requires the SP after the status code even when the reason is empty. */
  missingReasonSpace: boolean;
}

/** status-line = HTTP-version SP status-code SP [ reason-phrase ] */
export function parseStatusLine(line: string): { ok: StatusLine } | { error: string; badCode?: boolean } {
  const firstSpace = line.indexOf(' ');
  const version = firstSpace < 0 ? line : line.slice(0, firstSpace);
  if (!HTTP_VERSION.test(version)) return { error: `'${version.slice(0, 20)}' is not an HTTP version (HTTP/x.y)` };
  if (firstSpace < 0) return { error: 'the status line has no status code' };
  const rest = line.slice(firstSpace + 1);
  const code = rest.slice(0, 3);
  if (!/^\d{3}$/.test(code) || (rest.length > 3 && rest[3] !== ' ')) {
    return { error: `the status code '${rest.split(' ')[0]}' is not three digits`, badCode: true };
  }
  const status = Number(code);
  if (status < 100 || status > 599) return { error: `the status code ${status} is outside 100–599`, badCode: true };
  const reason = rest.length > 4 ? rest.slice(4) : '';
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(reason)) return { error: 'the reason phrase contains control characters' };
  return { ok: { version, status, reason, missingReasonSpace: rest.length === 3 } };
}

export type FieldLineProblem =
  | { kind: 'missing-colon' }
  | { kind: 'space-before-colon'; name: string }
  | { kind: 'invalid-field-name'; name: string; column: number }
  | { kind: 'invalid-field-value'; name: string; value: string; column: number };

export interface FieldLine {
  name: string;
  value: string;
  problem: FieldLineProblem | null;
}

/**
 * field-line = field-name ":" OWS field-value OWS, with the one problem that matters most. Scanned
 * by character codes, not regular expressions: every header line of every message comes here.
 */
export function parseFieldLine(line: string): FieldLine {
  const colon = line.indexOf(':');
  if (colon < 0) return { name: '', value: line, problem: { kind: 'missing-colon' } };
  const rawName = line.slice(0, colon);
  // OWS (SP / HTAB) off both ends of the value; valueStart is where the value begins in the line.
  let valueStart = colon + 1;
  let valueEnd = line.length;
  while (valueStart < valueEnd && isOws(line.charCodeAt(valueStart))) valueStart++;
  while (valueEnd > valueStart && isOws(line.charCodeAt(valueEnd - 1))) valueEnd--;
  const value = line.slice(valueStart, valueEnd);
  let nameEnd = colon;
  while (nameEnd > 0 && isOws(line.charCodeAt(nameEnd - 1))) nameEnd--;
  if (nameEnd !== colon) {
    const trimmed = rawName.slice(0, nameEnd);
    if (isToken(trimmed)) return { name: trimmed, value, problem: { kind: 'space-before-colon', name: trimmed } };
  }
  const bad = firstNonTchar(rawName);
  if (rawName === '' || bad >= 0) return { name: rawName, value, problem: { kind: 'invalid-field-name', name: rawName, column: Math.max(0, bad) } };
  // field-vchar = VCHAR / obs-text; SP and HTAB between them. Anything else is a control character.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      return { name: rawName, value, problem: { kind: 'invalid-field-value', name: rawName, value, column: valueStart + i } };
    }
  }
  return { name: rawName, value, problem: null };
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** What the first bytes of a direction look like, to decide which parser (if any) applies. */
export type ProtocolGuess = 'http1-request' | 'http1-response' | 'http2' | 'tls' | 'unknown';

const H2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

export function guessProtocol(firstBytes: Uint8Array): ProtocolGuess {
  if (firstBytes.length >= 3 && firstBytes[0] === 0x16 && firstBytes[1] === 0x03 && firstBytes[2]! <= 0x04) return 'tls';
  // The two answers almost every HTTP/1 connection gives, read off the bytes before any text is
  // made (the regular expressions below give the same for them: neither is a prefix of the preface).
  if (startsStatusLine(firstBytes)) return 'http1-response';
  if (startsGet(firstBytes)) return 'http1-request';
  const text = latin1(firstBytes.subarray(0, Math.min(firstBytes.length, 64)));
  if (H2_PREFACE.startsWith(text.slice(0, H2_PREFACE.length)) && text.length >= 8) return 'http2';
  if (/^HTTP\/\d\.\d /.test(text)) return 'http1-response';
  if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20} [^\s]+ HTTP\/\d\.\d\r?\n?/.test(text) || /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) /.test(text)) return 'http1-request';
  return 'unknown';
}

/** "HTTP/d.d " */
function startsStatusLine(b: Uint8Array): boolean {
  return (
    b.length >= 9 && b[0] === 0x48 && b[1] === 0x54 && b[2] === 0x54 && b[3] === 0x50 && b[4] === 0x2f && isDigit(b[5]!) && b[6] === 0x2e && isDigit(b[7]!) && b[8] === 0x20
  );
}

/** "GET " */
function startsGet(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x47 && b[1] === 0x45 && b[2] === 0x54 && b[3] === 0x20;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Each byte as one character. Node's decoder does it natively, without copying the bytes. */
export function latin1(bytes: Uint8Array): string {
  return latin1Range(bytes, 0, bytes.length);
}

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
/**
 * Buffer's own native decoder, which takes any Uint8Array: it spares making a Buffer over the bytes
 * for each line (the HTTP parser decodes every line of every header section).
 */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice;

/** bytes[start, end) as latin1 text: each byte one character. */
export function latin1Range(bytes: Uint8Array, start: number, end: number): string {
  if (latin1Slice !== undefined) return latin1Slice.call(bytes, start, end);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
