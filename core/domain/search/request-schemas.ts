// The search domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, oneOf, requestSchemas, wholeNumber } from '../request-checks/request-schema';
import type { SearchMethods, SearchMode } from './contract';

const MODES: Record<SearchMode, true> = { text: true, hex: true, regex: true };

export const SEARCH_REQUESTS = requestSchemas<SearchMethods>()({
  'search.bytes': z.object({
    caseId: caseIdField,
    query: z.object({ mode: oneOf(MODES), pattern: z.string().min(1).max(1000), ignoreCase: z.boolean().optional() }),
    streamId: wholeNumber(0).optional(),
    limit: wholeNumber(1).optional(),
  }),
});
