// Holds what capscope made of a capture against what the oracles say about the same file, and
// returns the differences as readable lines (an empty list means they agree).

import path from 'node:path';
import { ChunkBytes } from '../../../core/index/chunk-bytes';
import { capscope, onlyJson } from '../../helpers/cli';
import { scratchDir } from '../../helpers/paths';
import { capinfosPackets, splitEndpoint, tsharkConversations, tsharkFollowRaw, tsharkSize } from './oracle';
import { openIndexDb } from '../../helpers/index-db';

export interface StreamJson {
  id: number;
  kind: string;
  tuple: string;
  endpoints: { role: string; addr: string | null; port: number | null }[];
  connectionIndex: number;
  clientGuessed: boolean;
  bytesIn: number;
  bytesOut: number;
  capturedIn: number;
  capturedOut: number;
  packetsIn: number;
  packetsOut: number;
  frameBytesIn: number;
  frameBytesOut: number;
  chunkCount: number;
  gapBytes: number;
  firstTs: string;
  lastTs: string;
  state: string | null;
}

export interface Indexed {
  db: string;
  streams: StreamJson[];
  status: number | null;
  stderr: string;
}

const scratch = scratchDir('pcap-oracle');
let counter = 0;

/** `capscope streams --json` on the file, into a fresh index. */
export function indexCapture(file: string): Indexed {
  const db = path.join(scratch, `${path.basename(file)}-${counter++}.sqlite`);
  const result = capscope(['streams', '--json', '--db', db, file]);
  const doc = onlyJson(result) as { streams: StreamJson[] };
  return { db, streams: doc.streams, status: result.status, stderr: result.stderr };
}

export function packetCount(db: string): number {
  const d = openIndexDb(db, { readonly: true });
  try {
    return (d.prepare('SELECT count(*) FROM packets').pluck().get() as number) ?? 0;
  } finally {
    d.close();
  }
}

function endpointText(addr: string | null, port: number | null): string {
  return `${addr}:${port}`;
}

function client(s: StreamJson): string {
  const c = s.endpoints.find((e) => e.role === 'client')!;
  return endpointText(c.addr, c.port);
}

function server(s: StreamJson): string {
  const c = s.endpoints.find((e) => e.role === 'server')!;
  return endpointText(c.addr, c.port);
}

/** Conversations as order-free lines: "lo <-> hi  frames/bytes lo→hi  frames/bytes hi→lo". */
export function compareConversations(file: string, streams: StreamJson[]): string[] {
  const ours = streams
    .filter((s) => s.kind === 'tcp')
    .map((s) => {
      const c = client(s);
      const sv = server(s);
      const out = `${s.packetsOut}/${tsharkSize(s.frameBytesOut)}`;
      const inn = `${s.packetsIn}/${tsharkSize(s.frameBytesIn)}`;
      return c < sv ? `${c} <-> ${sv}  ${out}  ${inn}` : `${sv} <-> ${c}  ${inn}  ${out}`;
    })
    .sort();
  const theirs = tsharkConversations(file)
    .map((t) => {
      const ab = `${t.framesAB}/${t.bytesAB}`;
      const ba = `${t.framesBA}/${t.bytesBA}`;
      return t.a < t.b ? `${t.a} <-> ${t.b}  ${ab}  ${ba}` : `${t.b} <-> ${t.a}  ${ba}  ${ab}`;
    })
    .sort();
  return diffLists(ours, theirs, 'capscope', 'tshark conv,tcp');
}

function diffLists(ours: string[], theirs: string[], oursName: string, theirsName: string): string[] {
  const left = new Map<string, number>();
  for (const l of ours) left.set(l, (left.get(l) ?? 0) + 1);
  for (const l of theirs) left.set(l, (left.get(l) ?? 0) - 1);
  const lines: string[] = [];
  if (ours.length !== theirs.length) lines.push(`${oursName} has ${ours.length} rows, ${theirsName} ${theirs.length}`);
  for (const [l, n] of left) {
    if (n > 0) lines.push(`only in ${oursName} (${n}×): ${l}`);
    if (n < 0) lines.push(`only in ${theirsName} (${-n}×): ${l}`);
  }
  return lines;
}

interface Chunk {
  dir: 'in' | 'out';
  gap_before: number;
  data: Buffer;
}

export interface FollowReport {
  mismatches: string[];
  /** Streams checked, and directions where tshark withholds what follows a never-acknowledged gap. */
  checked: number;
  withheld: number;
  bytesCompared: number;
  /** Chunks with captured bytes: read from the capture file by reference (chunks.data_at), and held in the index. */
  byReference: number;
  held: number;
}

/**
 * Every TCP stream's bytes, per direction, against `tshark -z follow,tcp,raw,N` for the stream
 * with the same tcp.stream number. tshark marks a hole that the other side acknowledged with
 * "[N bytes missing in capture file]" and keeps queued (never prints) data after a hole nobody
 * acknowledged; capscope records both as a gap and keeps the data after it. So a gap must meet
 * either that marker with the same N, or the end of tshark's output for that direction.
 */
export function compareFollow(file: string, dbPath: string, streams: StreamJson[]): FollowReport {
  const tcp = streams.filter((s) => s.kind === 'tcp');
  const followed = tsharkFollowRaw(
    file,
    tcp.map((s) => s.connectionIndex),
  );
  const db = openIndexDb(dbPath, { readonly: true });
  // The bytes as every reader of the index gets them: from the row, or from the capture file.
  const chunksOf = db.prepare('SELECT dir, gap_before, data, data_at, captured FROM chunks WHERE stream_id = ? ORDER BY seq');
  const bytes = new ChunkBytes(db);
  const report: FollowReport = { mismatches: [], checked: 0, withheld: 0, bytesCompared: 0, byReference: 0, held: 0 };
  try {
    for (const s of tcp) {
      const t = followed.get(s.connectionIndex);
      if (!t) {
        report.mismatches.push(`tcp.stream ${s.connectionIndex} (${s.tuple}): tshark did not follow it`);
        continue;
      }
      report.checked++;
      const rows = chunksOf.all(s.id) as (Omit<Chunk, 'data'> & { data: Buffer | null; data_at: number | null; captured: number })[];
      for (const r of rows.filter((r) => r.captured > 0)) report[r.data === null ? 'byReference' : 'held']++;
      const chunks: Chunk[] = rows.map((r) => ({ dir: r.dir, gap_before: r.gap_before, data: bytes.of(s.id, r.data, r.data_at, r.captured) }));
      const records = t.records;
      // Node 0 is the sender of the stream's first packet.
      const n0 = splitEndpoint(t.node0);
      const node0IsClient = records.length === 0 || endpointText(n0.addr, n0.port) === client(s);
      if (records.length && !node0IsClient && endpointText(n0.addr, n0.port) !== server(s)) {
        report.mismatches.push(`tcp.stream ${s.connectionIndex}: tshark's node 0 ${t.node0} is neither end of ${s.tuple}`);
        continue;
      }
      for (const dir of ['out', 'in'] as const) {
        const node = (dir === 'out') === node0IsClient ? 0 : 1;
        const theirs = Buffer.concat(records.filter((r) => r.node === node).map((r) => r.data));
        const problem = matchDirection(
          chunks.filter((c) => c.dir === dir),
          theirs,
        );
        if (problem.error) report.mismatches.push(`tcp.stream ${s.connectionIndex} ${s.tuple} ${dir}: ${problem.error}`);
        if (problem.withheld) report.withheld++;
        report.bytesCompared += problem.compared;
      }
    }
  } finally {
    db.close();
  }
  return report;
}

function matchDirection(chunks: Chunk[], theirs: Buffer): { error: string | null; withheld: boolean; compared: number } {
  let pos = 0;
  for (const c of chunks) {
    if (c.gap_before > 0) {
      const marker = Buffer.from(`[${c.gap_before} bytes missing in capture file]\0`, 'latin1');
      if (theirs.subarray(pos, pos + marker.length).equals(marker)) pos += marker.length;
      else if (pos === theirs.length) return { error: null, withheld: true, compared: pos };
      else return { error: `at byte ${pos}: capscope has a gap of ${c.gap_before} bytes, tshark has ${JSON.stringify(theirs.subarray(pos, pos + 48).toString('latin1'))}`, withheld: false, compared: pos };
    }
    const got = theirs.subarray(pos, pos + c.data.length);
    if (!got.equals(c.data)) {
      let at = 0;
      while (at < got.length && got[at] === c.data[at]) at++;
      return { error: `bytes differ at byte ${pos + at} (capscope ${c.data.length}-byte chunk, tshark has ${theirs.length - pos} bytes left)`, withheld: false, compared: pos };
    }
    pos += c.data.length;
  }
  if (pos !== theirs.length) return { error: `capscope ends after ${pos} bytes, tshark has ${theirs.length}`, withheld: false, compared: pos };
  return { error: null, withheld: false, compared: pos };
}

/** Everything the oracles check on one capture. */
export function checkAgainstOracles(file: string): { indexed: Indexed; packets: { ours: number; capinfos: number }; conversations: string[]; follow: FollowReport } {
  const indexed = indexCapture(file);
  return {
    indexed,
    packets: { ours: packetCount(indexed.db), capinfos: capinfosPackets(file) },
    conversations: compareConversations(file, indexed.streams),
    follow: compareFollow(file, indexed.db, indexed.streams),
  };
}
