// The core behind the API: the case manager and one handler per method of core/api.ts, gathered
// from the API domains (core/domain/<name>/handlers.ts), each behind the check of its request
// against the contract (core/domain/request-schemas.ts). Both transports (Electron IPC, local HTTP)
// and the CLI use this object, so none of them can hand a handler a request of the wrong shape.

import { API_METHODS, type ApiHandlers, type ApiMethod, type CaseSummary, type IngestProgress } from '../api';
import { createCaseHandlers } from '../domain/case/handlers';
import { checkApiRequest } from '../domain/request-schemas';
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
  const handlers = checkedHandlers({
    ...createCaseHandlers(cases),
    ...createViewHandlers(cases),
  });
  return {
    handlers,
    open: (file, openOptions) => cases.open(file, openOptions),
    waitForIngest: (caseId, onProgress) => cases.waitForIngest(caseId, onProgress),
    setInitialCase: (caseId) => cases.setInitialCase(caseId),
    cacheDir: cases.cacheDir,
    close: () => cases.close(),
  };
}

/** Each handler behind the check of its request: a bad request never reaches SQL or the case manager. */
function checkedHandlers(handlers: ApiHandlers): ApiHandlers {
  const checked: Partial<Record<ApiMethod, (request: unknown) => Promise<unknown>>> = {};
  for (const method of API_METHODS) {
    const handler = handlers[method] as (request: unknown) => Promise<unknown>;
    // async: a refused request is a rejected promise, like every other failure of a handler.
    checked[method] = async (request) => handler(checkApiRequest(method, request));
  }
  return checked as ApiHandlers;
}
