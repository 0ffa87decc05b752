// The case domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, pageFields, requestSchemas, wholeNumber } from '../request-checks/request-schema';
import type { CaseMethods } from './contract';

const byCase = z.object({ caseId: caseIdField });

export const CASE_REQUESTS = requestSchemas<CaseMethods>()({
  'app.info': z.object({}),
  'app.recentFiles': z.object({}),
  'case.open': z.object({ path: z.string().min(1), reindex: z.boolean().optional() }),
  'case.get': byCase,
  'case.reindex': byCase,
  'case.cancel': byCase,
  'case.close': byCase,
  'case.diagnostics': z.object({ caseId: caseIdField, sourceId: wholeNumber(1).optional(), ...pageFields }),
  'explore.shape': byCase,
});
