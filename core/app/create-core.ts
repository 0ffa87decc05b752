// The core behind the API: opened cases, their ingest jobs and their indexes, and one handler per
// method of core/api.ts. Both transports (Electron IPC, local HTTP) and the CLI use this object.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  type ApiHandlers,
  type CaseSummary,
  type IngestProgress,
} from '../api';
import { CaseIndex } from '../index/case-index';
import { fingerprintFile, sameFingerprint } from '../index/fingerprint';
import { startIngestJob, type IngestJob } from '../ingest/job';
import { cacheDir as defaultCacheDir, defaultDbPath } from '../index/locations';
import { createEvidenceHandlers } from '../queries/evidence-handlers';
import { createExploreHandlers } from '../queries/explore-handlers';
import { createReportHandlers } from '../queries/report-handlers';
import type { CaseAccess } from '../queries/case-access';
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

export interface Core {
  handlers: ApiHandlers;
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

const DIAGNOSTICS_PAGE_MAX = 1000;

export function createCore(options: CoreOptions): Core {
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

  const access: CaseAccess = { db: (caseId) => getCase(String(caseId)).index.db };

  const handlers: ApiHandlers = {
    ...createExploreHandlers(access),
    ...createEvidenceHandlers(access),
    ...createReportHandlers(access),
    'app.info': async () => ({
      version: CAPSCOPE_VERSION,
      transport: options.transport,
      samplePath: options.samplePath,
      initialCaseId,
    }),
    'app.recentFiles': async () => ({ files: recent.list() }),
    'case.open': async (req) => {
      if (typeof req?.path !== 'string' || req.path === '') throw new ApiError('bad-request', 'case.open needs a path');
      return open(req.path, { reindex: req.reindex === true });
    },
    'case.get': async (req) => summarize(getCase(String(req?.caseId))),
    'case.reindex': async (req) => {
      const c = getCase(String(req?.caseId));
      return open(c.file, { dbPath: c.dbPath, reindex: true });
    },
    'case.cancel': async (req) => {
      const c = getCase(String(req?.caseId));
      if (c.job && !c.job.outcome) {
        c.job.cancel();
        await c.job.done;
      }
      return summarize(c);
    },
    'case.diagnostics': async (req) => {
      const c = getCase(String(req?.caseId));
      const limit = clamp(req.limit ?? 100, 1, DIAGNOSTICS_PAGE_MAX);
      const offset = Math.max(0, Math.trunc(req.offset ?? 0));
      const sourceId = req.sourceId === undefined ? undefined : Number(req.sourceId);
      return { total: c.index.countDiagnostics(sourceId), rows: c.index.listDiagnostics({ sourceId, limit, offset }) };
    },
  };

  return {
    handlers,
    open,
    waitForIngest,
    setInitialCase: (caseId) => {
      getCase(caseId);
      initialCaseId = caseId;
    },
    cacheDir,
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

function clamp(value: number, min: number, max: number): number {
  const n = Number.isFinite(value) ? Math.trunc(value) : min;
  return Math.min(max, Math.max(min, n));
}
