// The case manager: the opened cases, their ingest jobs and their indexes. A case is opened by its
// evidence file, indexed in the background unless its index is up to date, and read through its
// index by the API's handlers (core/app/create-core.ts wires them to it).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type CaseSummary, type IngestProgress } from '../api';
import type { CaseKeeper } from '../domain/case/handlers';
import type { CaseAccess } from '../domain/case-access/case-access';
import { CaseIndex } from '../index/case-index';
import { fingerprintFile, sameFingerprint } from '../index/fingerprint';
import { startIngestJob, type IngestJob } from '../ingest/job';
import { cacheDir as defaultCacheDir, defaultDbPath } from '../index/locations';
import { RecentFiles } from './recent-files';
import { INDEXER_VERSION } from '../index/indexer-version';
import { INDEX_SCHEMA } from '../registry/schema';
import { CAPSCOPE_VERSION } from '../../common/version';

export interface CoreOptions {
  transport: 'electron' | 'web';
  /** A bundled sample capture to offer on the open screen. */
  samplePath: string | null;
  /** Where indexes, uploads and the recent-files list live (default: the per-user cache). */
  cacheDir?: string;
}

export interface OpenOptions {
  /** Index location for this case (default: one per evidence file in the cache directory). */
  dbPath?: string;
  /** Index again even if the index matches the file. */
  reindex?: boolean;
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
  index: CaseIndex;
  job: IngestJob | null;
  reused: boolean;
}

export function createCaseManager(options: CoreOptions): CaseManager {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const recent = new RecentFiles(path.join(cacheDir, 'recent-files.json'));
  const cases = new Map<string, OpenCase>();
  let initialCaseId: string | null = null;

  const caseIdFor = (dbPath: string) => crypto.createHash('sha256').update(path.resolve(dbPath)).digest('hex').slice(0, 16);

  function getCase(caseId: string): OpenCase {
    const found = cases.get(caseId);
    if (!found) throw new ApiError('not-found', `no open case ${caseId}`);
    return found;
  }

  async function open(file: string, openOptions: OpenOptions = {}): Promise<CaseSummary> {
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
    const existing = cases.get(caseId);
    if (existing && existing.job && !existing.job.outcome) return summarize(existing);
    existing?.index.close();

    const index = CaseIndex.open(dbPath, INDEX_SCHEMA);
    const opened: OpenCase = { caseId, file: real, dbPath, fileBytes: stat.size, index, job: null, reused: false };
    cases.set(caseId, opened);
    recent.add(real);

    const last = index.lastIngest();
    const fingerprint = await fingerprintFile(real);
    const upToDate = last !== null && last.state === 'done' && last.indexer === INDEXER_VERSION && sameFingerprint(last.fingerprint, fingerprint);
    if (upToDate && !openOptions.reindex) opened.reused = true;
    else opened.job = startIngestJob(real, dbPath);
    return summarize(opened);
  }

  function progressOf(c: OpenCase): IngestProgress {
    const job = c.job;
    if (job) {
      const outcome = job.outcome;
      return {
        state: outcome ? outcome.state : 'running',
        bytesDone: outcome ? Math.max(outcome.bytesDone, job.progress.bytesDone) : job.progress.bytesDone,
        bytesTotal: c.fileBytes,
        currentEntry: outcome ? null : job.progress.currentEntry,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        reused: false,
        error: outcome?.error ?? null,
      };
    }
    const last = c.index.lastIngest();
    return {
      state: last ? (last.state === 'running' ? 'failed' : last.state) : 'idle',
      bytesDone: last?.bytesDone ?? 0,
      bytesTotal: c.fileBytes,
      currentEntry: null,
      startedAt: last?.startedAt ?? null,
      finishedAt: last?.finishedAt ?? null,
      reused: c.reused,
      error: last?.error ?? null,
    };
  }

  function summarize(c: OpenCase): CaseSummary {
    return {
      caseId: c.caseId,
      file: c.file,
      dbPath: c.dbPath,
      fileBytes: c.fileBytes,
      progress: progressOf(c),
      sources: c.index.listSources(),
      diagnosticCount: c.index.countDiagnostics(),
    };
  }

  async function waitForIngest(caseId: string, onProgress?: (progress: IngestProgress) => void): Promise<CaseSummary> {
    const c = getCase(caseId);
    if (c.job && !c.job.outcome) {
      if (onProgress) c.job.onProgress(() => onProgress(progressOf(c)));
      await c.job.done;
    }
    return summarize(c);
  }

  return {
    cacheDir,
    open,
    waitForIngest,
    summary: (caseId) => summarize(getCase(caseId)),
    db: (caseId) => getCase(String(caseId)).index.db,
    reindex: async (caseId) => {
      const c = getCase(caseId);
      return open(c.file, { dbPath: c.dbPath, reindex: true });
    },
    cancel: async (caseId) => {
      const c = getCase(caseId);
      if (c.job && !c.job.outcome) {
        c.job.cancel();
        await c.job.done;
      }
      return summarize(c);
    },
    diagnostics: (caseId, page) => {
      const c = getCase(caseId);
      return { total: c.index.countDiagnostics(page.sourceId), rows: c.index.listDiagnostics(page) };
    },
    appInfo: () => ({
      version: CAPSCOPE_VERSION,
      transport: options.transport,
      samplePath: options.samplePath,
      initialCaseId,
    }),
    recentFiles: () => recent.list(),
    setInitialCase: (caseId) => {
      getCase(caseId);
      initialCaseId = caseId;
    },
    close: async () => {
      for (const c of cases.values()) {
        if (c.job && !c.job.outcome) {
          c.job.cancel();
          await c.job.done;
        }
        c.index.close();
      }
      cases.clear();
    },
  };
}
