// The HTTP/1.x diagnostics capscope reports, like Wireshark's expert info but each pinned to the
// exact byte of its stream and quoting the offending line. Codes are a public contract (they appear
// in `capscope http --json` without the catalogue's `http.` prefix): add, never rename.
//
// Severity: what breaks or endangers message framing is an error. A template's one-word
// placeholder ({detail}) stands for a code whose wording varies with what was found.

import { defineDiagnostics, type Diagnostic } from '../../common/diagnostics';

export const HTTP_DIAGNOSTICS = defineDiagnostics('http', {
  'invalid-field-name': { severity: 'error', group: 'malformed', template: "the field name '{name}' is not a token: it {what} (RFC 9110 §5.1)" },
  'space-before-colon': { severity: 'error', group: 'malformed', template: "whitespace between the field name '{name}' and the colon (RFC 9112 §5.1)" },
  'missing-colon': { severity: 'error', group: 'malformed', template: 'a header line without a colon' },
  'obs-fold': { severity: 'warning', group: 'protocol', template: 'obsolete line folding: a header line starts with whitespace (RFC 9112 §5.2)' },
  'bare-lf': { severity: 'warning', group: 'protocol', template: '{line} ends in a bare LF instead of CRLF' },
  'invalid-request-line': { severity: 'error', group: 'malformed', template: 'invalid request line: {error}' },
  'invalid-status-line': { severity: 'error', group: 'malformed', template: 'invalid status line: {error}' },
  'invalid-status-code': { severity: 'error', group: 'malformed', template: 'invalid status line: {error}' },
  'invalid-field-value': { severity: 'error', group: 'malformed', template: "the value of '{name}' contains {character} (RFC 9110 §5.5)" },
  'duplicate-content-length': { severity: 'warning', group: 'protocol', template: 'Content-Length is given more than once' },
  'invalid-content-length': { severity: 'error', group: 'malformed', template: '{detail}' },
  'content-length-with-transfer-encoding': {
    severity: 'error',
    group: 'protocol',
    template: 'both Content-Length and Transfer-Encoding: a proxy and a server may frame this message differently (RFC 9112 §6.3)',
  },
  'unsupported-transfer-encoding': { severity: 'error', group: 'malformed', template: "a request's Transfer-Encoding must end in chunked, this one is '{codings}'" },
  'invalid-chunk-size': { severity: 'error', group: 'malformed', template: "'{text}' is not a chunk size (hexadecimal digits)" },
  'missing-chunk-terminator': { severity: 'error', group: 'malformed', template: 'the chunk data is not followed by CRLF: the chunk is longer than its size says' },
  'body-truncated': { severity: 'error', group: 'truncated', template: 'the connection closed {detail}' },
  'unexpected-bytes': {
    severity: 'error',
    group: 'malformed',
    template: 'bytes after the end of the {kind} do not start a new message (the body is longer than its framing says, or the message is corrupt)',
  },
  'header-section-too-large': { severity: 'warning', group: 'protocol', template: '{detail}' },
});

type Definitions = typeof HTTP_DIAGNOSTICS.definitions;

export type HttpDiagnosticCode = keyof Definitions;

export type HttpSeverity = Definitions[HttpDiagnosticCode]['severity'];

/** What HTTP_DIAGNOSTICS.emit gives. */
export type EmittedHttpDiagnostic = Diagnostic<`http.${HttpDiagnosticCode}`>;

export interface HttpDiagnostic {
  code: HttpDiagnosticCode;
  severity: HttpSeverity;
  /** Offset, in this direction of the stream, of the byte the diagnostic is about. */
  offset: number;
  /** The offending line as captured (latin1, without its line ending); '' when not about a line. */
  line: string;
  message: string;
}

/** The diagnostic an exchange carries: its public code is the catalogue's name, without `http.`. */
export function httpDiagnostic(d: EmittedHttpDiagnostic, offset: number, line: string): HttpDiagnostic {
  const code = d.code.slice('http.'.length) as HttpDiagnosticCode;
  return { code, severity: HTTP_DIAGNOSTICS.definitions[code].severity, offset, line, message: d.message };
}
