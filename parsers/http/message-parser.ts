// An HTTP/1.0 and 1.1 message parser over one direction of a stream (RFC 9112), built for
// captured traffic: the bytes arrive as segments that know how many bytes the program moved and how
// many were captured (a syscall capture keeps the first 80 or 256 bytes of each write; a packet
// capture can miss segments). Framing advances by byte counts, so a body that was not captured
// still ends where it ends; what lies in missing bytes is never diagnosed; when a header section
// runs into missing bytes, the parser finds the next message at a segment that starts with one.
//
// Push-based and bounded: only the unparsed segments from the current position are held, header
// sections are capped, bodies are counted, never buffered.

import { HTTP_DIAGNOSTICS as D, httpDiagnostic, type EmittedHttpDiagnostic, type HttpDiagnostic } from './diagnostics';
import { guessProtocol, latin1, latin1Range, parseFieldLine, parseRequestLine, parseStatusLine } from './syntax';
import { formatCount } from '../../common/format';

export interface HttpSegment {
  /** Offset of the segment's first byte in this direction. */
  offset: number;
  /** Bytes the program moved (or the TCP payload length). */
  length: number;
  /** The bytes captured: a prefix of the moved bytes, possibly all of them. */
  data: Uint8Array;
  /** When the segment was seen, in nanoseconds. */
  ts: bigint;
}

/** How a direction ended: the connection closed (FIN, RST, close()) or the capture stopped. */
export type DirectionEnd = 'closed' | 'capture-ended';

/** 'http2': an HTTP/2 stream's message, framed by its END_STREAM (core/analysis/http/http2-views.ts makes them). */
export type Framing = 'content-length' | 'chunked' | 'close' | 'none' | 'tunnel' | 'unknown' | 'http2';

export interface HttpHeader {
  name: string;
  value: string;
  /** Offset of the header line in the direction. */
  offset: number;
}

export interface HttpMessage {
  kind: 'request' | 'response';
  /** Position among the messages of this direction (0-based). */
  index: number;
  /** Offset of the first byte. */
  start: number;
  /** Offset just after the header section, when it was seen whole. */
  headerEnd: number | null;
  /** Offset just after the last byte, when known. */
  end: number | null;
  startTs: bigint;
  /** Time of the segment holding the last byte seen of the message. */
  endTs: bigint;
  version: string | null;
  method: string | null;
  target: string | null;
  status: number | null;
  reason: string | null;
  headers: HttpHeader[];
  framing: Framing;
  /** Content-Length as declared, when it was valid. */
  declaredLength: number | null;
  /** Body bytes moved (captured or not). */
  bodyBytes: number;
  /** The message was framed to its end. */
  complete: boolean;
  /** Some bytes of the message were not captured. */
  truncated: boolean;
  /** Bytes of the message that were captured / moved. */
  capturedBytes: number;
  totalBytes: number;
  /** A 1xx interim response. */
  interim: boolean;
  diagnostics: HttpDiagnostic[];
}

export interface ParserOptions {
  /**
   * For a response parser: the method of the request the next final response answers, or null
   * when unknown. Called once per final response, in order (pipelining answers in order).
   */
  nextRequestMethod?: () => string | null;
}

/**
 * Header sections above this are a diagnostic: what proxies and servers hold by default (HAProxy's
 * 16 KiB buffer, less what it keeps for rewrites, refuses more; Node.js's limit is 16 KiB; nginx
 * takes 8 KiB a line, Apache 8,190 bytes a field). docs/cli.md says the same.
 */
export const LARGE_HEADER_SECTION = 16 * 1024;
/**
 * Past this, a "header section" is not one: stop looking for its end and resynchronise. It bounds
 * the parser's own work, not what is diagnosed (LARGE_HEADER_SECTION is): a section between the
 * two is still parsed, and its body framed.
 */
const MAX_HEADER_SECTION = 256 * 1024;
/** The limit as the diagnostics say it. */
const LARGE_HEADER_TEXT = `${formatCount(LARGE_HEADER_SECTION)} (16 KiB) that proxies hold by default (HAProxy's buffer; nginx takes 8 KiB a line)`;
/** Content-Length values above this cannot be counted exactly, and no body is that long. */
const MAX_CONTENT_LENGTH = Number.MAX_SAFE_INTEGER;
/** How much of a hostile line a diagnostic keeps (the message is one line, the line a sample). */
const LINE_SAMPLE = 200;

type Mode =
  | { at: 'start' }
  | { at: 'headers' }
  | { at: 'body-length'; until: number }
  | { at: 'chunk-size' }
  | { at: 'chunk-data'; until: number }
  | { at: 'chunk-crlf' }
  | { at: 'trailers' }
  | { at: 'body-close' }
  | { at: 'resync' }
  | { at: 'opaque' };

type LineResult =
  | { kind: 'line'; text: string; start: number; next: number; bareLf: boolean }
  | { kind: 'hole'; at: number; partial: string }
  /** No LF within MAX_HEADER_SECTION of the line's start: `partial` is its first bytes. */
  | { kind: 'too-long'; partial: string }
  | { kind: 'need-more' };

export class HttpDirectionParser {
  private readonly segments: HttpSegment[] = [];
  /** Offset up to which segments have told us something (captured or not). */
  private received = 0;
  private pos = 0;
  private mode: Mode = { at: 'start' };
  private current: HttpMessage | null = null;
  /** The last complete message, held back so that bytes following it can be blamed on it. */
  private held: HttpMessage | null = null;
  private count = 0;
  private started = false;

  constructor(
    readonly kind: 'request' | 'response',
    private readonly emit: (message: HttpMessage) => void,
    private readonly options: ParserOptions = {},
  ) {}

  push(segment: HttpSegment): void {
    if (segment.length <= 0) return;
    if (!this.started) {
      this.started = true;
      this.pos = segment.offset;
    }
    if (segment.offset + segment.length <= this.pos) return; // entirely behind us (a retransmission)
    this.segments.push(segment);
    this.received = Math.max(this.received, segment.offset + segment.length);
    this.run();
  }

  /**
   * Whether the parser still holds this segment, the last one pushed, once the push is done: its
   * bytes are still to be read. A caller that pushed bytes it does not own (a reader's buffer) can
   * then put a copy in the segment's `data`; the parser keeps no other reference to them.
   */
  holds(segment: HttpSegment): boolean {
    return this.segments.length > 0 && this.segments[this.segments.length - 1] === segment;
  }

  /**
   * Whether the parser will look at the bytes of a segment at [offset, offset + length): not when
   * the segment lies wholly inside a body being counted, so a caller can skip fetching them.
   */
  needsBytes(offset: number, length: number): boolean {
    if (!this.started) return true;
    const mode = this.mode;
    if (mode.at === 'opaque' || mode.at === 'body-close') return false;
    if ((mode.at === 'body-length' || mode.at === 'chunk-data') && offset >= this.pos && offset + length <= mode.until) return false;
    return true;
  }

  end(how: DirectionEnd): void {
    this.run();
    const m = this.current;
    if (m) {
      const mode = this.mode;
      // A close-delimited body is whole exactly when the connection closed.
      if (mode.at === 'body-close') this.finishCurrent(how === 'closed');
      else if (how === 'closed' && (mode.at === 'body-length' || mode.at === 'chunk-data')) {
        const missing = mode.until - this.received;
        const got = this.received - (m.headerEnd ?? this.received);
        const of = m.framing === 'content-length' ? `${got} of ${m.declaredLength} body bytes received` : 'inside a chunk';
        this.diagnose(m, D.emit('body-truncated', { detail: `${missing} byte${missing === 1 ? '' : 's'} before the end of the body (${of})` }), this.received, '');
      } else if (how === 'closed' && (mode.at === 'chunk-size' || mode.at === 'chunk-crlf' || mode.at === 'trailers')) {
        this.diagnose(m, D.emit('body-truncated', { detail: 'before the last chunk of the chunked body' }), this.received, '');
      }
      this.finishCurrent(false);
    }
    this.flushHeld();
  }

  // ----- the state machine -----

  private run(): void {
    for (;;) {
      const progressed = this.step();
      this.dropConsumed();
      if (!progressed) return;
    }
  }

  /** One step of parsing; false when more input is needed. */
  private step(): boolean {
    const mode = this.mode;
    switch (mode.at) {
      case 'start':
        return this.stepStart();
      case 'headers':
        return this.stepHeaders();
      case 'body-length':
      case 'chunk-data': {
        const reached = this.advanceTo(mode.until);
        if (!reached) return false;
        if (mode.at === 'body-length') this.finishCurrent(true);
        else this.mode = { at: 'chunk-crlf' };
        return true;
      }
      case 'chunk-size':
        return this.stepChunkSize();
      case 'chunk-crlf':
        return this.stepChunkCrlf();
      case 'trailers':
        return this.stepTrailers();
      case 'body-close':
        return this.advanceTo(this.received) && false;
      case 'resync':
        return this.stepResync();
      case 'opaque':
        this.pos = this.received;
        return false;
    }
  }

  private stepStart(): boolean {
    if (this.pos >= this.received) return false;
    const b = this.byteAt(this.pos);
    if (b === 'hole') {
      this.mode = { at: 'resync' };
      return true;
    }
    if (b === 'need-more') return false;
    // RFC 9112 §2.2: a recipient SHOULD ignore at least one empty line before a request line.
    if (this.kind === 'request' && (b === 0x0d || b === 0x0a)) {
      this.pos++;
      return true;
    }
    const line = this.readLine(this.pos);
    if (line.kind === 'need-more') return false;
    if (line.kind === 'too-long') {
      const m = this.beginMessage(this.pos);
      this.diagnose(m, this.sectionTooLarge(), m.start, line.partial);
      this.finishCurrent(false);
      this.mode = { at: 'resync' };
      this.pos++;
      return true;
    }
    if (line.kind === 'hole') {
      // The start line itself was cut short: keep what it says, if it says enough.
      const m = this.beginMessage(this.pos);
      m.truncated = true;
      if (this.kind === 'request') m.method = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) /.exec(line.partial)?.[1] ?? null;
      else m.status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(line.partial)?.[1] ?? NaN) || null;
      this.pos = line.at;
      this.finishCurrent(false);
      this.mode = { at: 'resync' };
      return true;
    }
    if (this.count === 0 && guessProtocol(enc(line.text)) !== (this.kind === 'request' ? 'http1-request' : 'http1-response')) {
      // The direction's first bytes are not a message start: the capture began mid-message.
      // Find the first real message without blaming anyone.
      this.mode = { at: 'resync' };
      this.pos = line.start + 1;
      return true;
    }
    if (this.kind === 'request') {
      const parsed = parseRequestLine(line.text);
      if ('error' in parsed) return this.garbage(line, D.emit('invalid-request-line', { error: parsed.error }));
      const m = this.beginMessage(line.start);
      m.method = parsed.ok.method;
      m.target = parsed.ok.target;
      m.version = parsed.ok.version;
    } else {
      const parsed = parseStatusLine(line.text);
      if ('error' in parsed) {
        if (!/^HTTP\//.test(line.text)) return this.garbage(line, D.emit('unexpected-bytes', { kind: this.kind === 'response' ? 'response' : 'request' }));
        return this.garbage(line, D.emit(parsed.badCode ? 'invalid-status-code' : 'invalid-status-line', { error: parsed.error }));
      }
      const m = this.beginMessage(line.start);
      m.version = parsed.ok.version;
      m.status = parsed.ok.status;
      m.reason = parsed.ok.reason;
      m.interim = parsed.ok.status >= 100 && parsed.ok.status < 200;
    }
    if (line.bareLf) this.diagnose(this.current!, D.emit('bare-lf', { line: 'the start line' }), line.start, line.text);
    this.pos = line.next;
    this.mode = { at: 'headers' };
    return true;
  }

  /** Bytes where a message should start but none does. */
  private garbage(line: { text: string; start: number }, d: EmittedHttpDiagnostic): boolean {
    const blame = this.held;
    if (d.code === 'http.unexpected-bytes') {
      // Only after a complete message is this a fault of the peer; at the start it is the capture.
      if (blame) this.diagnose(blame, d, line.start, line.text);
    } else {
      const m = this.beginMessage(line.start);
      this.diagnose(m, d, line.start, line.text);
      this.finishCurrent(false);
    }
    this.mode = { at: 'resync' };
    this.pos = line.start + 1;
    return true;
  }

  private stepHeaders(): boolean {
    const m = this.current!;
    for (;;) {
      const line = this.pos - m.start > MAX_HEADER_SECTION ? ({ kind: 'too-long', partial: '' } as const) : this.readLine(this.pos);
      if (line.kind === 'need-more') return false;
      if (line.kind === 'too-long') {
        this.diagnose(m, this.sectionTooLarge(), m.start, line.partial);
        this.finishCurrent(false);
        this.mode = { at: 'resync' };
        return true;
      }
      if (line.kind === 'hole') {
        // The rest of the header section was not captured: what framing it declared is unknown.
        m.truncated = true;
        this.finishCurrent(false);
        this.mode = { at: 'resync' };
        return true;
      }
      if (line.bareLf) this.diagnose(m, D.emit('bare-lf', { line: 'a header line' }), line.start, line.text);
      this.pos = line.next;
      if (line.text === '') {
        m.headerEnd = line.next;
        if (m.headerEnd - m.start > LARGE_HEADER_SECTION) {
          this.diagnose(m, D.emit('header-section-too-large', { detail: `the header section is ${formatCount(m.headerEnd - m.start)} bytes, over the ${LARGE_HEADER_TEXT}` }), m.start, '');
        }
        this.beginBody(m);
        return true;
      }
      this.headerLine(m, line.text, line.start);
    }
  }

  /** A header section with no end within MAX_HEADER_SECTION: the parser reads on from the next message. */
  private sectionTooLarge(): EmittedHttpDiagnostic {
    const detail = `the header section runs past ${formatCount(MAX_HEADER_SECTION)} bytes without ending, over the ${LARGE_HEADER_TEXT}; read on from the next message`;
    return D.emit('header-section-too-large', { detail });
  }

  private headerLine(m: HttpMessage, text: string, offset: number): void {
    if (text.startsWith(' ') || text.startsWith('\t')) {
      this.diagnose(m, D.emit('obs-fold'), offset, text);
      const last = m.headers.at(-1);
      if (last) last.value = `${last.value} ${text.trim()}`;
      return;
    }
    const field = parseFieldLine(text);
    const p = field.problem;
    if (p) {
      switch (p.kind) {
        case 'missing-colon':
          this.diagnose(m, D.emit('missing-colon'), offset, text);
          return;
        case 'space-before-colon':
          this.diagnose(m, D.emit('space-before-colon', { name: p.name }), offset, text);
          break;
        case 'invalid-field-name': {
          const ch = p.name[p.column];
          const what = ch === undefined ? 'is empty' : `contains ${describeChar(ch)} at position ${p.column + 1}, which a token may not`;
          this.diagnose(m, D.emit('invalid-field-name', { name: p.name, what }), offset + p.column, text);
          break;
        }
        case 'invalid-field-value':
          this.diagnose(m, D.emit('invalid-field-value', { name: p.name, character: describeChar(text[p.column] ?? '') }), offset + p.column, text);
          break;
      }
    }
    m.headers.push({ name: field.name, value: field.value, offset });
  }

  private beginBody(m: HttpMessage): void {
    const te: HttpHeader[] = [];
    const cl: HttpHeader[] = [];
    // One pass over the headers, the names compared only where the length allows.
    for (const h of m.headers) {
      const n = h.name.length;
      if (n === 17 && h.name.toLowerCase() === 'transfer-encoding') te.push(h);
      else if (n === 14 && h.name.toLowerCase() === 'content-length') cl.push(h);
    }
    let length: number | null = null;
    let lengthInvalid = false;
    if (cl.length === 1 && isShortDigits(cl[0]!.value)) {
      // One Content-Length of plain digits, as almost every message has: what the checks below
      // would find (a number, not huge, no conflict, no duplicate) without splitting it.
      length = Number(cl[0]!.value);
    } else if (cl.length > 0) {
      const values = cl.flatMap((h) => h.value.split(',').map((v) => v.trim()));
      const bad = values.find((v) => !/^\d+$/.test(v));
      // Counted as digits: Number() of 23 of them is 1e+23, neither exact nor printable as a count.
      const huge = values.find((v) => v.replace(/^0+/, '').length > 16 || Number(v) > MAX_CONTENT_LENGTH);
      if (bad !== undefined) {
        lengthInvalid = true;
        this.diagnose(m, D.emit('invalid-content-length', { detail: `Content-Length ${quotedSample(bad)} is not a number` }), cl[0]!.offset, `Content-Length: ${cl[0]!.value}`);
      } else if (huge !== undefined) {
        lengthInvalid = true;
        const detail = `Content-Length ${quotedSample(huge)} is beyond ${formatCount(MAX_CONTENT_LENGTH)} bytes, longer than any body can be`;
        this.diagnose(m, D.emit('invalid-content-length', { detail }), cl[0]!.offset, `Content-Length: ${cl[0]!.value}`);
      } else if (new Set(values.map(Number)).size > 1) {
        lengthInvalid = true;
        this.diagnose(m, D.emit('invalid-content-length', { detail: `conflicting Content-Length values: ${values.join(', ')}` }), cl[1]?.offset ?? cl[0]!.offset, `Content-Length: ${(cl[1] ?? cl[0])!.value}`);
      } else {
        length = Number(values[0]);
        if (values.length > 1) this.diagnose(m, D.emit('duplicate-content-length'), (cl[1] ?? cl[0])!.offset, `Content-Length: ${(cl[1] ?? cl[0])!.value}`);
      }
    }
    if (te.length > 0 && cl.length > 0) {
      this.diagnose(m, D.emit('content-length-with-transfer-encoding'), cl[0]!.offset, `Content-Length: ${cl[0]!.value}`);
    }
    const codings = te.flatMap((h) => h.value.split(',').map((v) => v.trim().toLowerCase())).filter(Boolean);
    const chunked = codings.at(-1) === 'chunked';

    let framing: Framing;
    if (m.kind === 'response') {
      const method = m.interim ? null : (this.options.nextRequestMethod?.() ?? null);
      const status = m.status!;
      if (status === 101 || (method === 'CONNECT' && status >= 200 && status < 300)) framing = 'tunnel';
      else if (m.interim || status === 204 || status === 304 || method === 'HEAD') framing = 'none';
      else if (te.length > 0) framing = chunked ? 'chunked' : 'close';
      else if (lengthInvalid) framing = 'unknown';
      else framing = length !== null ? 'content-length' : 'close';
    } else if (te.length > 0) {
      if (!chunked) this.diagnose(m, D.emit('unsupported-transfer-encoding', { codings: te.map((h) => h.value).join(', ') }), te[0]!.offset, `Transfer-Encoding: ${te[0]!.value}`);
      framing = chunked ? 'chunked' : 'unknown';
    } else framing = lengthInvalid ? 'unknown' : length !== null ? 'content-length' : 'none';

    m.framing = framing;
    m.declaredLength = length;
    switch (framing) {
      case 'content-length':
        if (length === 0) this.finishCurrent(true);
        else this.mode = { at: 'body-length', until: this.pos + length! };
        return;
      case 'chunked':
        this.mode = { at: 'chunk-size' };
        return;
      case 'close':
        this.mode = { at: 'body-close' };
        return;
      case 'none':
        this.finishCurrent(true);
        return;
      case 'tunnel':
        this.finishCurrent(true);
        this.mode = { at: 'opaque' };
        return;
      case 'unknown':
        this.finishCurrent(false);
        this.mode = { at: 'resync' };
        return;
    }
  }

  private stepChunkSize(): boolean {
    const m = this.current!;
    const line = this.readLine(this.pos);
    if (line.kind === 'need-more') return false;
    if (line.kind === 'hole') return this.lostInBody(m);
    if (line.kind === 'too-long') {
      this.diagnose(m, D.emit('invalid-chunk-size', { text: line.partial.slice(0, 40) }), this.pos, line.partial);
      this.finishCurrent(false);
      this.mode = { at: 'resync' };
      return true;
    }
    const sizeText = line.text.split(';', 1)[0]!.replace(/[ \t]+$/, '');
    if (!/^[0-9A-Fa-f]{1,15}$/.test(sizeText)) {
      this.diagnose(m, D.emit('invalid-chunk-size', { text: line.text.slice(0, 40) }), line.start, line.text);
      this.finishCurrent(false);
      this.mode = { at: 'resync' };
      this.pos = line.next;
      return true;
    }
    const size = parseInt(sizeText, 16);
    this.pos = line.next;
    if (size === 0) this.mode = { at: 'trailers' };
    else this.mode = { at: 'chunk-data', until: this.pos + size };
    return true;
  }

  private stepChunkCrlf(): boolean {
    const m = this.current!;
    const line = this.readLine(this.pos);
    if (line.kind === 'need-more') return false;
    if (line.kind === 'hole') return this.lostInBody(m);
    if (line.kind === 'too-long' || line.text !== '') {
      this.diagnose(m, D.emit('missing-chunk-terminator'), this.pos, line.kind === 'too-long' ? line.partial : line.text);
      this.finishCurrent(false);
      this.mode = { at: 'resync' };
      return true;
    }
    this.pos = line.next;
    this.mode = { at: 'chunk-size' };
    return true;
  }

  private stepTrailers(): boolean {
    const m = this.current!;
    for (;;) {
      const line = this.readLine(this.pos);
      if (line.kind === 'need-more') return false;
      if (line.kind === 'hole') return this.lostInBody(m);
      if (line.kind === 'too-long') {
        this.diagnose(m, this.sectionTooLarge(), this.pos, line.partial);
        this.finishCurrent(false);
        this.mode = { at: 'resync' };
        return true;
      }
      this.pos = line.next;
      if (line.text === '') {
        this.finishCurrent(true);
        return true;
      }
      this.headerLine(m, line.text, line.start);
    }
  }

  /** Chunk framing ran into missing bytes: the message ends somewhere we cannot see. */
  private lostInBody(m: HttpMessage): boolean {
    m.truncated = true;
    this.finishCurrent(false);
    this.mode = { at: 'resync' };
    return true;
  }

  private stepResync(): boolean {
    const from = this.pos;
    const next = this.segments.find((seg) => seg.offset >= from && this.looksLikeStart(seg));
    if (!next) {
      // Segments arrive in order: none received so far can hold the next start.
      this.pos = Math.max(this.pos, this.received);
      return false;
    }
    this.pos = next.offset;
    this.mode = { at: 'start' };
    return true;
  }

  /** Whether a message seems to start at this segment (looking across the next ones if it is short). */
  private looksLikeStart(segment: HttpSegment): boolean {
    const guess = guessProtocol(this.peekCaptured(segment.offset, 64));
    return this.kind === 'request' ? guess === 'http1-request' : guess === 'http1-response';
  }

  /** Up to `n` captured bytes from `from`, across contiguous segments, stopping at a hole. */
  private peekCaptured(from: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    let at = from;
    for (const seg of this.segments) {
      if (filled >= n) break;
      if (seg.offset + seg.length <= at) continue;
      if (seg.offset > at) break;
      const piece = seg.data.subarray(at - seg.offset, Math.min(seg.data.length, at - seg.offset + n - filled));
      out.set(piece, filled);
      filled += piece.length;
      at += piece.length;
      if (at < seg.offset + seg.length) break; // the rest of this segment was not captured
    }
    return out.subarray(0, filled);
  }

  // ----- messages -----

  private beginMessage(start: number): HttpMessage {
    this.flushHeld();
    const m: HttpMessage = {
      kind: this.kind,
      index: this.count++,
      start,
      headerEnd: null,
      end: null,
      startTs: this.tsAt(start),
      endTs: this.tsAt(start),
      version: null,
      method: null,
      target: null,
      status: null,
      reason: null,
      headers: [],
      framing: 'unknown',
      declaredLength: null,
      bodyBytes: 0,
      complete: false,
      truncated: false,
      capturedBytes: 0,
      totalBytes: 0,
      interim: false,
      diagnostics: [],
    };
    this.current = m;
    this.accountedTo = start;
    return m;
  }

  private finishCurrent(complete: boolean): void {
    const m = this.current;
    if (!m) return;
    this.current = null;
    const end = Math.max(this.pos, m.headerEnd ?? m.start);
    this.account(m, end);
    m.complete = complete;
    m.end = complete ? end : null;
    m.bodyBytes = m.headerEnd === null ? 0 : Math.max(0, end - m.headerEnd);
    if (m.capturedBytes < m.totalBytes) m.truncated = true;
    if (complete) {
      this.held = m;
      if (this.mode.at !== 'opaque' && this.mode.at !== 'resync') this.mode = { at: 'start' };
    } else {
      this.emit(m);
    }
  }

  private flushHeld(): void {
    if (this.held) {
      this.emit(this.held);
      this.held = null;
    }
  }

  private diagnose(m: HttpMessage, d: EmittedHttpDiagnostic, offset: number, line: string): void {
    // A message whose lines all end in bare LF says so once, at the first.
    if (d.code === 'http.bare-lf' && m.diagnostics.some((x) => x.code === 'bare-lf')) return;
    m.diagnostics.push(httpDiagnostic(d, offset, line));
  }

  // ----- bytes -----

  /**
   * Adds to the message's byte counts the range from where its accounting stopped up to `to`:
   * moved bytes (total), the captured part of them, and the time of the last segment involved.
   * Done as segments are dropped, so a body of any size is counted without being kept.
   */
  private account(m: HttpMessage, to: number): void {
    const from = this.accountedTo;
    if (to <= from) return;
    for (const seg of this.segments) {
      const lo = Math.max(from, seg.offset);
      const hi = Math.min(to, seg.offset + seg.length);
      if (hi <= lo) continue;
      m.capturedBytes += Math.max(0, Math.min(hi, seg.offset + seg.data.length) - lo);
      m.endTs = seg.ts;
    }
    m.totalBytes += to - from; // gaps between segments are moved bytes nobody captured
    this.accountedTo = to;
  }

  /**
   * Where the open message's accounting stopped. Only the open message is ever accounted
   * (dropConsumed, finishCurrent), so one number is enough, set as each message begins.
   */
  private accountedTo = 0;

  private byteAt(offset: number): number | 'hole' | 'need-more' {
    if (offset >= this.received) return 'need-more';
    for (const s of this.segments) {
      if (offset < s.offset) return 'hole';
      if (offset < s.offset + s.length) return offset < s.offset + s.data.length ? s.data[offset - s.offset]! : 'hole';
    }
    return 'hole';
  }

  /** The line starting at `from`, up to and including its LF. */
  private readLine(from: number): LineResult {
    let text = '';
    let at = from;
    for (const s of this.segments) {
      const segEnd = s.offset + s.length;
      if (segEnd <= at) continue;
      if (s.offset > at) return { kind: 'hole', at, partial: text };
      const capturedEnd = s.offset + s.data.length;
      if (at >= capturedEnd) return { kind: 'hole', at, partial: text };
      if (at === from) {
        // The line within one segment, as almost every line is: decoded once, without its CR.
        const i = at - s.offset;
        const lf = s.data.indexOf(0x0a, i);
        if (lf >= 0 && lf - i <= MAX_HEADER_SECTION) {
          const bareLf = lf === i || s.data[lf - 1] !== 0x0d;
          return { kind: 'line', text: latin1Range(s.data, i, bareLf ? lf : lf - 1), start: from, next: s.offset + lf + 1, bareLf };
        }
      }
      // A line never runs past MAX_HEADER_SECTION: look no further than that for its end.
      const slice = s.data.subarray(at - s.offset, Math.min(s.data.length, at - s.offset + MAX_HEADER_SECTION + 1 - (at - from)));
      const lf = slice.indexOf(0x0a);
      if (lf >= 0) {
        text += latin1(slice.subarray(0, lf));
        const bareLf = !text.endsWith('\r');
        if (!bareLf) text = text.slice(0, -1);
        return { kind: 'line', text, start: from, next: at + lf + 1, bareLf };
      }
      if (at + slice.length < capturedEnd) return { kind: 'too-long', partial: (text + latin1(slice.subarray(0, LINE_SAMPLE))).slice(0, LINE_SAMPLE) };
      text += latin1(slice);
      at = capturedEnd;
      if (capturedEnd < segEnd) return { kind: 'hole', at, partial: text };
      if (at - from > MAX_HEADER_SECTION) return { kind: 'too-long', partial: text.slice(0, LINE_SAMPLE) };
    }
    return at < this.received ? { kind: 'hole', at, partial: text } : { kind: 'need-more' };
  }

  /** Moves the position to `target` (or as far as has been received); true once there. */
  private advanceTo(target: number): boolean {
    const reach = Math.min(target, this.received);
    if (reach > this.pos) this.pos = reach;
    return this.pos >= target;
  }

  private tsAt(offset: number): bigint {
    for (const s of this.segments) if (offset < s.offset + s.length) return s.ts;
    return this.segments.at(-1)?.ts ?? 0n;
  }

  /** Forgets segments wholly behind the position, after counting them into the open message. */
  private dropConsumed(): void {
    if (this.current) this.account(this.current, Math.max(this.current.start, this.pos));
    while (this.segments.length > 0) {
      const first = this.segments[0]!;
      if (first.offset + first.length > this.pos) break;
      this.segments.shift();
    }
  }
}

/** 1 to 15 ASCII digits: a Content-Length exact as a number and far below MAX_CONTENT_LENGTH. */
function isShortDigits(value: string): boolean {
  if (value.length === 0 || value.length > 15) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function enc(text: string): Uint8Array {
  const out = new Uint8Array(Math.min(text.length, 64));
  for (let i = 0; i < out.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function describeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (code < 0x20 || code === 0x7f) return `the control character 0x${code.toString(16).padStart(2, '0')}`;
  return `'${ch}'`;
}

/** A value from the wire in quotes for a one-line message: its first 40 characters, controls escaped. */
function quotedSample(value: string): string {
  const sample = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `'${sample.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}
