// Streams and chunks, the shared currency of syscall and network captures (DESIGN.md): every
// format that sees bytes move writes them, and the HTTP analysis, the findings, the stream viewer
// and the timeline read them, whichever format the bytes came from.
//
// Timestamps are INTEGER nanoseconds since the epoch: read them with better-sqlite3's
// safeIntegers(), a double loses the last digits.

import type { TableDeclaration } from './declaration';

/**
 * One row per endpoint's view of a connection or flow. For pcap: one per TCP connection (a new SYN
 * on the same addresses and ports is a new row) or UDP flow, seen from the client; for scap: one
 * per fd lifetime per process that moved bytes.
 */
const streams: TableDeclaration = {
  name: 'streams',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'given by the writer, not SQLite (nothing waits for an insert)'],
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture it was seen in'],
    ['kind', 'TEXT NOT NULL', "'tcp', 'udp', 'unix', 'file', 'pipe', ..."],
    ['l4proto', 'TEXT', "'tcp', 'udp' (NULL when not a network stream)"],
    ['family', 'INTEGER', '4 or 6'],
    ['client_addr', 'TEXT', "the client's address"],
    ['client_port', 'INTEGER', "the client's port"],
    ['server_addr', 'TEXT', "the server's address"],
    ['server_port', 'INTEGER', "the server's port"],
    ['client_guessed', 'INTEGER NOT NULL DEFAULT 0', '1: no SYN said who started it (lower port = server)'],
    ['tuple', 'TEXT', "'10.4.0.31:34560->10.4.0.12:80', client first"],
    ['container_id', 'TEXT', 'scap endpoints; NULL for pcap'],
    ['pid', 'INTEGER', 'scap: the process whose fd it is'],
    ['tid', 'INTEGER', 'scap: the thread that opened it'],
    ['fd', 'INTEGER', 'scap: the fd number'],
    ['proc', 'TEXT', "scap: the process's name"],
    ['fd_name', 'TEXT', "scap: the fd's name, as sysdig prints fd.name"],
    ['role', 'TEXT', "'client' | 'server': whose view this row is"],
    ['connection_index', 'INTEGER', "order of first packet per kind (tshark's tcp.stream)"],
    ['bytes_in', 'INTEGER NOT NULL DEFAULT 0', 'bytes the endpoint received (pcap: server→client)'],
    ['bytes_out', 'INTEGER NOT NULL DEFAULT 0', 'bytes the endpoint sent (pcap: client→server)'],
    ['captured_in', 'INTEGER NOT NULL DEFAULT 0', 'of bytes_in, those captured'],
    ['captured_out', 'INTEGER NOT NULL DEFAULT 0', 'of bytes_out, those captured'],
    ['packets_in', 'INTEGER', 'pcap: packets received, every segment (as tshark -z conv,tcp counts)'],
    ['packets_out', 'INTEGER', 'pcap: packets sent, every segment'],
    ['frame_bytes_in', 'INTEGER', 'pcap: wire bytes of packets_in'],
    ['frame_bytes_out', 'INTEGER', 'pcap: wire bytes of packets_out'],
    ['chunk_count', 'INTEGER NOT NULL DEFAULT 0', 'its rows in chunks'],
    ['gap_bytes', 'INTEGER NOT NULL DEFAULT 0', 'bytes the capture missed inside it'],
    ['first_ts', 'INTEGER', 'ns since the epoch'],
    ['last_ts', 'INTEGER', 'ns since the epoch'],
    ['state', 'TEXT', "'syn','established','fin','closed','rst','midstream'; scap: 'open', 'closed'"],
  ],
  indexes: [
    { name: 'streams_by_source', columns: 'source_id, kind, connection_index' },
    // A brushed range over connections or files: the streams of a kind that overlap it, from the
    // index alone (first_ts <= to AND last_ts >= from).
    { name: 'streams_by_time', columns: 'source_id, kind, first_ts, last_ts' },
  ],
};

/**
 * The bytes of a stream, in order: one row per reassembled segment / datagram (pcap) or per
 * read/write-family call (scap). A chunk holds its bytes (`data`) or says where they lie in the
 * evidence file (`data_at`): a plain, uncompressed capture's payload is read from the capture
 * again rather than copied into the index (docs/schema.md "Chunks by reference").
 */
const chunks: TableDeclaration = {
  name: 'chunks',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order they were written'],
    ['stream_id', 'INTEGER NOT NULL REFERENCES streams (id) ON DELETE CASCADE', 'the stream they belong to'],
    ['seq', 'INTEGER NOT NULL', 'order in the stream, from 0'],
    ['ts', 'INTEGER NOT NULL', 'ns since the epoch'],
    ['dir', "TEXT NOT NULL CHECK (dir IN ('in', 'out'))", "'out': the endpoint sent it (pcap: client→server)"],
    ['offset', 'INTEGER NOT NULL', 'byte offset of the chunk in its direction'],
    ['length', 'INTEGER NOT NULL', 'bytes moved'],
    ['captured', 'INTEGER NOT NULL', 'bytes captured (<= length)'],
    ['gap_before', 'INTEGER NOT NULL DEFAULT 0', 'bytes the capture missed right before it'],
    ['data', 'BLOB', 'the captured bytes; NULL when they are read from the evidence file at data_at'],
    ['frame', 'INTEGER', 'pcap frame number / scap event number'],
    ['data_at', 'INTEGER', "where the captured bytes lie in the stream's source file, when data is NULL (core/index/chunk-bytes.ts)"],
  ],
  constraints: ['CHECK ((data IS NULL) = (data_at IS NOT NULL))'],
  indexes: [
    { name: 'chunks_by_stream', columns: 'stream_id, seq' },
    // The HTTP analysis walks each direction of each stream reading only chunk metadata (bodies
    // are counted, not read): a covering index spares it the pages that hold the chunk data.
    { name: 'chunks_by_stream_dir', columns: 'stream_id, dir, seq, ts, offset, length, captured' },
  ],
};

export const STREAM_TABLES: readonly TableDeclaration[] = [streams, chunks];
