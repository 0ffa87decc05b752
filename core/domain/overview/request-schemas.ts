// The overview domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, nsTimeRange, oneOf, requestSchemas, viewScope, wholeNumber } from '../request-checks/request-schema';
import type { MetricId, OverviewMethods } from './contract';

// The record makes the compiler insist that every metric of the contract is listed.
const METRIC_IDS: Record<MetricId, true> = {
  processes: true,
  containers: true,
  syscalls: true,
  findings: true,
  fileBytesIn: true,
  fileBytesOut: true,
  fileOpenErrors: true,
  netBytesIn: true,
  netBytesOut: true,
  connectionsIn: true,
  connectionsOut: true,
  connectionsFailed: true,
  listeningPorts: true,
  httpExchanges: true,
  httpErrors: true,
  grpcCalls: true,
  grpcErrors: true,
  execs: true,
  signals: true,
  securityAlerts: true,
  syscallErrors: true,
  slowSyscalls: true,
  logWrites: true,
};

export const OVERVIEW_REQUESTS = requestSchemas<OverviewMethods>()({
  'overview.tiles': z.object({ caseId: caseIdField, scope: viewScope, buckets: wholeNumber(1).optional() }),
  'timeline.series': z.object({
    caseId: caseIdField,
    scope: viewScope,
    metrics: z.array(oneOf(METRIC_IDS)),
    window: nsTimeRange.nullable().optional(),
    buckets: wholeNumber(1).optional(),
  }),
});
