// The case domain's methods (./contract.ts): the app's own facts, opening a case and following its
// ingest, its diagnostics, and its shape. The opened cases themselves (ingest jobs, indexes) are
// the case manager's (core/app/); these handlers reach them through the small interface below.

import { ApiError, type HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { warmUp } from '../tables/warm-up';
import { caseShape } from './case-shape';
import type { AppInfo, CaseMethods, CaseSummary, DiagnosticRow } from './contract';

/** What the case methods need from whoever keeps the opened cases. */
export interface CaseKeeper {
  /** Opens (and indexes, unless its index is up to date or `reindex`) an evidence file. */
  open(file: string, options: { reindex: boolean }): Promise<CaseSummary>;
  /** Throws ApiError('not-found') for an unknown case id, like every method below. */
  summary(caseId: string): CaseSummary;
  /** Indexes the case's file again from the start, into the same index. */
  reindex(caseId: string): Promise<CaseSummary>;
  /** Stops the case's ingest, if one runs, and waits for it to stop. */
  cancel(caseId: string): Promise<CaseSummary>;
  /** Stops the case's work, closes its index, forgets it; what belongs to it (an upload) is removed. */
  closeCase(caseId: string): Promise<void>;
  diagnostics(caseId: string, page: { sourceId?: number; limit: number; offset: number }): { total: number; rows: DiagnosticRow[] };
  appInfo(): AppInfo;
  /** Newest first, each with the error of its last ingest when it failed. */
  recentFiles(): { path: string; failed?: string }[];
}

const DIAGNOSTICS_PAGE_MAX = 1000;

export function createCaseHandlers(cases: CaseKeeper): HandlersOf<Omit<CaseMethods, 'explore.shape'>> {
  return {
    'app.info': async () => cases.appInfo(),
    'app.recentFiles': async () => {
      const entries = cases.recentFiles();
      return { files: entries.map((e) => e.path), failed: Object.fromEntries(entries.flatMap((e) => (e.failed === undefined ? [] : [[e.path, e.failed]]))) };
    },
    'case.open': async (req) => {
      if (typeof req?.path !== 'string' || req.path === '') throw new ApiError('bad-request', 'case.open needs a path');
      return cases.open(req.path, { reindex: req.reindex === true });
    },
    'case.get': async (req) => cases.summary(String(req?.caseId)),
    'case.reindex': async (req) => cases.reindex(String(req?.caseId)),
    'case.cancel': async (req) => cases.cancel(String(req?.caseId)),
    'case.close': async (req) => {
      await cases.closeCase(req.caseId);
      return { caseId: req.caseId };
    },
    'case.diagnostics': async (req) => {
      const limit = clamp(req.limit ?? 100, 1, DIAGNOSTICS_PAGE_MAX);
      const offset = Math.max(0, Math.trunc(req.offset ?? 0));
      const sourceId = req.sourceId === undefined ? undefined : Number(req.sourceId);
      return cases.diagnostics(String(req?.caseId), { sourceId, limit, offset });
    },
  };
}

/** explore.shape reads the case's index like the views do, so it needs only the index. */
export function createShapeHandlers(access: CaseAccess): HandlersOf<Pick<CaseMethods, 'explore.shape'>> {
  return {
    'explore.shape': async (req) => {
      const db = access.db(String(req?.caseId));
      const shape = caseShape(db);
      // The tables' slow loads start now, in slices, while the user reads the overview.
      warmUp(db);
      return shape;
    },
  };
}

function clamp(value: number, min: number, max: number): number {
  const n = Number.isFinite(value) ? Math.trunc(value) : min;
  return Math.min(max, Math.max(min, n));
}
