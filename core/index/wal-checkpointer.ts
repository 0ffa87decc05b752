// Copies the write-ahead log into the database file from a second thread while an ingest keeps
// writing, instead of all at once at its end. A capture writes about its own size in chunk data,
// and each byte goes through the WAL first: on the ingest's thread, moving it into the database
// afterwards took a sixth of indexing a 700 MB capture (docs/benchmarks.md). Passive checkpoints
// never block the writer; once one has caught up, the writer starts the WAL over, so it stays
// small. Durability is as before (synchronous = NORMAL: each checkpoint syncs), and the ingest's
// own final checkpoint still runs: this only leaves it less to do.

import type { Worker } from 'node:worker_threads';
import { startSqliteThread } from './sqlite-thread';

// The worker's source, plain JavaScript run as a CommonJS script (a bundler must not rewrite its
// require calls). A failing or busy checkpoint is left to the ingest's final one.
const CHECKPOINT_LOOP = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.sqlite);
  const db = new Database(workerData.dbPath);
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const checkpoint = () => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {}
  };
  let timer = null;
  parentPort.on('message', (message) => {
    if (message === 'stop') {
      clearInterval(timer);
      db.close();
      parentPort.close();
      return;
    }
    if (typeof message === 'object' && message.every > 0) {
      clearInterval(timer);
      timer = setInterval(checkpoint, message.every);
      return;
    }
    checkpoint();
    parentPort.postMessage('done');
  });
`;

export class WalCheckpointer {
  private busy = false;
  private dead = false;
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    worker.on('message', () => (this.busy = false));
    worker.on('error', () => (this.dead = true));
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    // Idle, it must not keep a process alive; stop() holds on to it until it has ended.
    worker.unref();
  }

  /** Starts one for the database at `dbPath`; null where a thread cannot be had. */
  static start(dbPath: string): WalCheckpointer | null {
    const worker = startSqliteThread(CHECKPOINT_LOOP, { dbPath });
    return worker ? new WalCheckpointer(worker) : null;
  }

  /** Asks for a checkpoint of what is committed, unless one is still running. */
  nudge(): void {
    if (this.busy || this.dead) return;
    this.busy = true;
    this.worker.postMessage('checkpoint');
  }

  /**
   * Checkpoints every `ms` on its own until stopped, for a writer whose transactions are few and
   * long (index builds): each one's pages are copied while the next one runs, instead of by the
   * writer between them.
   */
  repeat(ms: number): void {
    if (!this.dead) this.worker.postMessage({ every: ms });
  }

  /** Lets a running checkpoint finish, then ends the thread. */
  async stop(): Promise<void> {
    this.worker.ref();
    if (!this.dead) this.worker.postMessage('stop');
    await this.exited;
  }
}
