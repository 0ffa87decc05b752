// What only network captures have besides their streams and chunks (core/index/schema/
// stream-tables.ts): their packets, the interfaces they were captured on, and pcapng's comments.

import type { TableDeclaration } from '../../../index/schema/declaration';

/**
 * One row per packet record, for the packet list and for exporting a stream back to pcap
 * (file_offset points at the record in the source's uncompressed bytes).
 */
const packets: TableDeclaration = {
  name: 'packets',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order of the file'],
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['frame', 'INTEGER NOT NULL', "1-based in its source (tshark's frame.number)"],
    ['ts', 'INTEGER NOT NULL', 'ns since the epoch'],
    ['file_offset', 'INTEGER NOT NULL', "of the record in the source's uncompressed bytes"],
    ['cap_len', 'INTEGER NOT NULL', 'bytes captured'],
    ['orig_len', 'INTEGER NOT NULL', 'bytes on the wire'],
    ['interface_id', 'INTEGER NOT NULL', 'capture_interfaces.interface_id'],
    ['proto', 'TEXT NOT NULL', "'tcp','udp','icmp','icmpv6','ip','fragment','other','malformed','unsupported'"],
    ['stream_id', 'INTEGER', 'streams.id for TCP and UDP'],
    ['dir', "TEXT CHECK (dir IN ('in', 'out'))", 'as for chunks'],
    ['tcp_flags', 'INTEGER', 'the TCP flags byte'],
    ['payload_len', 'INTEGER', 'transport payload bytes on the wire'],
  ],
  indexes: [{ name: 'packets_by_stream', columns: 'stream_id, frame' }],
};

const captureInterfaces: TableDeclaration = {
  name: 'capture_interfaces',
  columns: [
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['interface_id', 'INTEGER NOT NULL', 'numbered across the whole file (pcapng sections append)'],
    ['link_type', 'INTEGER NOT NULL', "tcpdump.org's LINKTYPE_"],
    ['snap_len', 'INTEGER NOT NULL', 'the snapshot length'],
    ['name', 'TEXT', "the interface's name, when the capture says"],
    ['ts_units', 'TEXT NOT NULL', 'units per second of its timestamps (if_tsresol)'],
    ['ts_offset', 'INTEGER NOT NULL DEFAULT 0', 'seconds added (if_tsoffset)'],
  ],
  constraints: ['PRIMARY KEY (source_id, interface_id)'],
};

/** pcapng comments: on a section (frame and interface NULL), an interface, or a packet. */
const captureComments: TableDeclaration = {
  name: 'capture_comments',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order of the file'],
    ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the capture'],
    ['scope', "TEXT NOT NULL CHECK (scope IN ('section', 'interface', 'packet'))", 'what it is about'],
    ['offset', 'INTEGER NOT NULL', 'of the block that holds it'],
    ['interface_id', 'INTEGER', 'for an interface or a packet'],
    ['frame', 'INTEGER', 'for a packet'],
    ['text', 'TEXT NOT NULL', 'the comment'],
  ],
};

export const PCAP_TABLES: readonly TableDeclaration[] = [packets, captureInterfaces, captureComments];
