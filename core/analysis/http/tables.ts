// The HTTP analysis's tables: what each stream carries, the exchanges read from them and what was
// wrong with them. Filled after ingest from the streams and chunks tables alone, so they are the
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
    ['version', 'TEXT', 'HTTP/1.1, ...'],
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
    ['resp_headers', 'TEXT NOT NULL', 'JSON [[name, value], ...]'],
  ],
  indexes: [
    { name: 'http_exchanges_by_stream', columns: 'stream_id, seq' },
    { name: 'http_exchanges_by_time', columns: 'req_ts' },
    { name: 'http_exchanges_by_status', columns: 'status' },
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

export const HTTP_TABLES: readonly TableDeclaration[] = [streamProtocols, httpExchanges, httpDiagnostics];
