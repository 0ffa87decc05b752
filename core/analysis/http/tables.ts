// The HTTP analysis's tables: what each stream carries, the exchanges read from them (HTTP/1 and
// HTTP/2, gRPC calls among them) and what was wrong with them, and HTTP/2 connections' GOAWAYs. Filled after ingest from the streams and chunks tables alone, so they are the
// same for syscall and network captures.

import type { TableDeclaration } from '../../index/schema/declaration';

/** What each stream carries, detected from its first bytes (not its port). */
const streamProtocols: TableDeclaration = {
  name: 'stream_protocols',
  columns: [
    ['stream_id', 'INTEGER PRIMARY KEY REFERENCES streams (id) ON DELETE CASCADE', 'the stream'],
    ['protocol', 'TEXT NOT NULL', "'http1', 'http2', 'tls', 'unknown'"],
  ],
};

/**
 * One request and its response. When one connection was captured from several places (both ends in
 * a syscall capture, or a pcap and a scap), it is one exchange built from the most complete view;
 * stream_id is the view the request was read from, response_stream_id the response's.
 */
const httpExchanges: TableDeclaration = {
  name: 'http_exchanges',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'the exchange, as findings name it'],
    ['stream_id', 'INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE', 'the view the request was read from'],
    ['response_stream_id', 'INTEGER REFERENCES streams (id) ON DELETE CASCADE', "the response's view"],
    ['views', 'INTEGER NOT NULL', 'how many captured views of the connection were stitched'],
    ['seq', 'INTEGER NOT NULL', 'order on the connection'],
    ['client', 'TEXT', "'addr:port'"],
    ['server', 'TEXT', "'addr:port'"],
    ['container_id', 'TEXT', "the server side's container, when known"],
    ['proc', 'TEXT', "the server side's process name, when known"],
    ['pid', 'INTEGER', "the server side's process, when known"],
    ['method', 'TEXT', 'GET, POST, ...'],
    ['target', 'TEXT', 'the request target'],
    ['host', 'TEXT', 'the Host header'],
    ['version', 'TEXT', "HTTP/1.0, HTTP/1.1, HTTP/2"],
    ['status', 'INTEGER', 'NULL: no response seen'],
    ['reason', 'TEXT', 'the reason phrase'],
    ['req_ts', 'INTEGER', 'ns: first request byte'],
    ['resp_ts', 'INTEGER', 'ns: first response byte'],
    ['resp_end_ts', 'INTEGER', 'ns: last response byte'],
    ['req_start', 'INTEGER', "offsets in their directions of their streams"],
    ['req_end', 'INTEGER', "end of the request"],
    ['resp_start', 'INTEGER', 'start of the response'],
    ['resp_end', 'INTEGER', 'end of the response'],
    ['req_bytes', 'INTEGER NOT NULL', 'request bytes moved'],
    ['resp_bytes', 'INTEGER NOT NULL', 'response bytes moved'],
    ['req_complete', 'INTEGER NOT NULL', '1: the whole request was seen'],
    ['resp_complete', 'INTEGER NOT NULL', '1: the whole response was seen'],
    ['truncated', 'INTEGER NOT NULL', 'some bytes of either message were not captured'],
    ['req_headers', 'TEXT NOT NULL', 'JSON [[name, value], ...]'],
    ['resp_headers', 'TEXT NOT NULL', 'JSON [[name, value], ...]; an HTTP/2 response\'s trailers follow its headers'],
    ['http2_stream', 'INTEGER', 'the HTTP/2 stream id; NULL for HTTP/1'],
    ['http2_error', 'TEXT', "the HTTP/2 error that ended the stream: RST_STREAM's or a refusing GOAWAY's code (CANCEL, REFUSED_STREAM, ...)"],
    ['http2_error_by', 'TEXT', "'client' or 'server': who sent it"],
    ['http2_error_frame', 'TEXT', "'RST_STREAM' or 'GOAWAY'"],
    ['undecodable', 'INTEGER NOT NULL DEFAULT 0', 'HTTP/2 header fields that referred to HPACK entries the capture did not see'],
    ['grpc_service', 'TEXT', 'a gRPC call: the service of its :path (package.Service)'],
    ['grpc_method', 'TEXT', 'its method'],
    ['grpc_status', 'INTEGER', 'grpc-status, or the status the client saw for a stream reset or refused'],
    ['grpc_status_name', 'TEXT', 'OK, CANCELLED, UNKNOWN, ...'],
    ['grpc_status_from', 'TEXT', "'trailers', 'trailers-only', 'rst-stream', 'goaway'"],
    ['grpc_message', 'TEXT', 'grpc-message, percent-decoded'],
    ['grpc_req_messages', 'INTEGER', 'length-prefixed messages the client sent'],
    ['grpc_resp_messages', 'INTEGER', 'length-prefixed messages the server sent'],
    ['grpc_timeout_ns', 'INTEGER', 'grpc-timeout'],
    ['grpc_deadline_exceeded', 'INTEGER', '1: DEADLINE_EXCEEDED, or it ran past its grpc-timeout without succeeding'],
    ['grpc_messages', 'TEXT', "JSON [{side, dir, offset, length, compressed, complete, pieces: [[offset, length]]}] of the first messages each way: side 'request' (in stream_id) or 'response' (in response_stream_id), dir as chunks'"],
  ],
  indexes: [
    { name: 'http_exchanges_by_stream', columns: 'stream_id, seq' },
    { name: 'http_exchanges_by_time', columns: 'req_ts' },
    { name: 'http_exchanges_by_status', columns: 'status' },
    { name: 'http_exchanges_by_grpc', columns: 'grpc_service, grpc_method' },
  ],
};

/** GOAWAY frames, each the end of an HTTP/2 connection as one side announced it. */
const http2Goaways: TableDeclaration = {
  name: 'http2_goaways',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order they were found'],
    ['stream_id', 'INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE', 'the view it was read from'],
    ['dir', "TEXT NOT NULL CHECK (dir IN ('in', 'out'))", 'its direction in that view'],
    ['sender', "TEXT NOT NULL CHECK (sender IN ('client', 'server'))", 'who sent it'],
    ['client', 'TEXT', "'addr:port'"],
    ['server', 'TEXT', "'addr:port'"],
    ['ts', 'INTEGER NOT NULL', 'ns'],
    ['offset', 'INTEGER NOT NULL', 'of the frame in its direction'],
    ['last_stream', 'INTEGER NOT NULL', 'the last stream the sender processed'],
    ['error', 'TEXT NOT NULL', 'its error code: NO_ERROR, ENHANCE_YOUR_CALM, ...'],
    ['debug', 'TEXT NOT NULL', 'its debug data (latin1, first 200 octets)'],
  ],
  indexes: [{ name: 'http2_goaways_by_time', columns: 'ts' }],
};

/** Each HTTP/2 view of a connection: what each side announced in SETTINGS, and its flow control. */
const http2Connections: TableDeclaration = {
  name: 'http2_connections',
  columns: [
    ['stream_id', 'INTEGER PRIMARY KEY REFERENCES streams (id) ON DELETE CASCADE', 'the view it was read from'],
    ['request_dir', "TEXT NOT NULL CHECK (request_dir IN ('in', 'out'))", "the client's direction in that view"],
    ['client', 'TEXT', "'addr:port'"],
    ['server', 'TEXT', "'addr:port'"],
    ['streams', 'INTEGER NOT NULL', 'HTTP/2 streams the client opened'],
    ['client_settings', 'TEXT NOT NULL', 'JSON {SETTINGS_NAME: value}: the last value of each the client announced'],
    ['server_settings', 'TEXT NOT NULL', "JSON, the server's"],
    ['client_settings_frames', 'INTEGER NOT NULL', 'SETTINGS frames (acknowledgements included)'],
    ['server_settings_frames', 'INTEGER NOT NULL', "the server's SETTINGS frames"],
    ['client_window_updates', 'INTEGER NOT NULL', 'WINDOW_UPDATE frames the client sent (any stream)'],
    ['server_window_updates', 'INTEGER NOT NULL', "WINDOW_UPDATE frames the server sent"],
    ['client_window_granted', 'INTEGER NOT NULL', 'octets the client granted on stream 0 (connection flow control)'],
    ['server_window_granted', 'INTEGER NOT NULL', "octets the server granted on stream 0"],
    ['client_pings', 'INTEGER NOT NULL', 'PING frames'],
    ['server_pings', 'INTEGER NOT NULL', "the server's PING frames"],
    ['client_frames', 'INTEGER NOT NULL', 'frames of every type'],
    ['server_frames', 'INTEGER NOT NULL', "the server's frames of every type"],
  ],
};

const httpDiagnostics: TableDeclaration = {
  name: 'http_diagnostics',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order they were found'],
    ['exchange_id', 'INTEGER NOT NULL REFERENCES http_exchanges (id) ON DELETE CASCADE', 'the exchange'],
    ['stream_id', 'INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE', 'the view the fault is in'],
    ['side', "TEXT NOT NULL CHECK (side IN ('request', 'response'))", 'which message'],
    ['dir', "TEXT NOT NULL CHECK (dir IN ('in', 'out'))", 'which direction of stream_id'],
    ['code', 'TEXT NOT NULL', 'docs/cli.md lists them'],
    ['severity', 'TEXT NOT NULL', 'info, warning, error'],
    ['offset', 'INTEGER NOT NULL', 'in that direction of that stream'],
    ['line', 'TEXT NOT NULL', 'the offending line'],
    ['message', 'TEXT NOT NULL', 'one line'],
  ],
  indexes: [{ name: 'http_diagnostics_by_exchange', columns: 'exchange_id' }],
};

export const HTTP_TABLES: readonly TableDeclaration[] = [streamProtocols, httpExchanges, httpDiagnostics, http2Goaways, http2Connections];
