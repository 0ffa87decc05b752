// Schema version 3 (after 002-heap): streams and chunks, the shared currency of syscall and
// network captures (DESIGN.md), plus what only network captures have: their packets, interfaces
// and comments.
//
// Timestamps are INTEGER nanoseconds since the epoch: read them with better-sqlite3's
// safeIntegers(), a double loses the last digits.

export const streamsMigration = `
  -- One row per endpoint's view of a connection or flow. For pcap: one per TCP connection (a new
  -- SYN on the same addresses and ports is a new row) or UDP flow, seen from the client.
  CREATE TABLE streams (
    id               INTEGER PRIMARY KEY,
    source_id        INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,             -- 'tcp', 'udp', 'unix', 'file', 'pipe', ...
    l4proto          TEXT,                      -- 'tcp', 'udp' (NULL when not a network stream)
    family           INTEGER,                   -- 4 or 6
    client_addr      TEXT,
    client_port      INTEGER,
    server_addr      TEXT,
    server_port      INTEGER,
    client_guessed   INTEGER NOT NULL DEFAULT 0, -- 1: no SYN said who started it (lower port = server)
    tuple            TEXT,                      -- '10.4.0.31:34560->10.4.0.12:80', client first
    container_id     TEXT,                      -- scap endpoints; NULL for pcap
    pid              INTEGER,
    tid              INTEGER,
    fd               INTEGER,
    proc             TEXT,
    fd_name          TEXT,
    role             TEXT,                      -- 'client' | 'server': whose view this row is
    connection_index INTEGER,                   -- order of first packet per kind (tshark's tcp.stream)
    bytes_in         INTEGER NOT NULL DEFAULT 0, -- bytes the endpoint received (pcap: server→client)
    bytes_out        INTEGER NOT NULL DEFAULT 0, -- bytes the endpoint sent (pcap: client→server)
    captured_in      INTEGER NOT NULL DEFAULT 0,
    captured_out     INTEGER NOT NULL DEFAULT 0,
    packets_in       INTEGER,                   -- pcap: packets and their wire bytes per direction
    packets_out      INTEGER,                   --   (what tshark -z conv,tcp reports)
    frame_bytes_in   INTEGER,
    frame_bytes_out  INTEGER,
    chunk_count      INTEGER NOT NULL DEFAULT 0,
    gap_bytes        INTEGER NOT NULL DEFAULT 0,
    first_ts         INTEGER,                   -- ns since the epoch
    last_ts          INTEGER,
    state            TEXT                       -- 'syn','established','fin','closed','rst','midstream'
  ) STRICT;
  CREATE INDEX streams_by_source ON streams (source_id, kind, connection_index);

  -- The bytes of a stream, in order: one row per reassembled segment / datagram (pcap) or per
  -- read/write-family call (scap).
  CREATE TABLE chunks (
    id         INTEGER PRIMARY KEY,
    stream_id  INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,               -- order in the stream, from 0
    ts         INTEGER NOT NULL,               -- ns since the epoch
    dir        TEXT NOT NULL CHECK (dir IN ('in', 'out')),
    offset     INTEGER NOT NULL,               -- byte offset of the chunk in its direction
    length     INTEGER NOT NULL,               -- bytes moved
    captured   INTEGER NOT NULL,               -- bytes captured (<= length)
    gap_before INTEGER NOT NULL DEFAULT 0,     -- bytes the capture missed right before it
    data       BLOB NOT NULL,                  -- the captured bytes
    frame      INTEGER                         -- pcap frame number / scap event number
  ) STRICT;
  CREATE INDEX chunks_by_stream ON chunks (stream_id, seq);

  -- Network captures: one row per packet record, for the packet list and for exporting a stream
  -- back to pcap (file_offset points at the record in the source's uncompressed bytes).
  CREATE TABLE packets (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    frame        INTEGER NOT NULL,             -- 1-based in its source (tshark's frame.number)
    ts           INTEGER NOT NULL,             -- ns since the epoch
    file_offset  INTEGER NOT NULL,
    cap_len      INTEGER NOT NULL,
    orig_len     INTEGER NOT NULL,
    interface_id INTEGER NOT NULL,             -- capture_interfaces.interface_id
    proto        TEXT NOT NULL,                -- 'tcp','udp','icmp','icmpv6','ip','fragment','other','malformed','unsupported'
    stream_id    INTEGER,                      -- streams.id for TCP and UDP
    dir          TEXT CHECK (dir IN ('in', 'out')),
    tcp_flags    INTEGER,
    payload_len  INTEGER                       -- transport payload bytes on the wire
  ) STRICT;
  CREATE INDEX packets_by_stream ON packets (stream_id, frame);

  CREATE TABLE capture_interfaces (
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    interface_id INTEGER NOT NULL,
    link_type    INTEGER NOT NULL,
    snap_len     INTEGER NOT NULL,
    name         TEXT,
    ts_units     TEXT NOT NULL,                -- units per second of its timestamps (if_tsresol)
    ts_offset    INTEGER NOT NULL DEFAULT 0,   -- seconds added (if_tsoffset)
    PRIMARY KEY (source_id, interface_id)
  ) STRICT;

  -- pcapng comments: on a section (frame and interface NULL), an interface, or a packet.
  CREATE TABLE capture_comments (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    scope        TEXT NOT NULL CHECK (scope IN ('section', 'interface', 'packet')),
    offset       INTEGER NOT NULL,
    interface_id INTEGER,
    frame        INTEGER,
    text         TEXT NOT NULL
  ) STRICT;
  `;
