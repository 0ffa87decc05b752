// Where web mode keeps uploaded files (the browser cannot give a path): one folder per server run
// under the cache's uploads/, one folder per upload inside it holding the file and its index. An
// upload's folder goes with its case (case.close, the server stopping); a run's folder goes when the
// run ends, and a run that died without cleaning up (kill -9, a power cut) is swept by the next
// server to start. A live run holds a lock beside its folder (the index lock's mechanism: the OS
// drops it when the process ends), so a sweep never takes the uploads of a server still running.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IndexLock } from '../index/index-lock';
import { makeDir } from '../index/make-dir';

export class UploadStore {
  private count = 0;

  private constructor(
    readonly runDir: string,
    private readonly runLock: IndexLock,
  ) {}

  /**
   * Sweeps what dead runs left under `cacheDir`/uploads, then makes this run's folder. Two servers
   * starting at once on one cache can meet: one's sweep may take the lock the other has just made
   * for its new folder before that one holds it. The newcomer then takes another name.
   */
  static open(cacheDir: string, runName: () => string = freshRunName): UploadStore {
    const root = path.join(cacheDir, 'uploads');
    makeDir(root);
    sweepDeadRuns(root);
    let tried = '';
    for (let attempt = 0; attempt < RUN_NAME_ATTEMPTS; attempt++) {
      const runDir = path.join(root, runName());
      const lock = IndexLock.tryAcquire(runDir);
      if (!lock) {
        tried = runDir;
        continue;
      }
      makeDir(runDir);
      return new UploadStore(runDir, lock);
    }
    throw new Error(`${tried}: another process held the lock of each of ${RUN_NAME_ATTEMPTS} new uploads folders in turn`);
  }

  /** A new, empty folder for one upload: its file and its index live there, and go with its case. */
  newUploadDir(): string {
    const dir = path.join(this.runDir, String(++this.count));
    fs.mkdirSync(dir);
    return dir;
  }

  /** Removes this run's folder (whatever its cases left) and lets go of its lock. */
  close(): void {
    fs.rmSync(this.runDir, { recursive: true, force: true });
    this.runLock.release();
    fs.rmSync(IndexLock.pathFor(this.runDir), { force: true });
  }
}

const RUN_NAME_ATTEMPTS = 5;

function freshRunName(): string {
  return `run-${Date.now()}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
}

/** Removes every folder (and stray file) under `root` that no live run holds the lock of. */
function sweepDeadRuns(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const entry = path.join(root, name);
    const folder = name.endsWith('.lock') ? entry.slice(0, -'.lock'.length) : entry;
    const lock = IndexLock.tryAcquire(folder);
    if (!lock) continue; // a live run's
    try {
      fs.rmSync(folder, { recursive: true, force: true });
    } finally {
      lock.release();
      fs.rmSync(IndexLock.pathFor(folder), { force: true });
    }
  }
}
