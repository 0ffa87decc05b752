// The HTTP/1.x diagnostics capscope reports, like Wireshark's expert info but each pinned to the
// exact byte of its stream and quoting the offending line. Codes are a public contract (they appear
// in `capscope http --json`): add, never rename.

export type HttpDiagnosticCode =
  | 'invalid-field-name'
  | 'space-before-colon'
  | 'missing-colon'
  | 'obs-fold'
  | 'bare-lf'
  | 'invalid-request-line'
  | 'invalid-status-line'
  | 'invalid-status-code'
  | 'invalid-field-value'
  | 'duplicate-content-length'
  | 'invalid-content-length'
  | 'content-length-with-transfer-encoding'
  | 'unsupported-transfer-encoding'
  | 'invalid-chunk-size'
  | 'missing-chunk-terminator'
  | 'body-truncated'
  | 'unexpected-bytes'
  | 'header-section-too-large';

export type HttpSeverity = 'error' | 'warning';

export interface HttpDiagnostic {
  code: HttpDiagnosticCode;
  severity: HttpSeverity;
  /** Offset, in this direction of the stream, of the byte the diagnostic is about. */
  offset: number;
  /** The offending line as captured (latin1, without its line ending); '' when not about a line. */
  line: string;
  message: string;
}

/** Severity per code: what breaks or endangers message framing is an error. */
export const SEVERITY: Record<HttpDiagnosticCode, HttpSeverity> = {
  'invalid-field-name': 'error',
  'space-before-colon': 'error',
  'missing-colon': 'error',
  'obs-fold': 'warning',
  'bare-lf': 'warning',
  'invalid-request-line': 'error',
  'invalid-status-line': 'error',
  'invalid-status-code': 'error',
  'invalid-field-value': 'error',
  'duplicate-content-length': 'warning',
  'invalid-content-length': 'error',
  'content-length-with-transfer-encoding': 'error',
  'unsupported-transfer-encoding': 'error',
  'invalid-chunk-size': 'error',
  'missing-chunk-terminator': 'error',
  'body-truncated': 'error',
  'unexpected-bytes': 'error',
  'header-section-too-large': 'warning',
};
