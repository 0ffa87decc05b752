// The findings domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, pageFields, requestSchemas, viewScope } from '../request-checks/request-schema';
import type { FindingsMethods } from './contract';

export const FINDINGS_REQUESTS = requestSchemas<FindingsMethods>()({
  'findings.list': z.object({ caseId: caseIdField, scope: viewScope.optional(), group: z.string().optional(), ...pageFields }),
  'findings.groups': z.object({ caseId: caseIdField, scope: viewScope.optional() }),
});
