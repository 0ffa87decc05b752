// Schema: HTTP conversations over streams, their diagnostics, and findings. Filled after ingest by
// the analyses (core/index/analyses.ts), from the streams and chunks tables alone.

export const httpMigration = `
  -- The analyses walk each direction of each stream reading only chunk metadata (bodies are
  -- counted, not read): a covering index spares them the pages that hold the chunk data.
  CREATE INDEX chunks_by_stream_dir ON chunks (stream_id, dir, seq, ts, offset, length, captured);

  -- What each stream carries, detected from its first bytes (not its port).
  CREATE TABLE stream_protocols (
    stream_id INTEGER PRIMARY KEY REFERENCES streams (id) ON DELETE CASCADE,
    protocol  TEXT NOT NULL               -- 'http1', 'http2', 'tls', 'unknown'
  ) STRICT;

  -- One request and its response. When one connection was captured from several places (both ends
  -- in a syscall capture, or a pcap and a scap), it is one exchange built from the most complete
  -- view; stream_id is the view the request was read from, response_stream_id the response's.
  CREATE TABLE http_exchanges (
    id                 INTEGER PRIMARY KEY,
    stream_id          INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
    response_stream_id INTEGER REFERENCES streams (id) ON DELETE CASCADE,
    views              INTEGER NOT NULL,   -- how many captured views of the connection were stitched
    seq                INTEGER NOT NULL,   -- order on the connection
    client             TEXT,               -- 'addr:port'
    server             TEXT,
    container_id       TEXT,               -- the server side's container and process, when known
    proc               TEXT,
    pid                INTEGER,
    method             TEXT,
    target             TEXT,
    host               TEXT,
    version            TEXT,
    status             INTEGER,            -- NULL: no response seen
    reason             TEXT,
    req_ts             INTEGER,            -- ns: first request byte
    resp_ts            INTEGER,            -- ns: first response byte
    resp_end_ts        INTEGER,            -- ns: last response byte
    req_start          INTEGER,            -- offsets in their directions of their streams
    req_end            INTEGER,
    resp_start         INTEGER,
    resp_end           INTEGER,
    req_bytes          INTEGER NOT NULL,
    resp_bytes         INTEGER NOT NULL,
    req_complete       INTEGER NOT NULL,
    resp_complete      INTEGER NOT NULL,
    truncated          INTEGER NOT NULL,   -- some bytes of either message were not captured
    req_headers        TEXT NOT NULL,      -- JSON [[name, value], ...]
    resp_headers       TEXT NOT NULL
  ) STRICT;
  CREATE INDEX http_exchanges_by_stream ON http_exchanges (stream_id, seq);
  CREATE INDEX http_exchanges_by_time ON http_exchanges (req_ts);
  CREATE INDEX http_exchanges_by_status ON http_exchanges (status);

  CREATE TABLE http_diagnostics (
    id          INTEGER PRIMARY KEY,
    exchange_id INTEGER NOT NULL REFERENCES http_exchanges (id) ON DELETE CASCADE,
    stream_id   INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
    side        TEXT NOT NULL CHECK (side IN ('request', 'response')),
    dir         TEXT NOT NULL CHECK (dir IN ('in', 'out')),  -- which direction of stream_id
    code        TEXT NOT NULL,
    severity    TEXT NOT NULL,
    offset      INTEGER NOT NULL,          -- in that direction of that stream
    line        TEXT NOT NULL,
    message     TEXT NOT NULL
  ) STRICT;
  CREATE INDEX http_diagnostics_by_exchange ON http_diagnostics (exchange_id);

  CREATE TABLE findings (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,             -- 'proxy-error', 'request-rejected', ...
    severity    TEXT NOT NULL,
    title       TEXT NOT NULL,
    explanation TEXT NOT NULL,
    cause       TEXT,                      -- machine-readable cause, per kind
    exchange_id INTEGER REFERENCES http_exchanges (id) ON DELETE CASCADE,
    evidence    TEXT NOT NULL              -- JSON [{stream, dir, offset, length, excerpt}]
  ) STRICT;
`;
