// One writer per case index, across processes: a process holds this lock while it decides whether the
// index is up to date and, if not, while it indexes. A second process (a second `capscope index --db`,
// a web server and a CLI on one cache) waits for it and then finds the index the first one wrote,
// instead of writing the same rows beside it (`UNIQUE constraint failed`, `table meta already exists`).
//
// A reader that must see a whole index (the CLI's query commands) takes the lock to read: any number
// of readers at once, none while a writer holds it, and no writer while they read.
//
// The lock is SQLite's own, used deliberately: a transaction, never committed, on a small empty
// database beside the index (EXCLUSIVE to write, a read transaction's SHARED lock to read). SQLite takes it with the platform's file locks, which the operating
// system drops when the process ends however it ends (kill -9, a crash, a power cut leaves no
// process): there is no stale lock to detect or clean. Connections in one process exclude each other
// too (SQLite tracks its locks per file inside the process), so two cores in one process are held to
// it as well.

import Database from 'better-sqlite3';
import path from 'node:path';
import { makeDir } from './make-dir';

/** 'write': the one process that may write the index. 'read': one of any number reading a whole index. */
export type LockMode = 'write' | 'read';

/** How often a waiting process asks again: a person waiting does not notice a quarter second. */
const POLL_MS = 250;

export class IndexLock {
  private constructor(
    private readonly lockDb: Database.Database,
    readonly dbPath: string,
  ) {}

  /** The lock's file: beside the index, named for it. */
  static pathFor(dbPath: string): string {
    return `${dbPath}.lock`;
  }

  /** The lock, or null at once when another connection (in any process) holds it in a way that excludes `mode`. */
  static tryAcquire(dbPath: string, mode: LockMode = 'write'): IndexLock | null {
    makeDir(path.dirname(dbPath));
    const lockDb = new Database(IndexLock.pathFor(dbPath), { timeout: 0 });
    try {
      // No journal file beside the lock: nothing is ever written to it.
      lockDb.pragma('journal_mode = MEMORY');
      if (mode === 'write') lockDb.exec('BEGIN EXCLUSIVE');
      else {
        // A read transaction holds SHARED from its first read until it ends.
        lockDb.exec('BEGIN');
        lockDb.prepare('SELECT count(*) FROM sqlite_master').get();
      }
    } catch (err) {
      lockDb.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return null;
      throw err;
    }
    return new IndexLock(lockDb, dbPath);
  }

  /**
   * The lock once whoever holds it lets go; null if `stop` says to give up first (a cancel, the core
   * closing). `stop` is asked between tries.
   */
  static async acquire(dbPath: string, stop: () => boolean, mode: LockMode = 'write'): Promise<IndexLock | null> {
    for (;;) {
      if (stop()) return null;
      const lock = IndexLock.tryAcquire(dbPath, mode);
      if (lock) return lock;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  get held(): boolean {
    return this.lockDb.open;
  }

  release(): void {
    if (!this.lockDb.open) return;
    this.lockDb.exec('ROLLBACK');
    this.lockDb.close();
  }
}
