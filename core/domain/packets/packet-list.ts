// The packet list's rows and one packet's detail: the index's rows for the page, their records
// (and their connections' first segments, for relative numbers) read from the capture, each
// dissected. Nothing but the page is decoded.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { TableColumn } from '../tables/contract';
import type { CellFilter, PacketDetail, PacketPage, PacketRow } from './contract';
import { dissectFrame, type Dissection } from './dissect';
import { httpInfoOfPage } from './http-info';
import { packetByFrame, packetCount, packetPage, streamEnds, tcpAnchors, type IndexedPacket, type PacketSelection, type StreamEnds } from './packet-rows';
import { readRecords, recordKey, type RecordRef } from './record-bytes';
import { streamContext, tcpInfo, tcpNumbers, type TcpStreamContext } from './tcp-info';

export const PACKET_COLUMNS: TableColumn[] = [
  { id: 'frame', label: 'No.', kind: 'count', sortable: false, size: 'narrow', title: "The packet's number in its capture (tshark's frame.number)" },
  { id: 'time', label: 'Time', kind: 'time', sortable: false },
  { id: 'source', label: 'Source', kind: 'mono', sortable: false },
  { id: 'destination', label: 'Destination', kind: 'mono', sortable: false },
  { id: 'protocol', label: 'Protocol', kind: 'text', sortable: false, size: 'narrow' },
  { id: 'length', label: 'Length', kind: 'count', sortable: false, size: 'narrow', title: 'Bytes on the wire' },
  { id: 'info', label: 'Info', kind: 'text', sortable: false, size: 'wide' },
];

/** What a page's packets are read and decoded with. */
interface Decoded {
  /** Captured bytes by recordKey. */
  bytes: Map<string, Uint8Array>;
  dissections: Map<string, Dissection>;
  contexts: Map<number, TcpStreamContext>;
  /** The Info of the page's segments that end HTTP messages, by recordKey. */
  http: Map<string, string>;
  fault: string | null;
}

const refOf = (p: IndexedPacket): RecordRef => ({ sourceId: p.sourceId, fileOffset: p.fileOffset, capLen: p.capLen });

function linkTypes(db: Database.Database): Map<string, number> {
  const rows = db.prepare('SELECT source_id AS sourceId, interface_id AS interfaceId, link_type AS linkType FROM capture_interfaces').all() as { sourceId: number; interfaceId: number; linkType: number }[];
  return new Map(rows.map((r) => [`${r.sourceId}:${r.interfaceId}`, r.linkType]));
}

async function decode(db: Database.Database, packets: readonly IndexedPacket[]): Promise<Decoded> {
  const anchors = new Map<number, ReturnType<typeof tcpAnchors>>();
  for (const p of packets) if (p.proto === 'tcp' && p.streamId !== null && !anchors.has(p.streamId)) anchors.set(p.streamId, tcpAnchors(db, p.streamId));
  const all = [...packets, ...[...anchors.values()].flat()];
  const { data, fault } = await readRecords(db, all.map(refOf));
  const links = linkTypes(db);
  const dissections = new Map<string, Dissection>();
  for (const p of all) {
    const bytes = data.get(recordKey(p));
    const linkType = links.get(`${p.sourceId}:${p.interfaceId}`);
    if (bytes && linkType !== undefined) dissections.set(recordKey(p), dissectFrame(bytes, linkType, p.origLen));
  }
  const contexts = new Map<number, TcpStreamContext>();
  for (const [streamId, list] of anchors) {
    const read = list.flatMap((a) => {
      const tcp = dissections.get(recordKey(a))?.tcp;
      return tcp && a.dir ? [{ frame: a.frame, dir: a.dir, tcp, first: a.first }] : [];
    });
    contexts.set(streamId, streamContext(read));
  }
  const tcpPackets = packets.flatMap((p) => (p.proto === 'tcp' && p.streamId !== null ? [{ key: recordKey(p), streamId: p.streamId, frame: p.frame, ts: p.ts, capLen: p.capLen, origLen: p.origLen }] : []));
  // The HTTP Info reads first lines back from the same capture: when its records could not be read
  // (the file moved or changed), the rows say what the index holds and the fault says why.
  return { bytes: data, dissections, contexts, http: fault === null ? httpInfoOfPage(db, tcpPackets) : new Map(), fault };
}

interface Cells {
  source: string | null;
  destination: string | null;
  protocol: string;
  info: string;
}

/** What the list says of a packet: decoded, or (its record unread) what the index holds. */
function cellsOf(p: IndexedPacket, decoded: Decoded): Cells {
  const d = decoded.dissections.get(recordKey(p));
  if (!d) return { source: null, destination: null, protocol: p.proto.toUpperCase(), info: '(record not read from the capture)' };
  const http = decoded.http.get(recordKey(p));
  if (http !== undefined) return { source: d.source, destination: d.destination, protocol: 'HTTP', info: http };
  if (d.tcp) {
    const ctx = p.streamId === null ? null : (decoded.contexts.get(p.streamId) ?? null);
    return { source: d.source, destination: d.destination, protocol: d.protocol, info: tcpInfo(d.tcp, tcpNumbers(d.tcp, p.dir, ctx), ctx, p.dir) };
  }
  return { source: d.source, destination: d.destination, protocol: d.protocol, info: d.info };
}

/** The clauses of the streams filter that the packet's cells stand for. */
function filtersOf(p: IndexedPacket, ends: StreamEnds | undefined): (CellFilter | null)[] {
  const none: (CellFilter | null)[] = PACKET_COLUMNS.map(() => null);
  if (!ends || p.dir === null) return none;
  const fromClient = p.dir === 'out';
  const src = fromClient ? ends.clientAddr : ends.serverAddr;
  const dst = fromClient ? ends.serverAddr : ends.clientAddr;
  return PACKET_COLUMNS.map((c) => {
    if (c.id === 'source' && src) return { field: fromClient ? 'fd.cip' : 'fd.sip', value: src };
    if (c.id === 'destination' && dst) return { field: fromClient ? 'fd.sip' : 'fd.cip', value: dst };
    if (c.id === 'protocol' && (p.proto === 'tcp' || p.proto === 'udp')) return { field: 'fd.l4proto', value: p.proto };
    if (c.id === 'info' && ends.tuple) return { field: 'fd.name', value: ends.tuple };
    return null;
  });
}

function rowOf(p: IndexedPacket, cells: Cells, ends: StreamEnds | undefined): PacketRow {
  return {
    key: `${p.sourceId}:${p.frame}`,
    // Numbers as text: the list shows a frame number and a length as Wireshark does, without separators.
    cells: [String(p.frame), p.ts, cells.source, cells.destination, cells.protocol, String(p.origLen), cells.info],
    drill: p.streamId !== null && ends ? { kind: 'stream', label: ends.tuple ?? `stream ${p.streamId}`, streamId: p.streamId } : null,
    sourceId: p.sourceId,
    frame: p.frame,
    streamId: p.streamId,
    dir: p.dir,
    filters: filtersOf(p, ends),
  };
}

export async function listPackets(db: Database.Database, sel: PacketSelection, offset: number, limit: number): Promise<PacketPage> {
  const total = packetCount(db, sel);
  const packets = packetPage(db, sel, offset, limit);
  const decoded = await decode(db, packets);
  const ends = new Map<number, StreamEnds | undefined>();
  for (const p of packets) if (p.streamId !== null && !ends.has(p.streamId)) ends.set(p.streamId, streamEnds(db, p.streamId));
  const rows = packets.map((p) => rowOf(p, cellsOf(p, decoded), p.streamId === null ? undefined : ends.get(p.streamId)));
  return { columns: PACKET_COLUMNS, rows, total, unread: decoded.fault };
}

export async function packetDetail(db: Database.Database, sourceId: number, frame: number): Promise<PacketDetail> {
  const p = packetByFrame(db, sourceId, frame);
  if (!p) throw new ApiError('not-found', `no packet ${frame} in source ${sourceId} of this case`);
  const decoded = await decode(db, [p]);
  const d = decoded.dissections.get(recordKey(p));
  if (!d) throw new ApiError('not-found', decoded.fault ?? `packet ${frame}'s record could not be read from the capture`);
  const bytes = decoded.bytes.get(recordKey(p))!;
  const cells = cellsOf(p, decoded);
  const layers = [
    {
      name: 'Frame',
      summary: `Frame ${p.frame}: ${p.origLen} bytes on wire (${p.origLen * 8} bits), ${p.capLen} bytes captured (${p.capLen * 8} bits)`,
      start: 0,
      length: p.capLen,
      fields: [
        { name: 'Frame Number', value: String(p.frame), start: 0, length: 0 },
        { name: 'Epoch Arrival Time', value: `${p.ts.slice(0, -9) || '0'}.${p.ts.slice(-9).padStart(9, '0')}`, start: 0, length: 0 },
        { name: 'Frame Length', value: `${p.origLen} bytes`, start: 0, length: 0 },
        { name: 'Capture Length', value: `${p.capLen} bytes`, start: 0, length: 0 },
      ],
    },
    ...d.layers,
  ];
  // The TCP layer's sequence numbers as the Info says them, beside the raw ones.
  if (d.tcp) {
    const ctx = p.streamId === null ? null : (decoded.contexts.get(p.streamId) ?? null);
    const n = tcpNumbers(d.tcp, p.dir, ctx);
    const layer = layers.find((l) => l.name === 'Transmission Control Protocol');
    if (layer) {
      layer.summary += `, Seq: ${n.seq}${n.ack === null ? '' : `, Ack: ${n.ack}`}`;
      layer.fields.splice(2, 0, { name: 'Sequence Number', value: `${n.seq} (relative)`, start: d.tcp.seqAt, length: 4 });
      if (n.ack !== null) layer.fields.splice(4, 0, { name: 'Acknowledgment Number', value: `${n.ack} (relative)`, start: d.tcp.ackAt, length: 4 });
      layer.fields.push({ name: 'Calculated window size', value: String(n.window), start: 0, length: 0 });
    }
  }
  return {
    sourceId: p.sourceId,
    frame: p.frame,
    ts: p.ts,
    capLen: p.capLen,
    origLen: p.origLen,
    streamId: p.streamId,
    dir: p.dir,
    source: cells.source,
    destination: cells.destination,
    protocol: cells.protocol,
    info: cells.info,
    layers,
    base64: Buffer.from(bytes).toString('base64'),
  };
}
