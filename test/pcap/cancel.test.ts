// A cancel in the middle of a pcap ingest keeps what was read: every packet up to where reading
// stopped, the chunks of every stream up to there (with their stream rows), written by the writer
// thread before the ingest reports that it was cancelled.

import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { scratchDir } from '../helpers/paths';
import { ACK, ethernet, ipv4, pcapFile, PSH, SYN, tcpSegment, type Frame } from './helpers/build';
import { ingestCancelledAfter } from '../helpers/cancel';
import { ChunkBytes } from '../../core/index/chunk-bytes';
import { openIndexDb } from '../helpers/index-db';

const CONNECTIONS = 200;
const SEGMENTS = 100;
const PAYLOAD = 1400;

/** Client payload byte `i` of connection `c`. */
const byteOf = (c: number, i: number) => (c * 31 + i) % 251;

/** 200 connections, interleaved, each a handshake and 100 full segments from the client: 29 MB. */
function capture(): Buffer {
  const frames: Frame[] = [];
  let usec = 0;
  const at = (data: Buffer) => frames.push({ sec: 1_700_000_000 + Math.floor(usec / 1e6), usec: usec++ % 1e6, data });
  const client = (c: number) => `10.1.${c >> 8}.${c & 255}`;
  for (let c = 0; c < CONNECTIONS; c++) {
    at(ethernet(ipv4(client(c), '10.2.0.1', 6, tcpSegment({ src: client(c), dst: '10.2.0.1', sport: 40000, dport: 80, seq: 999, flags: SYN }))[0]!));
    at(ethernet(ipv4('10.2.0.1', client(c), 6, tcpSegment({ src: '10.2.0.1', dst: client(c), sport: 80, dport: 40000, seq: 4999, ack: 1000, flags: SYN | ACK }))[0]!));
  }
  for (let s = 0; s < SEGMENTS; s++) {
    for (let c = 0; c < CONNECTIONS; c++) {
      const payload = Buffer.alloc(PAYLOAD);
      for (let i = 0; i < PAYLOAD; i++) payload[i] = byteOf(c, s * PAYLOAD + i);
      at(ethernet(ipv4(client(c), '10.2.0.1', 6, tcpSegment({ src: client(c), dst: '10.2.0.1', sport: 40000, dport: 80, seq: 1000 + s * PAYLOAD, ack: 5000, flags: ACK | PSH, payload }))[0]!));
    }
  }
  return pcapFile(1, frames);
}

it('a cancelled pcap ingest keeps every packet and chunk read before the cancel', async () => {
  const dir = scratchDir('pcap-cancel');
  const file = path.join(dir, 'many.pcap');
  const bytes = capture();
  fs.writeFileSync(file, bytes);
  const dbPath = path.join(dir, 'many.sqlite');
  const outcome = await ingestCancelledAfter(file, dbPath, 8 * 1024 * 1024);
  expect(outcome.state).toBe('cancelled');

  const db = openIndexDb(dbPath, { readonly: true });
  try {
    const total = 2 * CONNECTIONS + SEGMENTS * CONNECTIONS;
    const packets = db.prepare('SELECT count(*) AS n, max(frame) AS last FROM packets').get() as { n: number; last: number };
    // Read in part, and with no packet missing up to where reading stopped.
    expect(packets.n).toBeGreaterThan(total / 5);
    expect(packets.n).toBeLessThan(total);
    expect(packets.last).toBe(packets.n);
    expect(db.prepare('SELECT status FROM sources').pluck().get()).toBe('cancelled');
    expect(db.pragma('foreign_key_check')).toEqual([]);

    // Each connection's chunks: in order, with no hole, each byte the one the client sent.
    const streams = db.prepare("SELECT id, client_addr FROM streams WHERE kind = 'tcp' ORDER BY id").all() as { id: number; client_addr: string }[];
    expect(streams.length).toBe(CONNECTIONS);
    const chunksOf = db.prepare("SELECT seq, offset, data, data_at, captured FROM chunks WHERE stream_id = ? AND dir = 'out' ORDER BY seq");
    const bytes = new ChunkBytes(db);
    let chunkCount = 0;
    for (const s of streams) {
      const [, , third, fourth] = s.client_addr.split('.').map(Number) as [number, number, number, number];
      const c = third * 256 + fourth;
      let expectedOffset = 0;
      for (const row of chunksOf.all(s.id) as { seq: number; offset: number; data: Buffer | null; data_at: number | null; captured: number }[]) {
        const chunk = { offset: row.offset, data: bytes.of(s.id, row.data, row.data_at, row.captured) };
        expect(chunk.offset).toBe(expectedOffset);
        const sent = Buffer.alloc(chunk.data.length);
        for (let i = 0; i < sent.length; i++) sent[i] = byteOf(c, chunk.offset + i);
        expect(chunk.data.equals(sent)).toBe(true);
        expectedOffset += chunk.data.length;
        chunkCount++;
      }
    }
    expect(chunkCount).toBe(db.prepare('SELECT count(*) FROM chunks').pluck().get());
    expect(chunkCount).toBeGreaterThan(0);
  } finally {
    db.close();
  }
});
