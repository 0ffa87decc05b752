// Runs read-only SQL on a second thread with its own connection, so that a long aggregate can
// overlap the work of the thread that asks for it (the overview rollup's scans of a network
// capture's chunks and streams overlap the HTTP analysis after ingest: stored-rollup.ts). The
// thread sees what was committed when each query starts.

import type { Worker } from 'node:worker_threads';
import { indexExtensionPath } from './row-batch-extension';
import { startSqliteThread } from './sqlite-thread';

// The worker's source, plain JavaScript run as a CommonJS script (a bundler must not rewrite its
// require calls). Rows come back raw (arrays), numbers as JavaScript numbers.
const QUERY_LOOP = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.sqlite);
  const db = new Database(workerData.dbPath, { readonly: true, fileMustExist: true });
  if (workerData.extension) db.loadExtension(workerData.extension);
  db.pragma('busy_timeout = 5000');
  // Statements kept by their text: the rollup asks the same two thousands of times (a bucket each),
  // and preparing each anew was a fifth of the thread's time. A few dozen texts at most are kept.
  const statements = new Map();
  const statement = (sql) => {
    let s = statements.get(sql);
    if (!s) {
      if (statements.size >= 64) statements.clear();
      statements.set(sql, (s = db.prepare(sql).raw()));
    }
    return s;
  };
  parentPort.on('message', (message) => {
    if (message === 'close') {
      db.close();
      parentPort.close();
      return;
    }
    try {
      parentPort.postMessage({ id: message.id, rows: statement(message.sql).all(...message.params) });
    } catch (err) {
      parentPort.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
`;

type Reply = { id: number; rows: unknown[][] } | { id: number; error: string };

export class QueryThread {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (rows: unknown[][]) => void; reject: (err: Error) => void }>();
  private dead: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply.rows);
    });
    const fail = (err: Error) => {
      this.dead ??= err;
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the query thread exited')));
    // Idle, it must not keep a process alive.
    worker.unref();
  }

  /** Starts one on the database file at `dbPath`; null where a thread cannot be had. */
  static start(dbPath: string): QueryThread | null {
    const worker = startSqliteThread(QUERY_LOOP, { dbPath, extension: indexExtensionPath() });
    return worker ? new QueryThread(worker) : null;
  }

  /** Every row of `sql` with `params` bound, as arrays. */
  all(sql: string, params: readonly unknown[]): Promise<unknown[][]> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, sql, params });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    }) as Promise<unknown[][]>;
  }

  /** Ends the thread once the queries asked for are answered. */
  close(): void {
    if (!this.dead) this.worker.postMessage('close');
  }
}
