// Packets of a network capture written back out as pcap or pcapng: one connection's, or those of
// the connections in a scope. Each packet's captured bytes are read from the evidence at the
// offset the index kept (packets.file_offset); times and lengths come from the index.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import { packetSelectionWhere, type PacketSelection } from '../scope/packet-selection';
import { packetData } from '../../formats/pcap/export/packet-records';
import { concat, pcapHeader, pcapngInterface, pcapngPacket, pcapngSectionHeader, pcapRecord, type InterfaceOut } from '../../formats/pcap/export/capture-writer';
import type { PacketFileFormat } from './contract';
import { readSources } from '../case-access/source-readers';

export type ByteSink = (chunk: Uint8Array) => void;

export type { PacketSelection };

interface PacketRow {
  source_id: number;
  file_offset: number;
  cap_len: number;
  orig_len: number;
  interface_id: number;
  ts: bigint;
}

/** The packets chosen, in file order per source: a connection's, or those of the streams in scope. */
function selectPackets(db: Database.Database, sel: PacketSelection): PacketRow[] {
  const { where, params } = packetSelectionWhere(sel);
  return db
    .prepare(`SELECT p.source_id, p.file_offset, p.cap_len, p.orig_len, p.interface_id, p.ts FROM packets p WHERE ${where} ORDER BY p.source_id, p.file_offset`)
    .safeIntegers()
    .all(...params)
    .map((row) => {
      // Times in ns exceed 2^53: only they stay bigint.
      const r = row as Record<keyof PacketRow, bigint>;
      return { source_id: Number(r.source_id), file_offset: Number(r.file_offset), cap_len: Number(r.cap_len), orig_len: Number(r.orig_len), interface_id: Number(r.interface_id), ts: r.ts };
    });
}

/** Writes the chosen packets to `sink` as a capture file; returns how many were written. */
export async function exportPackets(db: Database.Database, sel: PacketSelection, format: PacketFileFormat, sink: ByteSink): Promise<number> {
  const rows = db.prepare('SELECT 1 FROM sources WHERE format IN (\'pcap\', \'pcapng\') LIMIT 1').get();
  if (!rows) throw new ApiError('bad-request', 'this case holds no network capture: packets come from a .pcap or .pcapng');
  const packets = selectPackets(db, sel);
  if (packets.length === 0) throw new ApiError('bad-request', 'no packet is in this selection');
  // Interfaces by (source, interface id), numbered in the order written.
  const interfaces = new Map<string, { index: number; out: InterfaceOut }>();
  const ifaceRow = db.prepare('SELECT link_type, snap_len, name FROM capture_interfaces WHERE source_id = ? AND interface_id = ?');
  for (const p of packets) {
    const key = `${p.source_id}:${p.interface_id}`;
    if (interfaces.has(key)) continue;
    const r = ifaceRow.get(p.source_id, p.interface_id) as { link_type: number; snap_len: number; name: string | null } | undefined;
    if (!r) throw new ApiError('internal', `no interface ${p.interface_id} recorded for source ${p.source_id}`);
    interfaces.set(key, { index: interfaces.size, out: { linkType: r.link_type, snapLen: r.snap_len, name: r.name } });
  }
  const list = [...interfaces.values()];
  if (format === 'pcap') {
    const links = new Set(list.map((i) => i.out.linkType));
    if (links.size > 1) throw new ApiError('bad-request', `these packets come from links of ${links.size} types (${[...links].join(', ')}); a pcap file holds one: export pcapng`);
    sink(pcapHeader(list[0]!.out.linkType, Math.max(...list.map((i) => i.out.snapLen))));
  } else {
    sink(concat([pcapngSectionHeader(), ...list.map((i) => pcapngInterface(i.out))]));
  }
  const formats = new Map((db.prepare('SELECT id, format FROM sources').all() as { id: number; format: string }[]).map((s) => [s.id, s.format]));
  const sources = [...new Set(packets.map((p) => p.source_id))];
  let written = 0;
  await readSources(db, sources, async (source, reader) => {
    const mine = packets.filter((p) => p.source_id === source.id);
    let i = 0;
    for await (const data of packetData(reader, formats.get(source.id) === 'pcap' ? 'pcap' : 'pcapng', mine.map((p) => ({ fileOffset: p.file_offset, capLen: p.cap_len })))) {
      const p = mine[i++]!;
      const out = { interfaceIndex: interfaces.get(`${p.source_id}:${p.interface_id}`)!.index, tsNs: p.ts, data, origLen: p.orig_len };
      sink(format === 'pcap' ? pcapRecord(out) : pcapngPacket(out));
      written++;
    }
  });
  return written;
}
