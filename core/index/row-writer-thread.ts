// The thread that writes an ingest's batches of rows, with its own connection to the index, while
// the ingest's thread goes on reading the capture (core/index/pcap-row-writer.ts for network
// captures, core/scap/row-writer.ts for syscall captures). SQLite has one writer at a time, so
// this thread owns every write of its ingest until close().
//
// Memory stays bounded: at most `maxQueued` requests wait for the writer; past that, write() blocks
// the ingest's thread until the writer has finished one (the ingest cannot get ahead of the disk).
// A batch's buffers move to the thread without copying and come back over a second channel, read
// synchronously, so neither side needs the other's event loop to turn. Where no second thread can
// write (an in-memory database, no worker threads), the same store runs on the ingest's thread.

import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startSqliteThread } from './sqlite-thread';
import type Database from 'better-sqlite3';

/**
 * What differs between the ingests: a batch's buffers, the store that writes a batch, and how much
 * may wait. `Buffers` names only the ArrayBuffers that travel and come back for reuse.
 */
export interface RowWriterKind<Batch extends Buffers, Buffers extends object, Args extends unknown[]> {
  /** The keys of `Buffers`, in the order they are transferred. */
  bufferKeys: readonly (keyof Buffers & string)[];
  newBuffers(): Buffers;
  /** Whether buffers handed back are the standard size (grown ones are not kept). */
  reusable(buffers: Buffers): boolean;
  /**
   * Makes the function that writes one batch. It runs on the writer thread from its own text, so it
   * must refer to nothing outside itself but its arguments; `storeArgs` must survive structured cloning.
   */
  makeStore(db: Database.Database, ...args: Args): (batch: Batch) => void;
  storeArgs: Args;
  /** Requests sent and not yet finished, at most. */
  maxQueued: number;
  /** Sets of buffers kept for reuse, at most. */
  maxSpare: number;
  /** A writer that neither finishes a request nor says it failed for this long is taken as gone. */
  stallMs: number;
}

export interface BatchRowWriter<Batch, Buffers> {
  /** Whether a second thread writes (else the ingest's own thread does). */
  readonly threaded: boolean;
  /** Hands a batch over; throws once the writer has failed. */
  write(batch: Batch): void;
  /** Runs `sql` after every batch handed over before it; its time counts in close()'s `execMs`. */
  exec(sql: string): void;
  /** Resolves once everything handed over so far is written (or rejects with the writer's failure). */
  settled(): Promise<void>;
  /** Buffers for the next batch: reused ones when they are back. */
  buffers(): Buffers;
  /** Waits for everything handed over to be written and releases the writer; throws its failure. */
  close(): Promise<{ execMs: number }>;
}

/**
 * The writer of `kind`'s batches into the index `db`. `ownCheckpoints`: the writer's connection
 * moves the write-ahead log into the database itself (SQLite's automatic checkpoints); false when
 * another thread and the ingest's end do it.
 */
export function openBatchRowWriter<Batch extends Buffers, Buffers extends object, Args extends unknown[]>(
  db: Database.Database,
  kind: RowWriterKind<Batch, Buffers, Args>,
  ownCheckpoints: boolean,
): BatchRowWriter<Batch, Buffers> {
  if (!db.memory) {
    const thread = ThreadRowWriter.start(db.name, kind, ownCheckpoints);
    if (thread) return thread;
  }
  return new InThreadRowWriter(db, kind);
}

function pickBuffers<Buffers extends object>(batch: Buffers, keys: readonly (keyof Buffers & string)[]): Buffers {
  const buffers = {} as Buffers;
  for (const key of keys) buffers[key] = batch[key];
  return buffers;
}

function transferList<Buffers extends object>(batch: Buffers, keys: readonly (keyof Buffers & string)[]): ArrayBuffer[] {
  return keys.map((key) => batch[key] as ArrayBuffer);
}

class InThreadRowWriter<Batch extends Buffers, Buffers extends object, Args extends unknown[]> implements BatchRowWriter<Batch, Buffers> {
  readonly threaded = false;
  private spare: Buffers | null = null;
  private execMs = 0;
  private readonly store: (batch: Batch) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly kind: RowWriterKind<Batch, Buffers, Args>,
  ) {
    this.store = kind.makeStore(db, ...kind.storeArgs);
  }

  write(batch: Batch): void {
    this.store(batch);
    if (this.kind.reusable(batch)) this.spare = pickBuffers<Buffers>(batch, this.kind.bufferKeys);
  }

  exec(sql: string): void {
    const started = performance.now();
    this.db.exec(sql);
    this.execMs += performance.now() - started;
  }

  async settled(): Promise<void> {}

  buffers(): Buffers {
    const b = this.spare ?? this.kind.newBuffers();
    this.spare = null;
    return b;
  }

  async close(): Promise<{ execMs: number }> {
    return { execMs: this.execMs };
  }
}

/** Node has had Atomics.waitAsync since 16; TypeScript's lib names it from es2024 on. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}).waitAsync;

/**
 * When another thread checkpoints, the writer too runs a passive checkpoint after every this many
 * batches. The other thread's checkpoints copy most pages while the writer goes on, but with a
 * writer always appending they never find the log fully copied, so the log never starts over: it
 * grew to 5 GB while a 1 GiB capture loaded. Run between the writer's own transactions, a
 * checkpoint copies the few frames left, and the next transaction starts the log from its head
 * (about 90 MB for that capture, with no loss of speed; docs/benchmarks.md).
 */
const WAL_RESTART_BATCHES = 8;

// Slots of the shared state array.
const DONE = 0;
const FAILED = 1;

type Request<Batch> = Batch | { exec: string } | 'close';
type Reply<Buffers> = { type: 'done'; buffers: Buffers } | { type: 'failed'; message: string };

interface WriterStart {
  dbPath: string;
  storeArgs: unknown[];
  bufferKeys: readonly string[];
  ownCheckpoints: boolean;
  /** Batches between the writer's own passive checkpoints; 0 for none (SQLite's automatic ones). */
  walRestartBatches: number;
  /** Int32 [done, failed], then a Float64 of exec milliseconds. */
  state: SharedArrayBuffer;
  replies: MessagePort;
}

/**
 * The writer thread's body, run from its own text: it must refer to nothing outside itself but its
 * arguments. Every request is counted as done, carried out or not, so the ingest never waits for a
 * writer that has failed; the failure is reported first.
 */
function rowWriterThread(
  port: MessagePort,
  data: WriterStart,
  loadSqlite: () => typeof Database,
  makeStore: (db: Database.Database, ...args: unknown[]) => (batch: Record<string, ArrayBuffer>) => void,
): void {
  // Slots 0 (DONE) and 1 (FAILED) by number: the constants are outside this function's text.
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
  let store: ((batch: Record<string, ArrayBuffer>) => void) | null = null;
  let batchesSinceCheckpoint = 0;
  try {
    const Db = loadSqlite();
    db = new Db(data.dbPath);
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // The writer inserts only rows of the source the ingest has just registered, and a pcap row
    // names a stream inserted in its own batch or an earlier one: checking that per row cost a
    // lookup per row (a twentieth of the pcap writer's time), could never fail, and without it
    // INSERT OR FAIL (the row stores) spares a statement journal.
    db.pragma('foreign_keys = OFF');
    if (!data.ownCheckpoints) db.pragma('wal_autocheckpoint = 0');
    store = makeStore(db, ...data.storeArgs);
  } catch (err) {
    fail(err);
  }
  port.on('message', (request: Request<Record<string, ArrayBuffer>>) => {
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
          db!.exec(request.exec as string);
        } catch (err) {
          fail(err);
        }
        execMs[0] = execMs[0]! + performance.now() - started;
      }
    } else {
      if (failure === null) {
        try {
          store!(request);
          if (data.walRestartBatches > 0 && ++batchesSinceCheckpoint >= data.walRestartBatches) {
            batchesSinceCheckpoint = 0;
            db!.pragma('wal_checkpoint(PASSIVE)');
          }
        } catch (err) {
          fail(err);
        }
      }
      const buffers: Record<string, ArrayBuffer> = {};
      for (const key of data.bufferKeys) buffers[key] = request[key]!;
      replies.postMessage({ type: 'done', buffers }, data.bufferKeys.map((key) => buffers[key]!));
    }
    Atomics.add(state, 0, 1);
    Atomics.notify(state, 0);
  });
}

/** The thread's source: a CommonJS script (a bundler must not rewrite its require calls). */
function threadSource(makeStore: (...args: never[]) => unknown): string {
  return `
  const { parentPort, workerData } = require('node:worker_threads');
  (${rowWriterThread.toString()})(parentPort, workerData, () => require(workerData.sqlite), ${makeStore.toString()});
`;
}

class ThreadRowWriter<Batch extends Buffers, Buffers extends object, Args extends unknown[]> implements BatchRowWriter<Batch, Buffers> {
  readonly threaded = true;
  private sent = 0;
  private failure: string | null = null;
  private readonly spare: Buffers[] = [];
  private readonly exited: Promise<void>;
  private closed = false;
  /** [requests done (or skipped after a failure), 1 once failed], written by the thread. */
  private readonly state: Int32Array;
  /** Milliseconds the thread spent in exec requests. */
  private readonly execMs: Float64Array;

  private constructor(
    private readonly kind: RowWriterKind<Batch, Buffers, Args>,
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

  static start<Batch extends Buffers, Buffers extends object, Args extends unknown[]>(
    dbPath: string,
    kind: RowWriterKind<Batch, Buffers, Args>,
    ownCheckpoints: boolean,
  ): ThreadRowWriter<Batch, Buffers, Args> | null {
    const channel = new MessageChannel();
    const shared = new SharedArrayBuffer(16);
    const start: WriterStart = {
      dbPath,
      storeArgs: kind.storeArgs,
      bufferKeys: kind.bufferKeys,
      ownCheckpoints,
      walRestartBatches: ownCheckpoints ? 0 : WAL_RESTART_BATCHES,
      state: shared,
      replies: channel.port2,
    };
    const worker = startSqliteThread(threadSource(kind.makeStore), { ...start }, [channel.port2]);
    if (worker) return new ThreadRowWriter(kind, worker, channel.port1, shared);
    channel.port1.close();
    return null;
  }

  write(batch: Batch): void {
    this.check();
    this.worker.postMessage(batch, transferList<Buffers>(batch, this.kind.bufferKeys));
    this.sent++;
    this.waitUntilQueued(this.kind.maxQueued);
  }

  exec(sql: string): void {
    this.check();
    this.worker.postMessage({ exec: sql });
    this.sent++;
  }

  async settled(): Promise<void> {
    this.check();
    // Waits without blocking the thread's event loop (a cancel may arrive meanwhile).
    let waited = 0;
    for (;;) {
      const done = Atomics.load(this.state, DONE);
      if (this.sent - done <= 0 || Atomics.load(this.state, FAILED) !== 0) break;
      const started = Date.now();
      const wait = waitAsync(this.state, DONE, done, 1000);
      if ((wait.async ? await wait.value : wait.value) !== 'timed-out') waited = 0;
      else if ((waited += Date.now() - started) >= this.kind.stallMs) {
        this.failure ??= `the index writer thread finished nothing for ${this.kind.stallMs / 1000} s`;
        break;
      }
    }
    this.drainReplies();
    this.check();
  }

  buffers(): Buffers {
    this.drainReplies();
    return this.spare.pop() ?? this.kind.newBuffers();
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
    const stallMs = this.kind.stallMs;
    let waited = 0;
    for (;;) {
      const done = Atomics.load(this.state, DONE);
      if (this.sent - done <= queued) break;
      if (Atomics.load(this.state, FAILED) !== 0) break;
      const started = Date.now();
      if (Atomics.wait(this.state, DONE, done, 1000) === 'timed-out') {
        waited += Date.now() - started;
        if (waited >= stallMs) {
          this.failure ??= `the index writer thread finished nothing for ${stallMs / 1000} s`;
          break;
        }
      } else waited = 0;
    }
    this.drainReplies();
    this.check();
  }

  private drainReplies(): void {
    for (let m = receiveMessageOnPort(this.replies); m; m = receiveMessageOnPort(this.replies)) {
      const reply = m.message as Reply<Buffers>;
      if (reply.type === 'failed') this.failure ??= reply.message;
      else if (this.spare.length < this.kind.maxSpare && this.kind.reusable(reply.buffers)) this.spare.push(reply.buffers);
    }
  }

  private check(): void {
    if (this.failure === null && Atomics.load(this.state, FAILED) !== 0) this.drainReplies();
    if (this.failure !== null) throw new Error(`writing the capture into the index failed: ${this.failure}`);
  }
}
