// The packets domain: a network capture's packets as Wireshark lists them (No., Time, Source,
// Destination, Protocol, Length, Info), narrowed by the scope (the streams filter and the range) or
// to one connection, and one packet's layers and bytes. The index holds what pages, counts and
// narrows (frame, time, lengths, the stream and direction, the record's file offset); addresses,
// ports, sequence numbers and layers are decoded from the capture's records of the page shown.
// Types only, like every contract: the browser bundle imports this file.

import type { ViewScope } from '../../api/wire';
import type { TableColumn, TableRow } from '../tables/contract';

/** A cell as a clause of the streams filter (`fd.cip=10.0.0.1`): what "Apply as filter" puts in force. */
export interface CellFilter {
  field: string;
  value: string | number;
}

export interface PacketRow extends TableRow {
  sourceId: number;
  /** tshark's frame.number in its capture. */
  frame: number;
  streamId: number | null;
  /** 'out': client → server, as the stream's chunks. */
  dir: 'in' | 'out' | null;
  /** Per cell, the filter clause it stands for, or null where no field of the streams filter says it. */
  filters: (CellFilter | null)[];
}

export interface PacketPage {
  columns: TableColumn[];
  rows: PacketRow[];
  /** Packets in the scope (or the connection). */
  total: number;
  /**
   * Null when every record of the page was read from the capture; else why some were not (the
   * file moved or changed): their rows keep what the index holds (frame, time, length, protocol).
   */
  unread: string | null;
}

/** One header field of a layer, and where its bytes are in the frame. */
export interface PacketField {
  name: string;
  value: string;
  /** Byte offset in the captured frame, and how many bytes (0: a value computed, not read). */
  start: number;
  length: number;
}

export interface PacketLayer {
  /** "Ethernet II", "Internet Protocol Version 4", "Transmission Control Protocol", ... */
  name: string;
  /** Its line in the tree, as Wireshark words it ("Src Port: 38552, Dst Port: 8080, Seq: 1, ..."). */
  summary: string;
  start: number;
  length: number;
  fields: PacketField[];
}

export interface PacketDetail {
  sourceId: number;
  frame: number;
  /** ns since the epoch, decimal. */
  ts: string;
  capLen: number;
  origLen: number;
  streamId: number | null;
  dir: 'in' | 'out' | null;
  /** The list's cells for this packet. */
  source: string | null;
  destination: string | null;
  protocol: string;
  info: string;
  layers: PacketLayer[];
  /** The captured bytes, base64. */
  base64: string;
}

export interface PacketMethods {
  /** A page of the packets in the scope (or of one connection), in capture order. */
  'packets.page': { req: { caseId: string; scope: ViewScope; streamId?: number; offset?: number; limit?: number }; res: PacketPage };
  /** One packet's layers and captured bytes, read from the capture. */
  'packets.detail': { req: { caseId: string; sourceId: number; frame: number }; res: PacketDetail };
  /**
   * Where a packet is in the list under the scope (or the connection): its row's index, or null
   * with the reason when the scope leaves it out.
   */
  'packets.locate': { req: { caseId: string; scope: ViewScope; streamId?: number; sourceId: number; frame: number }; res: { index: number | null; reason: string | null } };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const PACKET_METHOD_NAMES: Record<keyof PacketMethods, true> = { 'packets.page': true, 'packets.detail': true, 'packets.locate': true };
