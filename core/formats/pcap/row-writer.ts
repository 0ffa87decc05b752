// Where the pcap ingest's batches of rows go: to a second thread with its own connection to the
// index (row-writer-thread.ts), which binds and inserts them while the ingest's thread goes on
// decoding, reassembling and parsing HTTP (inserting was over a third of that thread's time,
// docs/benchmarks.md). What is the pcap ingest's own: its batch's three buffers, its store
// (pcap-row-store.ts), and how much may wait.

import type Database from 'better-sqlite3';
import { CHUNK_FIELDS, newBatchBuffers, PACKET_FIELDS, reusable, type BatchBuffers, type ChunkFields, type PacketFields, type RowBatchMessage } from './row-batch';
import { pcapRowStore } from './row-store';
import { openBatchRowWriter, type BatchRowWriter, type RowWriterKind } from '../../index/row-writer-thread';

export type RowWriter = BatchRowWriter<RowBatchMessage, BatchBuffers>;

/** The writer for the pcap source `sourceId` of the index `db`. */
export function openRowWriter(db: Database.Database, sourceId: number): RowWriter {
  const kind: RowWriterKind<RowBatchMessage, BatchBuffers, [number, ChunkFields, PacketFields]> = {
    bufferKeys: ['chunkMeta', 'packetMeta', 'data'],
    newBuffers: newBatchBuffers,
    reusable,
    makeStore: pcapRowStore,
    storeArgs: [sourceId, CHUNK_FIELDS, PACKET_FIELDS],
    maxQueued: 2,
    maxSpare: 2,
    stallMs: 120_000,
  };
  // Checkpoints are left to the checkpointer's thread and the ingest's final one.
  return openBatchRowWriter(db, kind, false);
}
