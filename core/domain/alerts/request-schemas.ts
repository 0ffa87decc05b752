// The alerts domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, requestSchemas, wholeNumber } from '../request-checks/request-schema';
import type { AlertsMethods } from './contract';

export const ALERTS_REQUESTS = requestSchemas<AlertsMethods>()({
  'alerts.list': z.object({
    caseId: caseIdField,
    rules: z.array(z.object({ name: z.string(), text: z.string() })).optional(),
    perRule: wholeNumber(1).optional(),
  }),
});
