// The pcap ingest's rows go through a second thread (core/index/row-batch-writer.ts, the tables in
// core/formats/pcap/row-tables.ts). These tests
// drive the index writer directly with more rows than one batch holds, a chunk larger than a
// batch's data area, and a batch SQLite refuses, and hold what lands in the index against what was
// handed over: on the writer thread (a database file) and on the ingest's thread (in memory) alike.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseIndex } from '../../core/index/case-index';
import { INDEX_SCHEMA } from '../../core/registry/schema';
import { BATCH_DATA_BYTES, RowBatchEncoder } from '../../core/index/row-batch';
import { openRowBatchWriter } from '../../core/index/row-batch-writer';
import { CHUNK, pcapTableSpecs } from '../../core/formats/pcap/row-tables';
import { PcapIndexWriter } from '../../core/formats/pcap/batch-writer';
import { newFlowStream, type ChunkRecord, type Dir } from '../../core/formats/pcap/parser/flow-stream';
import type { DecodedPacket } from '../../core/formats/pcap/parser/packet-decoder';
import type { CapturedPacket } from '../../core/formats/pcap/parser/packet';
import { scratchDir } from '../helpers/paths';

interface Expected {
  chunks: { stream: number; seq: number; ts: bigint; dir: string; data: Buffer }[];
  packets: { frame: number; ts: bigint; streamId: number | null; dir: string | null; flags: number | null }[];
  /** The first stream's chunk count when it closed (its row's final value). */
  closedChunks: number;
}

/** Sends streams, chunks and packets through a PcapIndexWriter; returns what should be in the index. */
async function feed(index: CaseIndex, chunkCount: number, chunkBytes: (i: number) => number): Promise<Expected> {
  const sourceId = index.addSource({ file: '/x.pcap', entry: 'x.pcap', format: 'pcap', compression: [], detail: '' });
  const rows = openRowBatchWriter(index.db, pcapTableSpecs(sourceId), false);
  const writer = new PcapIndexWriter(index.db, rows);
  const streams = [newFlowStream('tcp', 4, 0), newFlowStream('udp', 6, 0), newFlowStream('tcp', 4, 1)];
  const expected: Expected = { chunks: [], packets: [], closedChunks: 0 };
  const seqs = [0, 0, 0];
  // Past 2^53 nanoseconds and with nanoseconds a double cannot carry next to them.
  const baseSec = 1_795_000_000;
  try {
    for (const s of streams) writer.opened(s);
    for (let i = 0; i < chunkCount; i++) {
      const which = i % 3;
      const s = streams[which]!;
      const data = Buffer.alloc(chunkBytes(i), i % 251);
      data.writeUInt32LE(i, 0);
      const dir = (i % 2) as Dir;
      const tsSec = baseSec + Math.floor(i / 1000);
      const tsNsec = (i * 7919) % 1_000_000_000;
      const c: ChunkRecord = { stream: s, seq: seqs[which]!++, dir, tsSec, tsNsec, offset: i * 10_000, length: data.length + 3, captured: data.length, gapBefore: i % 5, data, frame: i + 1 };
      writer.chunk(c);
      expected.chunks.push({ stream: s.ref, seq: c.seq, ts: BigInt(tsSec) * 1_000_000_000n + BigInt(tsNsec), dir: dir === 0 ? 'out' : 'in', data });
      const p: CapturedPacket = { frame: i + 1, offset: 24 + i * 100, dataOffset: 40 + i * 100, tsSec, tsNsec, linkType: 1, interfaceId: 0, data: data.subarray(0, 4), origLen: 60, comments: null };
      const flow = i % 4 !== 3;
      const d: DecodedPacket = { kind: flow ? (which === 1 ? 'udp' : 'tcp') : 'icmp', stream: flow ? s : null, dir, tcpFlags: 0x18, payloadLength: data.length };
      writer.packet(p, d);
      const tcp = flow && which !== 1;
      expected.packets.push({ frame: i + 1, ts: BigInt(tsSec) * 1_000_000_000n + BigInt(tsNsec), streamId: flow ? s.ref : null, dir: flow ? expected.chunks.at(-1)!.dir : null, flags: tcp ? 0x18 : null });
      if (i === Math.floor(chunkCount / 2)) {
        streams[0]!.state = 'fin';
        streams[0]!.chunks = expected.closedChunks = seqs[0]!;
        writer.closed(streams[0]!);
      }
    }
    writer.flush();
  } finally {
    await rows.close();
  }
  return expected;
}

function check(index: CaseIndex, expected: Expected): void {
  const db = index.db;
  const chunks = db.prepare('SELECT stream_id, seq, ts, dir, data, gap_before FROM chunks ORDER BY id').safeIntegers().all() as { stream_id: bigint; seq: bigint; ts: bigint; dir: string; data: Buffer; gap_before: bigint }[];
  expect(chunks.length).toBe(expected.chunks.length);
  chunks.forEach((row, i) => {
    const e = expected.chunks[i]!;
    expect([Number(row.stream_id), Number(row.seq), row.ts, row.dir, Number(row.gap_before)]).toEqual([e.stream, e.seq, e.ts, e.dir, i % 5]);
    expect(row.data.equals(e.data)).toBe(true);
  });
  const packets = db.prepare('SELECT frame, ts, stream_id, dir, tcp_flags, proto FROM packets ORDER BY id').safeIntegers().all() as { frame: bigint; ts: bigint; stream_id: bigint | null; dir: string | null; tcp_flags: bigint | null }[];
  expect(packets.map((p) => [Number(p.frame), p.ts, p.stream_id === null ? null : Number(p.stream_id), p.dir, p.tcp_flags === null ? null : Number(p.tcp_flags)])).toEqual(
    expected.packets.map((p) => [p.frame, p.ts, p.streamId, p.dir, p.flags]),
  );
  // The writer does not check foreign keys row by row: what it wrote must satisfy them all the same.
  expect(db.pragma('foreign_key_check')).toEqual([]);
  const streams = db.prepare('SELECT id, kind, state, chunk_count FROM streams ORDER BY id').all();
  expect(streams).toEqual([
    { id: 1, kind: 'tcp', state: 'fin', chunk_count: expected.closedChunks },
    { id: 2, kind: 'udp', state: null, chunk_count: 0 },
    { id: 3, kind: 'tcp', state: 'midstream', chunk_count: 0 },
  ]);
}

describe('the pcap row writer', () => {
  const dir = scratchDir('row-writer');
  // 24 MB of payload in 30,000 chunks and 30,000 packets: several batches, buffers reused, the
  // ingest held back while the writer catches up.
  const count = 30_000;
  const size = (i: number) => 4 + ((i * 37) % 1600);

  it('on its own thread, writes every row of many batches as handed over', async () => {
    const index = CaseIndex.open(path.join(dir, 'many.sqlite'), INDEX_SCHEMA);
    try {
      const expected = await feed(index, count, size);
      expect(expected.chunks.reduce((n, c) => n + c.data.length, 0)).toBeGreaterThan(2 * BATCH_DATA_BYTES);
      check(index, expected);
    } finally {
      index.close();
    }
  });

  it('on the ingest thread (an in-memory index), writes the same rows', async () => {
    const index = CaseIndex.open(':memory:', INDEX_SCHEMA);
    try {
      check(index, await feed(index, count, size));
    } finally {
      index.close();
    }
  });

  it('a chunk that is a view of the packet being decoded is stored as where it lies in the file; one that waited, copied, is held', async () => {
    const index = CaseIndex.open(path.join(dir, 'by-reference.sqlite'), INDEX_SCHEMA);
    try {
      const sourceId = index.addSource({ file: '/x.pcap', entry: 'x.pcap', format: 'pcap', compression: [], detail: '' });
      const rows = openRowBatchWriter(index.db, pcapTableSpecs(sourceId), false);
      const writer = new PcapIndexWriter(index.db, rows);
      const stream = newFlowStream('tcp', 4, 0);
      writer.opened(stream);
      // A record at byte 1000 whose captured bytes start 16 bytes in; its payload 54 bytes into them.
      const record = Buffer.alloc(200, 7);
      const packet: CapturedPacket = { frame: 1, offset: 1000, dataOffset: 1016, tsSec: 1, tsNsec: 0, linkType: 1, interfaceId: 0, data: record.subarray(16, 150), origLen: 134, comments: null };
      const chunk = (data: Uint8Array, seq: number): ChunkRecord => ({ stream, seq, dir: 0, tsSec: 1, tsNsec: 0, offset: seq * 80, length: data.length, captured: data.length, gapBefore: 0, data, frame: 1 });
      writer.current = packet;
      writer.chunk(chunk(packet.data.subarray(54, 134), 0));
      // A copy (an out-of-order segment that waited) and a view of another buffer are not in the file as they are.
      writer.chunk(chunk(new Uint8Array(packet.data.subarray(54, 134)), 1));
      writer.chunk(chunk(record.subarray(150, 180), 2));
      writer.current = null;
      writer.chunk(chunk(packet.data.subarray(54, 60), 3));
      writer.flush();
      await rows.close();
      const stored = index.db.prepare('SELECT seq, data IS NULL AS ref, data_at FROM chunks ORDER BY seq').all();
      expect(stored).toEqual([
        { seq: 0, ref: 1, data_at: 1016 + 54 },
        { seq: 1, ref: 0, data_at: null },
        { seq: 2, ref: 0, data_at: null },
        { seq: 3, ref: 0, data_at: null },
      ]);
    } finally {
      index.close();
    }
  });

  it('a chunk larger than a batch data area is written whole', async () => {
    const index = CaseIndex.open(path.join(dir, 'huge.sqlite'), INDEX_SCHEMA);
    try {
      const huge = BATCH_DATA_BYTES + 12_345;
      check(index, await feed(index, 7, (i) => (i === 4 ? huge : 100 + i)));
    } finally {
      index.close();
    }
  });

  it('a batch SQLite refuses fails the write with its reason, and the writer still closes', async () => {
    const index = CaseIndex.open(path.join(dir, 'refused.sqlite'), INDEX_SCHEMA);
    try {
      const sourceId = index.addSource({ file: '/x.pcap', entry: 'x.pcap', format: 'pcap', compression: [], detail: '' });
      const rows = openRowBatchWriter(index.db, pcapTableSpecs(sourceId), false);
      const batch = new RowBatchEncoder(rows.buffers());
      // A sequence number that is not a number reaches SQLite as NULL, which chunks.seq refuses.
      batch.row(CHUNK);
      for (const v of [1, NaN]) batch.num(v);
      batch.big(1_000_000_000n);
      batch.str('out');
      for (const v of [0, 1, 1, 0]) batch.num(v);
      batch.bytes(new Uint8Array([1]));
      batch.num(1);
      batch.num(null);
      let failure: unknown = null;
      try {
        rows.write(batch.take(rows.buffers()));
        // The refusal may come back after write() returned: the next batch or close() reports it.
        rows.write(new RowBatchEncoder(rows.buffers()).take(rows.buffers()));
      } catch (err) {
        failure = err;
      }
      await rows.close().catch((err: unknown) => (failure ??= err));
      expect(String(failure)).toMatch(/writing the capture into the index failed: NOT NULL constraint failed: chunks.seq/);
      expect(index.db.prepare('SELECT count(*) FROM chunks').pluck().get()).toBe(0);
    } finally {
      index.close();
    }
  });
});
