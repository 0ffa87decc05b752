// Runs an ingest in a worker thread and keeps its live progress for whoever asks (the CLI's
// progress bar, the API's case.get). One job per case at a time; with IngestSlots, no more than the
// slots' limit of workers at once: a job beyond it waits its turn before starting its worker.

import type { Worker } from 'node:worker_threads';
import type { IngestSlots } from './ingest-slots';
import { ingestWorkerPath, startIngestWorker, type SpareIngestWorker } from './spare-worker';
import type { IngestOutcome, IngestProgressEvent } from './pipeline';
import type { WorkerReply, WorkerRequest, WorkerStart } from './protocol';
import type { GrowingSource } from './stream-copy';

export interface IngestJob {
  readonly file: string;
  readonly dbPath: string;
  readonly startedAt: number;
  /** Latest progress reported by the worker. */
  readonly progress: IngestProgressEvent;
  /** Set once the worker has finished. */
  readonly outcome: IngestOutcome | null;
  readonly finishedAt: number | null;
  /** Why the worker has not started: it waits for an ingest slot. Null once it runs (or ended). */
  readonly waiting: string | null;
  /** Resolves when the worker has finished, however it finished (at once for a job cancelled while waiting). */
  readonly done: Promise<IngestOutcome>;
  cancel(): void;
  onProgress(listener: (event: IngestProgressEvent) => void): void;
}

export interface IngestJobOptions {
  /** The process's ingest slots; without them the worker starts at once. */
  slots?: IngestSlots;
  workerPath?: string;
  /** The file is a copy still being written (standard input): the worker is told as it grows. */
  growing?: GrowingSource;
  /** A worker started ahead (spare-worker.ts): taken, if still alive, instead of starting one. */
  spare?: SpareIngestWorker;
}

export function startIngestJob(file: string, dbPath: string, options: IngestJobOptions = {}): IngestJob {
  const workerPath = options.workerPath ?? ingestWorkerPath();
  const listeners: ((event: IngestProgressEvent) => void)[] = [];
  let worker: Worker | null = null;
  let leaveLine: (() => void) | null = null;
  let finish!: (outcome: IngestOutcome) => void;
  const job = {
    file,
    dbPath,
    startedAt: Date.now(),
    progress: { bytesDone: 0, bytesTotal: 0, currentEntry: null, updates: 0 } as IngestProgressEvent,
    outcome: null as IngestOutcome | null,
    finishedAt: null as number | null,
    waiting: null as string | null,
    done: undefined as unknown as Promise<IngestOutcome>,
    cancel: () => {
      if (worker) worker.postMessage({ type: 'cancel' });
      else if (leaveLine) {
        leaveLine();
        options.spare?.dispose();
        finish({ state: 'cancelled', bytesDone: 0, error: null });
      }
    },
    onProgress: (listener: (event: IngestProgressEvent) => void) => void listeners.push(listener),
  };
  job.done = new Promise<IngestOutcome>((resolve) => {
    finish = (outcome: IngestOutcome) => {
      if (job.outcome) return;
      job.outcome = outcome;
      job.finishedAt = Date.now();
      job.waiting = null;
      leaveLine = null;
      resolve(outcome);
    };
  });

  const startWorker = (releaseSlot: () => void) => {
    job.waiting = null;
    leaveLine = null;
    job.startedAt = Date.now();
    void job.done.then(releaseSlot);
    const start: WorkerStart = { file, dbPath, ...(options.growing ? { growing: options.growing.news() } : {}) };
    try {
      const spare = options.spare?.take() ?? null;
      if (spare) spare.postMessage({ type: 'start', start } satisfies WorkerRequest);
      worker = spare ?? startIngestWorker(workerPath, start);
    } catch (err) {
      finish({ state: 'failed', bytesDone: 0, error: `the ingest worker could not start: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (options.growing) {
      const running = worker;
      const stopListening = options.growing.onNews((news) => running.postMessage({ type: 'grew', ...news } satisfies WorkerRequest));
      void job.done.then(stopListening);
    }
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') {
        job.progress = { bytesDone: reply.bytesDone, bytesTotal: reply.bytesTotal, currentEntry: reply.currentEntry, updates: reply.updates };
        for (const listener of listeners) listener(job.progress);
      } else finish(reply.outcome);
    });
    worker.on('error', (err) => finish({ state: 'failed', bytesDone: job.progress.bytesDone, error: `ingest worker crashed: ${err.message}` }));
    worker.on('exit', (code) => finish({ state: 'failed', bytesDone: job.progress.bytesDone, error: `ingest worker exited with code ${code} before finishing` }));
  };

  if (!options.slots) startWorker(() => {});
  else {
    const slot = options.slots.take(startWorker);
    if ('release' in slot) startWorker(slot.release);
    else {
      leaveLine = slot.leave;
      job.waiting = `queued: ${options.slots.limit} ingest${options.slots.limit === 1 ? '' : 's'} run at once, this one starts when one of them ends`;
    }
  }
  return job;
}
