// The report domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, oneOf, requestSchemas } from '../request-checks/request-schema';
import type { ReportFormat, ReportMethods } from './contract';

const FORMATS: Record<ReportFormat, true> = { html: true, md: true };

// A report's range takes any time `capscope report --from/--to` reads (docs/report.md), not only
// nanoseconds: the report's own time parser checks it and names the end that does not read.
const reportScope = z.object({ filter: z.string().optional(), range: z.object({ from: z.string(), to: z.string() }).nullable().optional() });

export const REPORT_REQUESTS = requestSchemas<ReportMethods>()({
  'report.export': z.object({ caseId: caseIdField, format: oneOf(FORMATS), redact: z.boolean().optional(), scope: reportScope.optional() }),
});
