// Runs one ingest the way `capscope index` does — the built ingest worker (dist/ingest-worker.mjs)
// in a worker thread, writing a fresh index — but under limits the fuzzer needs: a wall-clock
// timeout and a heap cap for the worker, and the process's resident memory watched while it runs.
// A worker that outruns either is terminated (terminate() stops even a loop that never yields),
// so one hostile input costs one input, not the run. What it observed is read back from the index.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';

export const INGEST_WORKER = path.join(REPO_ROOT, 'dist', 'ingest-worker.mjs');

export interface ProbeLimits {
  /** Wall-clock time for one ingest. */
  timeoutMs: number;
  /** The worker's old-generation heap, and how far the process's RSS may grow over its start. */
  memoryMb: number;
}

export const DEFAULT_LIMITS: ProbeLimits = { timeoutMs: 30_000, memoryMb: 768 };

export interface ObservedSource {
  id: number;
  entry: string;
  format: string;
  status: string;
  error: string | null;
}

export interface ObservedDiagnostic {
  sourceId: number | null;
  offset: number | null;
  code: string;
  severity: string;
  message: string;
}

export interface HeapObserved {
  objects: number;
  complete: boolean;
}

export interface IngestObservation {
  /** How the ingest ended; `crashed`, `timeout` and `memory` are the harness's own verdicts. */
  state: 'done' | 'failed' | 'cancelled' | 'crashed' | 'timeout' | 'memory';
  error: string | null;
  sources: ObservedSource[];
  diagnostics: ObservedDiagnostic[];
  /** Events (scap) and packets (pcap, pcapng) stored. */
  records: number;
  /** Each stored record's offset in its source's uncompressed bytes. */
  recordOffsets: number[];
  /** The jvm model's summary of each heap dump, by source id. */
  heaps: Map<number, HeapObserved>;
  ms: number;
  /** The most the process's RSS grew while the ingest ran. */
  rssGrowthMb: number;
}

interface WorkerDone {
  type: 'done';
  outcome: { state: 'done' | 'failed' | 'cancelled'; error: string | null };
}

/** `workerPath` is the built ingest worker; the harness's own tests hand it misbehaving stand-ins. */
export async function probeIngest(file: string, dbPath: string, limits: ProbeLimits = DEFAULT_LIMITS, workerPath = INGEST_WORKER): Promise<IngestObservation> {
  if (!fs.existsSync(workerPath)) throw new Error(`${workerPath} is missing: run 'node scripts/build.mjs' first`);
  const started = performance.now();
  const rssAtStart = process.memoryUsage.rss();
  let peakRss = rssAtStart;
  const worker = new Worker(workerPath, {
    workerData: { file, dbPath },
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: 64 },
    stdout: true,
    stderr: true,
  });
  // The worker's own console output is not the CLI's stderr; drain it so it cannot block.
  worker.stdout.resume();
  worker.stderr.resume();
  const ended = await new Promise<{ state: IngestObservation['state']; error: string | null }>((resolve) => {
    let settled = false;
    const settle = (v: { state: IngestObservation['state']; error: string | null }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      resolve(v);
    };
    const stop = (state: 'timeout' | 'memory', error: string) => {
      settle({ state, error });
      void worker.terminate();
    };
    const timer = setTimeout(() => stop('timeout', `no result after ${limits.timeoutMs} ms`), limits.timeoutMs);
    const watch = setInterval(() => {
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      if (rss - rssAtStart > limits.memoryMb * 2 ** 20) stop('memory', `resident memory grew by ${Math.round((rss - rssAtStart) / 2 ** 20)} MB`);
    }, 25);
    worker.on('message', (m: { type: string }) => {
      if (m.type === 'done') settle({ state: (m as WorkerDone).outcome.state, error: (m as WorkerDone).outcome.error });
    });
    worker.on('error', (err: Error & { code?: string }) =>
      settle({ state: err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crashed', error: `${err.name}: ${err.message}\n${err.stack ?? ''}` }),
    );
    worker.on('exit', (code) => settle({ state: 'crashed', error: `the ingest worker exited with code ${code} before it finished` }));
  });
  await worker.terminate();
  const ms = performance.now() - started;
  const read = readIndex(dbPath);
  return { ...ended, ...read, ms, rssGrowthMb: Math.round((peakRss - rssAtStart) / 2 ** 20) };
}

/** What the ingest left in the index (empty when it left no index at all). */
function readIndex(dbPath: string): Pick<IngestObservation, 'sources' | 'diagnostics' | 'records' | 'recordOffsets' | 'heaps'> {
  const empty = { sources: [], diagnostics: [], records: 0, recordOffsets: [], heaps: new Map() };
  if (!fs.existsSync(dbPath)) return empty;
  let db: Database.Database;
  try {
    db = openIndexDb(dbPath, { readonly: true, fileMustExist: true });
  } catch {
    return empty;
  }
  try {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").pluck().all() as string[]);
    if (!tables.has('sources')) return empty;
    const sources = db.prepare('SELECT id, entry, format, status, error FROM sources ORDER BY id').all() as ObservedSource[];
    const diagnostics = db
      .prepare('SELECT source_id AS sourceId, offset, code, severity, message FROM diagnostics ORDER BY id LIMIT 500')
      .all() as ObservedDiagnostic[];
    const recordOffsets: number[] = [];
    for (const table of ['events', 'packets']) {
      if (tables.has(table)) recordOffsets.push(...(db.prepare(`SELECT file_offset FROM ${table}`).pluck().all() as number[]));
    }
    const heaps = new Map<number, HeapObserved>();
    if (tables.has('heap_summary')) {
      for (const h of db.prepare("SELECT source_id AS id, objects, complete FROM heap_summary WHERE model = 'jvm'").all() as { id: number; objects: number; complete: number }[]) {
        heaps.set(h.id, { objects: h.objects, complete: h.complete === 1 });
      }
    }
    return { sources, diagnostics, records: recordOffsets.length, recordOffsets, heaps };
  } finally {
    db.close();
  }
}
