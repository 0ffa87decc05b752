// The pcap ingest's rows as the generic row batches carry them (core/index/row-batch.ts): one
// TableSpec per statement, in the order of the table numbers below. Streams, packets and chunks,
// the rows there are many of, may go many per statement (and, with the native extension, straight
// from the batch's buffers); the rest are one statement per row, in the order they were made. The ingest
// puts the HTTP rows staged during the read after them (STAGED_FIRST: core/analysis/http/staged-exchanges.ts).

import type { TableSpec } from '../../index/row-batch';

// Tables, in the order of pcapTableSpecs().
export const STREAM_OPEN = 0;
export const STREAM_FINISH = 1;
export const CHUNK = 2;
export const PACKET = 3;
export const INTERFACE = 4;
export const COMMENT = 5;
/** Where the staged HTTP rows' statements (stagedTableSpecs()) follow these. */
export const STAGED_FIRST = 6;

/** The statements of one pcap source's rows (its id written into them) and their column kinds. */
export function pcapTableSpecs(sourceId: number): TableSpec[] {
  const src = String(sourceId);
  return [
    {
      // The tuple is text ('t'), not a string-table entry: every stream's is its own.
      kinds: 'nssnsnsnntnnnnnnnnnnnbbs',
      // Many a statement (a capture of short connections has a row per thousand packets or so): a
      // stream's row goes in before the rows of other tables of its batch all the same (the store
      // writes the tables of a batch in this order), and its UPDATE at its close comes in a later batch.
      head: `INSERT OR FAIL INTO streams (id, source_id, kind, l4proto, family, client_addr, client_port, server_addr, server_port, client_guessed, tuple, role,
          connection_index, bytes_in, bytes_out, captured_in, captured_out, packets_in, packets_out, frame_bytes_in, frame_bytes_out, chunk_count, gap_bytes,
          first_ts, last_ts, state) VALUES `,
      row: `(?, ${src}, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'client', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    },
    {
      kinds: 'nnnnnnnnnnbsn',
      row: `UPDATE streams SET bytes_in = ?, bytes_out = ?, captured_in = ?, captured_out = ?, packets_in = ?, packets_out = ?,
          frame_bytes_in = ?, frame_bytes_out = ?, chunk_count = ?, gap_bytes = ?, last_ts = ?, state = ? WHERE id = ?`,
    },
    {
      kinds: 'nnbsnnnnxnn',
      head: 'INSERT OR FAIL INTO chunks (stream_id, seq, ts, dir, offset, length, captured, gap_before, data, frame, data_at) VALUES ',
      row: '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    },
    {
      kinds: 'nbnnnnsnsnn',
      head: 'INSERT OR FAIL INTO packets (source_id, frame, ts, file_offset, cap_len, orig_len, interface_id, proto, stream_id, dir, tcp_flags, payload_len) VALUES ',
      row: `(${src}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    },
    {
      kinds: 'nnnssb',
      row: `INSERT INTO capture_interfaces (source_id, interface_id, link_type, snap_len, name, ts_units, ts_offset) VALUES (${src}, ?, ?, ?, ?, ?, ?)`,
    },
    {
      kinds: 'snnnt',
      row: `INSERT INTO capture_comments (source_id, scope, offset, interface_id, frame, text) VALUES (${src}, ?, ?, ?, ?, ?)`,
    },
  ];
}
