// The case manager: the opened cases, their ingest jobs and their indexes. A case is opened by its
// evidence file, indexed in the background unless its index is up to date, and read through its
// index by the API's handlers (core/app/create-core.ts wires them to it).
//
// Opening a case is work that may wait twice, and both waits are visible in its progress (`waiting`)
// instead of blocking whoever asked: for the index's lock, when another capscope process is writing
// the same index (core/index/index-lock.ts), and for an ingest slot, when the process already runs as
// many ingests as it may (core/ingest/ingest-slots.ts). While a case's work is under way, opening or
// re-indexing it again joins that work: one ingest per case, however many requests ask for one.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type CaseSummary, type IngestProgress } from '../api';
import type { CaseKeeper } from '../domain/case/handlers';
import type { CaseAccess } from '../domain/case-access/case-access';
import { CaseIndex } from '../index/case-index';
import { fingerprintFile, sameFingerprint } from '../index/fingerprint';
import { diskFullMessage, indexFaultMessage, isDiskFull } from '../index/index-fault';
import { IndexLock } from '../index/index-lock';
import { startIngestJob, type IngestJob } from '../ingest/job';
import { IngestSlots } from '../ingest/ingest-slots';
import type { SpareIngestWorker } from '../ingest/spare-worker';
import type { StreamCopy } from '../ingest/stream-copy';
import { cacheDir as defaultCacheDir, defaultDbPath } from '../index/locations';
import { RecentFiles } from './recent-files';
import { INDEXER_VERSION } from '../index/indexer-version';
import { INDEX_SCHEMA } from '../registry/schema';
import { CAPSCOPE_VERSION } from '../../common/version';

/** Ingests at once by default: each is a worker thread and a writer; two keep a small machine responsive. */
export const DEFAULT_CONCURRENT_INGESTS = 2;

export interface CoreOptions {
  transport: 'electron' | 'web';
  /** A bundled sample capture to offer on the open screen. */
  samplePath: string | null;
  /** Where indexes, uploads and the recent-files list live (default: the per-user cache). */
  cacheDir?: string;
  /** How many ingests may run at once; the others wait their turn (default DEFAULT_CONCURRENT_INGESTS). */
  maxConcurrentIngests?: number;
  /**
   * An ingest worker started before the core (`capscope index`: bin/capscope.js), for the first
   * ingest to take; ended at close if none did.
   */
  spareIngestWorker?: SpareIngestWorker | null;
}

export interface OpenOptions {
  /** Index location for this case (default: one per evidence file in the cache directory). */
  dbPath?: string;
  /** Index again even if the index matches the file. */
  reindex?: boolean;
  /** Told, once, when the case must wait for another process that is writing its index. */
  onWait?: (reason: string) => void;
  /** A folder that belongs to the case (an upload's, holding the file and its index): removed with the case. */
  ownedDir?: string;
  /**
   * The file is the copy of standard input still being written (`capscope index -`): it is indexed
   * as it grows, whatever an index of it says, and the case stops reading the stream when it is
   * cancelled or closed.
   */
  growing?: StreamCopy;
}

/** The opened cases, as the API's handlers see them (CaseKeeper, CaseAccess) and as the shells drive them. */
export interface CaseManager extends CaseKeeper, CaseAccess {
  open(file: string, options?: OpenOptions): Promise<CaseSummary>;
  /** Resolves with the case's summary once its ingest (if any) has finished. */
  waitForIngest(caseId: string, onProgress?: (progress: IngestProgress) => void): Promise<CaseSummary>;
  /** Makes `caseId` the case app.info reports as opened at start-up. */
  setInitialCase(caseId: string): void;
  readonly cacheDir: string;
  close(): Promise<void>;
}

interface OpenCase {
  caseId: string;
  file: string;
  dbPath: string;
  fileBytes: number;
  /** Null until this process may open the index: another process is writing it. */
  index: CaseIndex | null;
  job: IngestJob | null;
  reused: boolean;
  /** Opening, waiting, indexing: set while the case's work is under way, and what it resolves with. */
  work: Promise<void> | null;
  /** Resolves when a request that opened the case can be answered: the reuse decided, the ingest started, or a wait begun. */
  answerable: Promise<void> | null;
  /** Why the work has not started: another process holds the index's lock. */
  waitingForLock: string | null;
  cancelRequested: boolean;
  /** How the last work ended when it ended before an ingest ran (cancelled while waiting, the index would not open). */
  endedEarly: { state: 'cancelled' | 'failed'; error: string | null; at: number } | null;
  /** A folder that goes with the case (an upload's: the file and its index). */
  ownedDir: string | null;
  /** The copy of standard input this case's evidence is, while this process writes it. */
  growing: StreamCopy | null;
  /** Whoever follows the case's ingest (waitForIngest), told of its progress once it runs. */
  followers: Set<() => void>;
}

/** A fault of a case's work as one line naming what it is about. */
function workFault(err: unknown, c: OpenCase): string {
  if (isDiskFull(err)) return diskFullMessage(c.dbPath, c.file);
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
  return message.includes(c.file) || message.includes(c.dbPath) ? message : `${c.file}: ${message}`;
}

export function createCaseManager(options: CoreOptions): CaseManager {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const recent = new RecentFiles(path.join(cacheDir, 'recent-files.json'));
  const slots = new IngestSlots(options.maxConcurrentIngests ?? DEFAULT_CONCURRENT_INGESTS);
  const cases = new Map<string, OpenCase>();
  let initialCaseId: string | null = null;
  let closing = false;
  let spare = options.spareIngestWorker ?? null;

  const caseIdFor = (dbPath: string) => crypto.createHash('sha256').update(path.resolve(dbPath)).digest('hex').slice(0, 16);

  function getCase(caseId: string): OpenCase {
    const found = cases.get(caseId);
    if (!found) throw new ApiError('not-found', `no open case ${caseId}`);
    return found;
  }

  async function open(file: string, openOptions: OpenOptions = {}): Promise<CaseSummary> {
    if (closing) throw new ApiError('bad-request', 'capscope is shutting down');
    const resolved = path.resolve(file);
    let real: string;
    try {
      real = await fs.promises.realpath(resolved);
    } catch {
      throw new ApiError('bad-input', `${resolved}: no such file`);
    }
    const stat = await fs.promises.stat(real);
    if (!stat.isFile()) throw new ApiError('bad-input', `${real}: not a regular file`);
    const dbPath = path.resolve(openOptions.dbPath ?? defaultDbPath(real, cacheDir));
    const caseId = caseIdFor(dbPath);

    // From here to the start of the work nothing awaits: a second request for the case sees the first's work and joins it.
    const existing = cases.get(caseId);
    if (existing?.work) {
      await existing.answerable;
      return summarize(existing);
    }
    const c: OpenCase = existing ?? {
      caseId,
      file: real,
      dbPath,
      fileBytes: stat.size,
      index: null,
      job: null,
      reused: false,
      work: null,
      answerable: null,
      waitingForLock: null,
      cancelRequested: false,
      endedEarly: null,
      ownedDir: null,
      growing: null,
      followers: new Set(),
    };
    Object.assign(c, { file: real, fileBytes: stat.size, job: null, reused: false, cancelRequested: false, endedEarly: null, ownedDir: openOptions.ownedDir ?? c.ownedDir, growing: openOptions.growing ?? null });
    cases.set(caseId, c);
    // An upload is gone with its case: listing it among the recent files would offer a file that is not there.
    if (!c.ownedDir) recent.add(real);
    let answer!: () => void;
    c.answerable = new Promise<void>((resolve) => (answer = resolve));
    c.work = runWork(c, openOptions, answer)
      .catch((err: unknown) => {
        // The evidence went away under us, the disk filled, the index broke while it was read: the case says so.
        c.endedEarly = { state: 'failed', error: workFault(err, c), at: Date.now() };
      })
      .finally(() => {
        c.work = null;
        answer();
      });
    await c.answerable;
    // An index that would not open, with nothing waited for: the request that opened it fails.
    if (c.endedEarly?.state === 'failed' && !c.index) throw new ApiError('storage', c.endedEarly.error ?? `${dbPath}: the index could not be opened`);
    return summarize(c);
  }

  /** The case's work: the index's lock, the reuse decision, the ingest; the lock is let go at the end. */
  async function runWork(c: OpenCase, openOptions: OpenOptions, answer: () => void): Promise<void> {
    let lock: IndexLock | null;
    try {
      lock = IndexLock.tryAcquire(c.dbPath);
    } catch (err) {
      // The lock's file cannot be made beside the index (a full disk, a folder that is not writable).
      c.endedEarly = { state: 'failed', error: indexFaultMessage(err, c.dbPath, c.file), at: Date.now() };
      return;
    }
    if (!lock) {
      c.waitingForLock = `another capscope process is writing the index ${c.dbPath}; this case is read when it has finished`;
      openOptions.onWait?.(c.waitingForLock);
      answer();
      lock = await IndexLock.acquire(c.dbPath, () => c.cancelRequested || closing);
      c.waitingForLock = null;
      if (!lock) {
        c.endedEarly = { state: 'cancelled', error: null, at: Date.now() };
        return;
      }
    }
    try {
      try {
        c.index ??= CaseIndex.open(c.dbPath, INDEX_SCHEMA);
      } catch (err) {
        c.endedEarly = { state: 'failed', error: indexFaultMessage(err, c.dbPath, c.file), at: Date.now() };
        return;
      }
      const last = c.index.lastIngest();
      const fingerprint = await fingerprintFile(c.file);
      const upToDate = last !== null && last.state === 'done' && last.indexer === INDEXER_VERSION && sameFingerprint(last.fingerprint, fingerprint);
      if (c.cancelRequested) {
        c.endedEarly = { state: 'cancelled', error: null, at: Date.now() };
        return;
      }
      if (upToDate && !openOptions.reindex && !c.growing) {
        c.reused = true;
        return;
      }
      c.job = startIngestJob(c.file, c.dbPath, { slots, growing: c.growing ?? undefined, spare: spare ?? undefined });
      spare = null; // the first job takes it: at once, or when its slot comes (ending it if cancelled first)
      c.job.onProgress(() => {
        for (const follower of c.followers) follower();
      });
      answer();
      await c.job.done;
      // A file that could not be read (a text file opened by mistake) is listed as failed, with why.
      const outcome = c.job.outcome;
      if (!c.ownedDir && outcome && outcome.state !== 'cancelled') recent.setOutcome(c.file, outcome.state === 'failed' ? (outcome.error ?? 'indexing failed') : null);
    } finally {
      lock.release();
    }
  }

  /** The evidence's size: what has arrived so far, for a copy of standard input still being written. */
  function fileBytesOf(c: OpenCase): number {
    return c.growing ? c.growing.bytes : c.fileBytes;
  }

  function streamingOf(c: OpenCase): boolean {
    return c.growing !== null && !c.growing.complete;
  }

  function progressOf(c: OpenCase): IngestProgress {
    const job = c.job;
    if (c.waitingForLock !== null || (c.work && !job && !c.reused && !c.endedEarly)) {
      return { state: 'running', bytesDone: 0, bytesTotal: fileBytesOf(c), currentEntry: null, startedAt: null, finishedAt: null, reused: false, waiting: c.waitingForLock, error: null, streaming: streamingOf(c), updates: 0 };
    }
    if (job) {
      const outcome = job.outcome;
      return {
        state: outcome ? outcome.state : 'running',
        bytesDone: outcome ? Math.max(outcome.bytesDone, job.progress.bytesDone) : job.progress.bytesDone,
        bytesTotal: fileBytesOf(c),
        currentEntry: outcome ? null : job.progress.currentEntry,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        reused: false,
        waiting: job.waiting,
        error: outcome?.error ?? null,
        streaming: streamingOf(c),
        updates: job.progress.updates,
      };
    }
    if (c.endedEarly) {
      return { state: c.endedEarly.state, bytesDone: 0, bytesTotal: fileBytesOf(c), currentEntry: null, startedAt: null, finishedAt: c.endedEarly.at, reused: false, waiting: null, error: c.endedEarly.error, streaming: streamingOf(c), updates: 0 };
    }
    const last = c.index?.lastIngest() ?? null;
    return {
      // A 'running' row that no job of this process writes was left by an ingest that was killed.
      state: last ? (last.state === 'running' ? 'failed' : last.state) : 'idle',
      bytesDone: last?.bytesDone ?? 0,
      bytesTotal: fileBytesOf(c),
      currentEntry: null,
      startedAt: last?.startedAt ?? null,
      finishedAt: last?.finishedAt ?? null,
      reused: c.reused,
      waiting: null,
      error: last?.error ?? null,
      streaming: streamingOf(c),
      updates: 0,
    };
  }

  function summarize(c: OpenCase): CaseSummary {
    return {
      caseId: c.caseId,
      file: c.file,
      dbPath: c.dbPath,
      fileBytes: fileBytesOf(c),
      progress: progressOf(c),
      sources: c.index?.listSources() ?? [],
      diagnosticCount: c.index?.countDiagnostics() ?? 0,
    };
  }

  async function waitForIngest(caseId: string, onProgress?: (progress: IngestProgress) => void): Promise<CaseSummary> {
    const c = getCase(caseId);
    if (c.work) {
      // The job may start only after a wait (the lock, a slot): the case tells its followers once it runs.
      const follower = onProgress ? () => onProgress(progressOf(c)) : null;
      if (follower) c.followers.add(follower);
      try {
        await c.work;
      } finally {
        if (follower) c.followers.delete(follower);
      }
    }
    return summarize(c);
  }

  function indexOf(c: OpenCase): CaseIndex {
    if (c.index) return c.index;
    if (c.endedEarly?.state === 'failed' && c.endedEarly.error) throw new ApiError('storage', c.endedEarly.error);
    throw new ApiError('busy', c.waitingForLock ?? `${c.dbPath}: the index of ${c.file} is not open yet`);
  }

  async function cancel(c: OpenCase): Promise<void> {
    if (!c.work) return;
    c.cancelRequested = true;
    // Cancelled, the case reads no more of its stream: the copy keeps what had arrived.
    void c.growing?.stop();
    c.job?.cancel();
    await c.work;
  }

  /** Stops the case's work, closes its index and forgets it; an upload's folder goes with it. */
  async function closeCase(c: OpenCase): Promise<void> {
    await cancel(c);
    c.index?.close();
    c.index = null;
    if (cases.get(c.caseId) === c) cases.delete(c.caseId);
    if (initialCaseId === c.caseId) initialCaseId = null;
    if (c.ownedDir) fs.rmSync(c.ownedDir, { recursive: true, force: true });
  }

  return {
    cacheDir,
    open,
    waitForIngest,
    summary: (caseId) => summarize(getCase(caseId)),
    db: (caseId) => indexOf(getCase(String(caseId))).db,
    reindex: async (caseId) => {
      const c = getCase(caseId);
      return open(c.file, { dbPath: c.dbPath, reindex: true });
    },
    cancel: async (caseId) => {
      const c = getCase(caseId);
      // A case following standard input is asked to stop reading it first (Ctrl+C does the same):
      // what arrived is indexed whole. Asked again, once the stream has ended, its ingest is cancelled.
      if (c.growing && !c.growing.complete) await c.growing.stop();
      else await cancel(c);
      return summarize(c);
    },
    diagnostics: (caseId, page) => {
      const c = getCase(caseId);
      if (!c.index) return { total: 0, rows: [] };
      return { total: c.index.countDiagnostics(page.sourceId), rows: c.index.listDiagnostics(page) };
    },
    appInfo: () => ({
      version: CAPSCOPE_VERSION,
      transport: options.transport,
      samplePath: options.samplePath,
      initialCaseId,
    }),
    recentFiles: () => recent.entries(),
    setInitialCase: (caseId) => {
      getCase(caseId);
      initialCaseId = caseId;
    },
    closeCase: (caseId) => closeCase(getCase(caseId)),
    close: async () => {
      closing = true;
      spare?.dispose();
      await Promise.all([...cases.values()].map((c) => closeCase(c)));
    },
  };
}
