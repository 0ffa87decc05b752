// The HTTP/2 and gRPC diagnostics capscope reports, each pinned to the byte of its direction where
// the frame (or header block, or message) it is about begins. Codes are a public contract like the
// HTTP/1 ones (`capscope http --json` shows them without the `http2.` prefix): add, never rename.

import { defineDiagnostics } from '../../common/diagnostics';

export const HTTP2_DIAGNOSTICS = defineDiagnostics('http2', {
  'frame-size-error': { severity: 'error', group: 'malformed', template: 'a {type} frame of {length} octets: {rule} (RFC 9113 §4.2, FRAME_SIZE_ERROR)' },
  'protocol-error': { severity: 'error', group: 'malformed', template: '{detail} (RFC 9113, PROTOCOL_ERROR)' },
  'headers-on-closed-stream': { severity: 'error', group: 'protocol', template: 'a HEADERS frame on stream {stream}, which {why} (RFC 9113 §5.1, STREAM_CLOSED)' },
  'data-after-end-stream': { severity: 'error', group: 'protocol', template: 'a DATA frame on stream {stream} after its END_STREAM (RFC 9113 §5.1, STREAM_CLOSED)' },
  'invalid-pseudo-header': { severity: 'error', group: 'malformed', template: 'the {block} of stream {stream}: {detail} (RFC 9113 §8.3)' },
  'hpack-error': { severity: 'error', group: 'malformed', template: 'the header block of stream {stream} cannot be decoded: {detail} (RFC 7541, COMPRESSION_ERROR)' },
  'header-block-undecodable': {
    severity: 'warning',
    group: 'truncated',
    template: 'the header block of stream {stream}: {count} {count:field refers|fields refer} to dynamic-table entries the capture did not see {why}',
  },
  'header-block-lost': { severity: 'warning', group: 'truncated', template: 'the header block of stream {stream} was not captured whole: its fields are unknown' },
  'lost-sync': { severity: 'warning', group: 'truncated', template: 'bytes missing from the capture where a frame header was due: frames are read again from byte {resumed}' },
  'lost-sync-end': { severity: 'warning', group: 'truncated', template: 'bytes missing from the capture where a frame header was due: no frame could be read after it' },
  'grpc-message-longer-than-frames': {
    severity: 'error',
    group: 'malformed',
    template: 'a gRPC message of stream {stream} declares {length} octets, but the stream ended {missing} {missing:octet|octets} short of it',
  },
});

type Definitions = typeof HTTP2_DIAGNOSTICS.definitions;
export type Http2DiagnosticCode = keyof Definitions;

export interface Http2Diagnostic {
  code: Http2DiagnosticCode;
  severity: 'info' | 'warning' | 'error';
  /** Offset in the direction of the frame, block or message it is about. */
  offset: number;
  /** What lies there, in a few words (the frame's type and stream). */
  line: string;
  message: string;
}

type Values<N extends Http2DiagnosticCode> = Parameters<typeof HTTP2_DIAGNOSTICS.emit<N>>[1];

export function http2Diagnostic<N extends Http2DiagnosticCode>(name: N, offset: number, line: string, values: Values<N>): Http2Diagnostic {
  const d = (HTTP2_DIAGNOSTICS.emit as (n: string, v: unknown) => { message: string; severity: 'info' | 'warning' | 'error' })(name, values);
  return { code: name, severity: d.severity, offset, line, message: d.message };
}
