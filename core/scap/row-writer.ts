// Where the scap ingest's batches of rows go: to a second thread with its own connection to the
// index, which binds and inserts them (and at the end builds the event view indexes) while the
// ingest's thread goes on reading the capture and tracking its state. Binding and inserting the
// events was over half of a single thread's time (docs/benchmarks.md). SQLite has one writer at a
// time, so this thread owns every write of the scap ingest until close().
//
// Memory stays bounded: at most MAX_QUEUED batches wait for the writer; past that, write() blocks
// the ingest's thread until the writer has committed one. Buffers come back over a second channel,
// read synchronously, so neither side needs the other's event loop to turn. Where no second thread
// can write (an in-memory database, no worker threads), the same code runs on the ingest's thread.
// (core/index/pcap-row-writer.ts does the same for network captures.)

import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { newRowBatchBuffers, reusableBuffers, type RowBatch, type RowBatchBuffers, type TableSpec } from './row-batch';
import { scapRowStore, type RowStore } from './row-store';

/** Batches sent and not yet committed, at most. */
const MAX_QUEUED = 3;
/** Sets of buffers kept for reuse, at most. */
const MAX_SPARE = 3;
/** A writer that neither commits nor says it failed for this long is taken as gone (index builds included). */
const STALL_MS = 600_000;

export interface ScapRowWriter {
  /** Whether a second thread writes (else the ingest's own thread does). */
  readonly threaded: boolean;
  /** Hands a batch over; throws once the writer has failed. */
  write(batch: RowBatch): void;
  /** Runs `sql` after every batch handed over before it; its time counts in close()'s `execMs`. */
  exec(sql: string): void;
  /** Buffers for the next batch: reused ones when they are back. */
  buffers(): RowBatchBuffers;
  /** Waits for everything handed over to be written and releases the writer; throws its failure. */
  close(): Promise<{ execMs: number }>;
}

/**
 * The writer of the scap source whose tables are `specs`, into the index `db`. `ownCheckpoints`:
 * the writer's connection moves the write-ahead log into the database itself (SQLite's automatic
 * checkpoints); false when another thread does it (wal-checkpointer.ts).
 */
export function openScapRowWriter(db: Database.Database, specs: TableSpec[], ownCheckpoints: boolean): ScapRowWriter {
  if (!db.memory) {
    const thread = ThreadRowWriter.start(db.name, specs, ownCheckpoints);
    if (thread) return thread;
  }
  return new InThreadRowWriter(db, scapRowStore(db, specs));
}

class InThreadRowWriter implements ScapRowWriter {
  readonly threaded = false;
  private spare: RowBatchBuffers | null = null;
  private execMs = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly store: RowStore,
  ) {}

  write(batch: RowBatch): void {
    this.store(batch);
    if (reusableBuffers(batch)) this.spare = { slots: batch.slots, data: batch.data };
  }

  exec(sql: string): void {
    const started = performance.now();
    this.db.exec(sql);
    this.execMs += performance.now() - started;
  }

  buffers(): RowBatchBuffers {
    const b = this.spare ?? newRowBatchBuffers();
    this.spare = null;
    return b;
  }

  async close(): Promise<{ execMs: number }> {
    return { execMs: this.execMs };
  }
}

// Slots of the shared state array.
const DONE = 0;
const FAILED = 1;

type Request = RowBatch | { exec: string } | 'close';
type Reply = { type: 'done'; buffers: RowBatchBuffers } | { type: 'failed'; message: string };

interface WriterStart {
  dbPath: string;
  specs: TableSpec[];
  ownCheckpoints: boolean;
  /** Int32 [done, failed], then a Float64 of exec milliseconds. */
  state: SharedArrayBuffer;
  replies: MessagePort;
}

/**
 * The writer thread's body, run from its own text: it must refer to nothing outside itself but its
 * arguments. Every request is counted as done, carried out or not, so the ingest never waits for a
 * writer that has failed; the failure is reported first.
 */
function rowWriterThread(port: MessagePort, data: WriterStart, loadSqlite: () => typeof Database, makeStore: typeof scapRowStore): void {
  const state = new Int32Array(data.state, 0, 2);
  const execMs = new Float64Array(data.state, 8, 1);
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
  let store: RowStore | null = null;
  try {
    const Db = loadSqlite();
    db = new Db(data.dbPath);
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // The writer inserts only rows of the source the ingest has just added: checking every
    // event's source_id against it would cost a lookup per row and could never fail.
    db.pragma('foreign_keys = OFF');
    if (!data.ownCheckpoints) db.pragma('wal_autocheckpoint = 0');
    store = makeStore(db, data.specs);
  } catch (err) {
    fail(err);
  }
  port.on('message', (request: Request) => {
    if (request === 'close') {
      try {
        db?.close();
      } catch (err) {
        fail(err);
      }
      port.close();
      replies.close();
      return;
    }
    if ('exec' in request) {
      if (failure === null) {
        const started = performance.now();
        try {
          db!.exec(request.exec);
        } catch (err) {
          fail(err);
        }
        execMs[0] = execMs[0]! + performance.now() - started;
      }
    } else {
      if (failure === null) {
        try {
          store!(request);
        } catch (err) {
          fail(err);
        }
      }
      const buffers = { slots: request.slots, data: request.data };
      replies.postMessage({ type: 'done', buffers }, [buffers.slots, buffers.data]);
    }
    Atomics.add(state, 0, 1);
    Atomics.notify(state, 0);
  });
}

/** The thread's source: a CommonJS script (a bundler must not rewrite its require calls). */
const THREAD_SOURCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  (${rowWriterThread.toString()})(parentPort, workerData, () => require(workerData.sqlite), ${scapRowStore.toString()});
`;

class ThreadRowWriter implements ScapRowWriter {
  readonly threaded = true;
  private sent = 0;
  private failure: string | null = null;
  private readonly spare: RowBatchBuffers[] = [];
  private readonly exited: Promise<void>;
  private closed = false;
  /** [requests done (or skipped after a failure), 1 once failed], written by the thread. */
  private readonly state: Int32Array;
  /** Milliseconds the thread spent in exec requests. */
  private readonly execMs: Float64Array;

  private constructor(
    private readonly worker: Worker,
    private readonly replies: MessagePort,
    shared: SharedArrayBuffer,
  ) {
    this.state = new Int32Array(shared, 0, 2);
    this.execMs = new Float64Array(shared, 8, 1);
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('error', (err) => (this.failure ??= err.message));
    // An ingest that ends without close() (a bug) must not keep the process alive; close() holds on to it.
    worker.unref();
  }

  static start(dbPath: string, specs: TableSpec[], ownCheckpoints: boolean): ThreadRowWriter | null {
    const channel = new MessageChannel();
    const shared = new SharedArrayBuffer(16);
    try {
      const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
      const start: WriterStart & { sqlite: string } = { dbPath, specs, ownCheckpoints, state: shared, replies: channel.port2, sqlite };
      const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: start, transferList: [channel.port2] });
      return new ThreadRowWriter(worker, channel.port1, shared);
    } catch {
      channel.port1.close();
      return null;
    }
  }

  write(batch: RowBatch): void {
    this.check();
    this.worker.postMessage(batch, [batch.slots, batch.data]);
    this.sent++;
    this.waitUntilQueued(MAX_QUEUED);
  }

  exec(sql: string): void {
    this.check();
    this.worker.postMessage({ exec: sql });
    this.sent++;
  }

  buffers(): RowBatchBuffers {
    this.drainReplies();
    return this.spare.pop() ?? newRowBatchBuffers();
  }

  async close(): Promise<{ execMs: number }> {
    if (this.closed) return { execMs: this.execMs[0]! };
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
    return { execMs: this.execMs[0]! };
  }

  /** Blocks until at most `queued` requests are left to carry out. */
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
          this.failure ??= `the index writer thread finished nothing for ${STALL_MS / 1000} s`;
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
      else if (this.spare.length < MAX_SPARE && reusableBuffers(reply.buffers)) this.spare.push(reply.buffers);
    }
  }

  private check(): void {
    if (this.failure === null && Atomics.load(this.state, FAILED) !== 0) this.drainReplies();
    if (this.failure !== null) throw new Error(`writing the capture into the index failed: ${this.failure}`);
  }
}
