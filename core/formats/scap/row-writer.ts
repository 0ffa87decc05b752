// Where the scap ingest's batches of rows go: to a second thread with its own connection to the
// index (core/index/row-writer-thread.ts), which binds and inserts them (and at the end builds the
// event view indexes, through exec()) while the ingest's thread goes on reading the capture and
// tracking its state. Binding and inserting the events was over half of a single thread's time
// (docs/benchmarks.md). What is the scap ingest's own: its batch's two buffers, its store
// (row-store.ts), and how much may wait.

import type Database from 'better-sqlite3';
import { openBatchRowWriter, type BatchRowWriter, type RowWriterKind } from '../../index/row-writer-thread';
import { rowBatchExtensionPath } from '../../index/row-batch-extension';
import { newRowBatchBuffers, reusableBuffers, type RowBatch, type RowBatchBuffers, type TableSpec } from '../../index/row-batch';
import { scapRowStore } from './row-store';

export type ScapRowWriter = BatchRowWriter<RowBatch, RowBatchBuffers>;

/**
 * The writer of the scap source whose tables are `specs`, into the index `db`. `ownCheckpoints`:
 * the writer's connection moves the write-ahead log into the database itself (SQLite's automatic
 * checkpoints); false when another thread does it (wal-checkpointer.ts).
 */
export function openScapRowWriter(db: Database.Database, specs: TableSpec[], ownCheckpoints: boolean): ScapRowWriter {
  const kind: RowWriterKind<RowBatch, RowBatchBuffers, [TableSpec[], string | null]> = {
    bufferKeys: ['slots', 'data'],
    newBuffers: newRowBatchBuffers,
    reusable: reusableBuffers,
    makeStore: scapRowStore,
    storeArgs: [specs, rowBatchExtensionPath()],
    maxQueued: 3,
    maxSpare: 3,
    // The index builds run as one request each.
    stallMs: 600_000,
  };
  return openBatchRowWriter(db, kind, ownCheckpoints);
}
