// The core behind the API: the case manager and one handler per method of core/api.ts, gathered
// from the API domains (core/domain/<name>/handlers.ts). Both transports (Electron IPC, local HTTP)
// and the CLI use this object.

import type { ApiHandlers, CaseSummary, IngestProgress } from '../api';
import { createCaseHandlers } from '../domain/case/handlers';
import { createViewHandlers } from '../domain/view-handlers';
import { createCaseManager, type CoreOptions, type OpenOptions } from './case-manager';

export type { CoreOptions, OpenOptions } from './case-manager';

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

export function createCore(options: CoreOptions): Core {
  const cases = createCaseManager(options);
  const handlers: ApiHandlers = {
    ...createCaseHandlers(cases),
    ...createViewHandlers(cases),
  };
  return {
    handlers,
    open: (file, openOptions) => cases.open(file, openOptions),
    waitForIngest: (caseId, onProgress) => cases.waitForIngest(caseId, onProgress),
    setInitialCase: (caseId) => cases.setInitialCase(caseId),
    cacheDir: cases.cacheDir,
    close: () => cases.close(),
  };
}
