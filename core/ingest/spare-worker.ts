// The ingest worker's thread, started before anyone asks for an ingest. Starting it costs a Node
// thread's bootstrap and the load of its bundle (~150-200 ms on one core), which otherwise begin
// only once the case is opened and found to need indexing. `capscope index` almost always indexes,
// so bin/capscope.js starts a spare worker before it even loads the CLI's bundle (this module is
// built apart, as dist/ingest-spare.mjs, for that), and the two loads run side by side; the first
// ingest job takes it and sends it its start (protocol.ts, `start`). A spare nobody takes is ended.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerStart } from './protocol';

/**
 * The built worker script: beside the bundle that starts it (dist/cli.mjs, dist/ingest-spare.mjs),
 * one level up (from dist/electron/main.mjs), or, when running from source (tests), in dist/.
 */
export function ingestWorkerPath(): string {
  const candidates = ['./ingest-worker.mjs', '../ingest-worker.mjs', '../../dist/ingest-worker.mjs'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`ingest worker not found (looked at ${candidates.join(', ')}): run 'npm run build'`);
  return found;
}

/**
 * The ingest's young generation: parsing makes a few short-lived objects per event (the event,
 * its row, its info text), and a larger nursery collects them less often. 64 MiB cut the ingest
 * thread's collector time by a fifth on the 128 MiB benchmark capture (docs/benchmarks.md) for
 * about 40 MiB more peak memory.
 */
const INGEST_YOUNG_GENERATION_MB = 64;

/** What the worker is started with: its start, or `spare` to wait for its start as a message. */
export type WorkerData = WorkerStart | { spare: true };

/** A new ingest worker thread (it throws where a thread cannot be started). */
export function startIngestWorker(workerPath: string, workerData: WorkerData): Worker {
  return new Worker(workerPath, { workerData, resourceLimits: { maxYoungGenerationSizeMb: INGEST_YOUNG_GENERATION_MB } });
}

export class SpareIngestWorker {
  private worker: Worker | null;
  /** Set when the thread failed or ended before it was taken: a job then starts its own. */
  private gone = false;

  private constructor(worker: Worker) {
    this.worker = worker;
    // Unreferenced while spare: a command that ends without indexing does not wait for it.
    worker.unref();
    worker.once('error', () => (this.gone = true));
    worker.once('exit', () => (this.gone = true));
  }

  /** Starts a spare worker; null where one cannot be had (the job then starts one as before). */
  static start(workerPath?: string): SpareIngestWorker | null {
    try {
      return new SpareIngestWorker(startIngestWorker(workerPath ?? ingestWorkerPath(), { spare: true }));
    } catch {
      return null;
    }
  }

  /** The worker, for the one job that takes it (it holds the process alive again); null once taken, or if it died. */
  take(): Worker | null {
    const worker = this.worker;
    this.worker = null;
    if (!worker || this.gone) return null;
    worker.ref();
    return worker;
  }

  /** Ends the worker if no job took it. */
  dispose(): void {
    const worker = this.worker;
    this.worker = null;
    if (worker && !this.gone) void worker.terminate();
  }
}
