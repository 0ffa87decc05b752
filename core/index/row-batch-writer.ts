// Where an ingest's batches of generic rows (row-batch.ts) go: to a second thread with its own
// connection to the index (row-writer-thread.ts), which binds and inserts them (the scap events
// into their column_blocks store, core/index/native/column-blocks.c) while the ingest's thread goes
// on reading the evidence and tracking its state. Binding and inserting the events was over half
// of a single thread's time (docs/benchmarks.md). Every format's ingest writes its rows this way:
// scap's (core/formats/scap/index-writer.ts) and pcap's (core/formats/pcap/batch-writer.ts).

import type Database from 'better-sqlite3';
import { openBatchRowWriter, type BatchRowWriter, type RowWriterKind } from './row-writer-thread';
import { indexExtensionPath, rowBatchExtensionPath } from './row-batch-extension';
import { newRowBatchBuffers, reusableBuffers, type RowBatch, type RowBatchBuffers, type TableSpec } from './row-batch';
import { rowBatchStore } from './row-batch-store';

/** A writer of batches of `TableSpec` rows. */
export type RowBatchWriter = BatchRowWriter<RowBatch, RowBatchBuffers>;

/**
 * The writer of a source whose tables are `specs`, into the index `db`. `ownCheckpoints`:
 * the writer's connection moves the write-ahead log into the database itself (SQLite's automatic
 * checkpoints); false when another thread does it (wal-checkpointer.ts). `queued`: batches that
 * may wait for the writer (and as many spare ones kept for reuse), 8 MiB each: more smooths a
 * writer that stalls on checkpoints, fewer keeps memory down where the ingest holds much else.
 * `columnBlocks`: some of the specs insert into a column_blocks store (the scap events), so the
 * writer's connection loads the index's extension even where rows are bound from JavaScript.
 */
export function openRowBatchWriter(db: Database.Database, specs: TableSpec[], ownCheckpoints: boolean, queued = 3, columnBlocks = false): RowBatchWriter {
  const rowBatch = rowBatchExtensionPath() !== null;
  const kind: RowWriterKind<RowBatch, RowBatchBuffers, [TableSpec[], string | null, boolean]> = {
    bufferKeys: ['slots', 'data'],
    newBuffers: newRowBatchBuffers,
    reusable: reusableBuffers,
    makeStore: rowBatchStore,
    storeArgs: [specs, rowBatch || columnBlocks ? indexExtensionPath() : null, rowBatch],
    maxQueued: queued,
    maxSpare: queued,
    // The index builds run as one request each.
    stallMs: 600_000,
  };
  return openBatchRowWriter(db, kind, ownCheckpoints);
}
