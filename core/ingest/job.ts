// Runs an ingest in a worker thread and keeps its live progress for whoever asks (the CLI's
// progress bar, the API's case.get). One job per case at a time.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IngestOutcome, IngestProgressEvent } from './pipeline';
import type { WorkerReply, WorkerStart } from './protocol';

export interface IngestJob {
  readonly file: string;
  readonly dbPath: string;
  readonly startedAt: number;
  /** Latest progress reported by the worker. */
  readonly progress: IngestProgressEvent;
  /** Set once the worker has finished. */
  readonly outcome: IngestOutcome | null;
  readonly finishedAt: number | null;
  /** Resolves when the worker has finished, however it finished. */
  readonly done: Promise<IngestOutcome>;
  cancel(): void;
  onProgress(listener: (event: IngestProgressEvent) => void): void;
}

/**
 * The built worker script: beside the bundle that starts it (dist/cli.mjs), one level up (from
 * dist/electron/main.mjs), or, when running from source (tests), in dist/.
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

export function startIngestJob(file: string, dbPath: string, workerPath = ingestWorkerPath()): IngestJob {
  const start: WorkerStart = { file, dbPath };
  const worker = new Worker(workerPath, { workerData: start, resourceLimits: { maxYoungGenerationSizeMb: INGEST_YOUNG_GENERATION_MB } });
  const listeners: ((event: IngestProgressEvent) => void)[] = [];
  const job = {
    file,
    dbPath,
    startedAt: Date.now(),
    progress: { bytesDone: 0, bytesTotal: 0, currentEntry: null } as IngestProgressEvent,
    outcome: null as IngestOutcome | null,
    finishedAt: null as number | null,
    done: undefined as unknown as Promise<IngestOutcome>,
    cancel: () => worker.postMessage({ type: 'cancel' }),
    onProgress: (listener: (event: IngestProgressEvent) => void) => void listeners.push(listener),
  };
  job.done = new Promise<IngestOutcome>((resolve) => {
    const finish = (outcome: IngestOutcome) => {
      if (job.outcome) return;
      job.outcome = outcome;
      job.finishedAt = Date.now();
      resolve(outcome);
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') {
        job.progress = { bytesDone: reply.bytesDone, bytesTotal: reply.bytesTotal, currentEntry: reply.currentEntry };
        for (const listener of listeners) listener(job.progress);
      } else finish(reply.outcome);
    });
    worker.on('error', (err) => finish({ state: 'failed', bytesDone: job.progress.bytesDone, error: `ingest worker crashed: ${err.message}` }));
    worker.on('exit', (code) => finish({ state: 'failed', bytesDone: job.progress.bytesDone, error: `ingest worker exited with code ${code} before finishing` }));
  });
  return job;
}
