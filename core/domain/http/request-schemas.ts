// The HTTP domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, oneOf, pageFields, requestSchemas, viewScope, wholeNumber } from '../request-checks/request-schema';
import type { ExchangeSortColumn, HttpMethods } from './contract';
import type { TableExportFormat } from '../tables/contract';

const EXPORT_FORMATS: Record<TableExportFormat, true> = { csv: true, json: true };
const SORT_COLUMNS: Record<ExchangeSortColumn, true> = { time: true, method: true, target: true, status: true, latency: true, container: true, diagnostics: true };

export const HTTP_REQUESTS = requestSchemas<HttpMethods>()({
  'http.exchanges': z.object({
    caseId: caseIdField,
    scope: viewScope.optional(),
    sort: z.object({ column: oneOf(SORT_COLUMNS), desc: z.boolean().optional() }).optional(),
    ...pageFields,
  }),
  'http.exchange': z.object({ caseId: caseIdField, id: wholeNumber(1) }),
  'http.latency': z.object({ caseId: caseIdField, scope: viewScope.optional(), buckets: wholeNumber(1).optional() }),
  'http.export': z.object({
    caseId: caseIdField,
    scope: viewScope.optional(),
    sort: z.object({ column: oneOf(SORT_COLUMNS), desc: z.boolean().optional() }).optional(),
    format: oneOf(EXPORT_FORMATS),
  }),
});
