// Where the pcap ingest's batches of rows go: to a second thread with its own connection to the
// index, which binds and inserts them while the ingest's thread goes on decoding, reassembling and
// parsing HTTP (inserting was over a third of that thread's time, docs/benchmarks.md). SQLite has
// one writer at a time, so this thread owns every write of the pcap ingest until close().
//
// Memory stays bounded: at most MAX_QUEUED batches wait for the writer; past that, write() blocks
// the ingest's thread until the writer has committed one (the ingest cannot get ahead of the disk).
// Buffers come back over a second channel, read synchronously, so neither side needs the other's
// event loop to turn. Where no second thread can write (an in-memory database, no worker
// threads), the same code runs on the ingest's thread.

import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { CHUNK_FIELDS, newBatchBuffers, PACKET_FIELDS, reusable, type BatchBuffers, type RowBatchMessage } from './pcap-row-batch';
import { pcapRowStore } from './pcap-row-store';

/** Batches sent and not yet committed, at most. */
const MAX_QUEUED = 2;
/** Sets of buffers kept for reuse, at most. */
const MAX_SPARE = 2;
/** A writer that neither commits nor says it failed for this long is taken as gone. */
const STALL_MS = 120_000;

export interface RowWriter {
  /** Hands a batch over; throws once the writer has failed. */
  write(batch: RowBatchMessage): void;
  /** Buffers for the next batch: reused ones when they are back. */
  buffers(): BatchBuffers;
  /** Waits for every batch to be written and releases the writer; throws the writer's failure. */
  close(): Promise<void>;
}

/** The writer for the pcap source `sourceId` of the index `db`. */
export function openRowWriter(db: Database.Database, sourceId: number): RowWriter {
  if (!db.memory) {
    const thread = ThreadRowWriter.start(db.name, sourceId);
    if (thread) return thread;
  }
  return new InThreadRowWriter(pcapRowStore(db, sourceId, CHUNK_FIELDS, PACKET_FIELDS));
}

class InThreadRowWriter implements RowWriter {
  private spare: BatchBuffers | null = null;

  constructor(private readonly store: (batch: RowBatchMessage) => void) {}

  write(batch: RowBatchMessage): void {
    this.store(batch);
    if (reusable(batch)) this.spare = { chunkMeta: batch.chunkMeta, packetMeta: batch.packetMeta, data: batch.data };
  }

  buffers(): BatchBuffers {
    const b = this.spare ?? newBatchBuffers();
    this.spare = null;
    return b;
  }

  async close(): Promise<void> {}
}

// Slots of the shared state array.
const DONE = 0;
const FAILED = 1;

/** Replies of the writer thread. */
type Reply = { type: 'done'; buffers: BatchBuffers } | { type: 'failed'; message: string };

/**
 * The writer thread's body, run from its own text: it must refer to nothing outside itself but its
 * arguments. Every batch is counted as done, written or not, so the ingest never waits for a
 * writer that has failed; the failure is reported first.
 */
function rowWriterThread(port: MessagePort, data: WriterStart, loadSqlite: () => typeof Database, makeStore: typeof pcapRowStore): void {
  // Slots 0 (DONE) and 1 (FAILED) by number: the constants are outside this function's text.
  const state = new Int32Array(data.state);
  const replies = data.replies;
  let failure: string | null = null;
  const fail = (err: unknown) => {
    if (failure !== null) return;
    failure = err instanceof Error ? err.message : String(err);
    replies.postMessage({ type: 'failed', message: failure });
    Atomics.store(state, 1, 1);
    Atomics.notify(state, 1);
  };
  let db: Database.Database | null = null;
  let store: ((batch: RowBatchMessage) => void) | null = null;
  try {
    const Db = loadSqlite();
    db = new Db(data.dbPath);
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // Every row names a stream inserted in its own batch or an earlier one, and the source the
    // ingest registered (pcap-writer.ts): checking that per row cost the writer a twentieth of its
    // time, and together with INSERT OR FAIL (pcap-row-store.ts) spares a statement journal.
    db.pragma('foreign_keys = OFF');
    // Checkpoints are left to the checkpointer's thread and the ingest's final one.
    db.pragma('wal_autocheckpoint = 0');
    store = makeStore(db, data.sourceId, data.chunkFields, data.packetFields);
  } catch (err) {
    fail(err);
  }
  port.on('message', (batch: RowBatchMessage | 'close') => {
    if (batch === 'close') {
      try {
        db?.close();
      } catch (err) {
        fail(err);
      }
      port.close();
      replies.close();
      return;
    }
    if (failure === null) {
      try {
        store!(batch);
      } catch (err) {
        fail(err);
      }
    }
    const buffers = { chunkMeta: batch.chunkMeta, packetMeta: batch.packetMeta, data: batch.data };
    replies.postMessage({ type: 'done', buffers }, [buffers.chunkMeta, buffers.packetMeta, buffers.data]);
    Atomics.add(state, 0, 1);
    Atomics.notify(state, 0);
  });
}

interface WriterStart {
  dbPath: string;
  sourceId: number;
  chunkFields: typeof CHUNK_FIELDS;
  packetFields: typeof PACKET_FIELDS;
  state: SharedArrayBuffer;
  replies: MessagePort;
}

/** The thread's source: a CommonJS script (a bundler must not rewrite its require calls). */
const THREAD_SOURCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  (${rowWriterThread.toString()})(parentPort, workerData, () => require(workerData.sqlite), ${pcapRowStore.toString()});
`;

class ThreadRowWriter implements RowWriter {
  private sent = 0;
  private failure: string | null = null;
  private readonly spare: BatchBuffers[] = [];
  private readonly exited: Promise<void>;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly replies: MessagePort,
    /** [batches committed (or skipped after a failure), 1 once failed], written by the thread. */
    private readonly state: Int32Array,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('error', (err) => (this.failure ??= err.message));
    // An ingest that ends without close() (a bug) must not keep the process alive; close() holds on to it.
    worker.unref();
  }

  static start(dbPath: string, sourceId: number): ThreadRowWriter | null {
    const channel = new MessageChannel();
    const state = new Int32Array(new SharedArrayBuffer(8));
    try {
      const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
      const start: WriterStart & { sqlite: string } = { dbPath, sourceId, chunkFields: CHUNK_FIELDS, packetFields: PACKET_FIELDS, state: state.buffer as SharedArrayBuffer, replies: channel.port2, sqlite };
      const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: start, transferList: [channel.port2] });
      return new ThreadRowWriter(worker, channel.port1, state);
    } catch {
      channel.port1.close();
      return null;
    }
  }

  write(batch: RowBatchMessage): void {
    this.check();
    this.worker.postMessage(batch, [batch.chunkMeta, batch.packetMeta, batch.data]);
    this.sent++;
    this.waitUntilQueued(MAX_QUEUED);
  }

  buffers(): BatchBuffers {
    this.drainReplies();
    return this.spare.pop() ?? newBatchBuffers();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.ref();
    try {
      this.waitUntilQueued(0);
    } finally {
      this.worker.postMessage('close');
      await this.exited;
      this.drainReplies();
      this.replies.close();
    }
    this.check();
  }

  /** Blocks until at most `queued` batches are left to commit. */
  private waitUntilQueued(queued: number): void {
    let waited = 0;
    for (;;) {
      const done = Atomics.load(this.state, DONE);
      if (this.sent - done <= queued) break;
      if (Atomics.load(this.state, FAILED) !== 0) break;
      const started = Date.now();
      if (Atomics.wait(this.state, DONE, done, 1000) === 'timed-out') {
        waited += Date.now() - started;
        if (waited >= STALL_MS) {
          this.failure ??= `the index writer thread committed nothing for ${STALL_MS / 1000} s`;
          break;
        }
      } else waited = 0;
    }
    this.drainReplies();
    this.check();
  }

  private drainReplies(): void {
    for (let m = receiveMessageOnPort(this.replies); m; m = receiveMessageOnPort(this.replies)) {
      const reply = m.message as Reply;
      if (reply.type === 'failed') this.failure ??= reply.message;
      else if (this.spare.length < MAX_SPARE && reusable(reply.buffers)) this.spare.push(reply.buffers);
    }
  }

  private check(): void {
    if (this.failure === null && Atomics.load(this.state, FAILED) !== 0) this.drainReplies();
    if (this.failure !== null) throw new Error(`writing the capture into the index failed: ${this.failure}`);
  }
}
