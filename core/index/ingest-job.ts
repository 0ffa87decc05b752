// Runs an ingest in a worker thread and keeps its live progress for whoever asks (the CLI's
// progress bar, the API's case.get). One job per case at a time.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IngestOutcome, IngestProgressEvent } from './ingest';
import type { WorkerReply, WorkerStart } from './ingest-protocol';

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
 * The built worker script. In the bundle it sits beside the code that starts it; from source
 * (tests), the built copy in dist/ is used.
 */
export function ingestWorkerPath(): string {
  const here = new URL('./ingest-worker.mjs', import.meta.url);
  const beside = fileURLToPath(here);
  if (fs.existsSync(beside)) return beside;
  const built = fileURLToPath(new URL('../../dist/ingest-worker.mjs', import.meta.url));
  if (fs.existsSync(built)) return built;
  throw new Error(`ingest worker not found at ${beside} or ${built}: run 'npm run build'`);
}

export function startIngestJob(file: string, dbPath: string, workerPath = ingestWorkerPath()): IngestJob {
  const start: WorkerStart = { file, dbPath };
  const worker = new Worker(workerPath, { workerData: start });
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
