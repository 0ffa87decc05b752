// Which packets a list shows, from the index alone: those of the streams the filter keeps (the
// filter is over streams, so a packet outside any stream, an ARP or an ICMP, is listed only when
// no filter is in force), in the range, or of one connection; in capture order.

import type Database from 'better-sqlite3';
import { packetSelectionWhere as selectionWhere, type PacketSelection } from '../scope/packet-selection';

export type { PacketSelection };

export interface IndexedPacket {
  id: number;
  sourceId: number;
  frame: number;
  /** ns since the epoch, decimal. */
  ts: string;
  fileOffset: number;
  capLen: number;
  origLen: number;
  interfaceId: number;
  proto: string;
  streamId: number | null;
  dir: 'in' | 'out' | null;
  tcpFlags: number | null;
}

const COLUMNS = `p.id, p.source_id AS sourceId, p.frame, CAST(p.ts AS TEXT) AS ts, p.file_offset AS fileOffset, p.cap_len AS capLen,
  p.orig_len AS origLen, p.interface_id AS interfaceId, p.proto, p.stream_id AS streamId, p.dir, p.tcp_flags AS tcpFlags`;


export function packetCount(db: Database.Database, sel: PacketSelection): number {
  const { where, params } = selectionWhere(sel);
  return db.prepare(`SELECT count(*) FROM packets p WHERE ${where}`).pluck().get(...params) as number;
}

export function packetPage(db: Database.Database, sel: PacketSelection, offset: number, limit: number): IndexedPacket[] {
  const { where, params } = selectionWhere(sel);
  return db.prepare(`SELECT ${COLUMNS} FROM packets p WHERE ${where} ORDER BY p.id LIMIT ? OFFSET ?`).all(...params, limit, offset) as IndexedPacket[];
}

export function packetByFrame(db: Database.Database, sourceId: number, frame: number): IndexedPacket | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM packets p WHERE p.source_id = ? AND p.frame = ?`).get(sourceId, frame) as IndexedPacket | undefined;
}

/** The packet's row index under the selection, or null when the selection leaves it out. */
export function packetIndex(db: Database.Database, sel: PacketSelection, packet: IndexedPacket): number | null {
  const { where, params } = selectionWhere(sel);
  const inside = db.prepare(`SELECT 1 FROM packets p WHERE p.id = ? AND ${where}`).get(packet.id, ...params);
  if (!inside) return null;
  return db.prepare(`SELECT count(*) FROM packets p WHERE p.id < ? AND ${where}`).pluck().get(packet.id, ...params) as number;
}

/**
 * The segments a TCP connection's relative numbers are made from (./tcp-info.ts): the first of each
 * direction and the first with ACK set of each, found along the index by stream and frame.
 */
export function tcpAnchors(db: Database.Database, streamId: number): (IndexedPacket & { first: boolean })[] {
  const first = db.prepare(`SELECT ${COLUMNS} FROM packets p WHERE p.stream_id = ? AND p.dir = ? ORDER BY p.frame LIMIT 1`);
  const firstAck = db.prepare(`SELECT ${COLUMNS} FROM packets p WHERE p.stream_id = ? AND p.dir = ? AND (p.tcp_flags & 16) != 0 ORDER BY p.frame LIMIT 1`);
  const out: (IndexedPacket & { first: boolean })[] = [];
  for (const dir of ['out', 'in'] as const) {
    const f = first.get(streamId, dir) as IndexedPacket | undefined;
    if (f) out.push({ ...f, first: true });
    const a = firstAck.get(streamId, dir) as IndexedPacket | undefined;
    if (a && a.id !== f?.id) out.push({ ...a, first: false });
  }
  return out;
}

export interface StreamEnds {
  clientAddr: string | null;
  serverAddr: string | null;
  tuple: string | null;
}

export function streamEnds(db: Database.Database, streamId: number): StreamEnds | undefined {
  return db.prepare('SELECT client_addr AS clientAddr, server_addr AS serverAddr, tuple FROM streams WHERE id = ?').get(streamId) as StreamEnds | undefined;
}
