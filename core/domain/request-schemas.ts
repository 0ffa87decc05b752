// Every method's request schema, gathered from the API domains (core/domain/<name>/request-schemas.ts),
// and the check the core runs on every request before its handler sees it: the one boundary that the
// web server, the Electron IPC binding and the CLI all pass through (core/app/create-core.ts).

import type { z } from 'zod';
import type { ApiMethod, ApiRequest } from '../api';
import { ALERTS_REQUESTS } from './alerts/request-schemas';
import { CASE_REQUESTS } from './case/request-schemas';
import { FINDINGS_REQUESTS } from './findings/request-schemas';
import { HEAP_REQUESTS } from './heap/request-schemas';
import { HTTP_REQUESTS } from './http/request-schemas';
import { OVERVIEW_REQUESTS } from './overview/request-schemas';
import { PROFILE_REQUESTS } from './profile/request-schemas';
import { REPORT_REQUESTS } from './report/request-schemas';
import { checkRequest } from './request-checks/request-schema';
import { STREAM_REQUESTS } from './streams/request-schemas';
import { TABLE_REQUESTS } from './tables/request-schemas';
import { EXPORT_REQUESTS } from './export/request-schemas';
import { SEARCH_REQUESTS } from './search/request-schemas';
import { BOOKMARKS_REQUESTS } from './bookmarks/request-schemas';
import { PACKET_REQUESTS } from './packets/request-schemas';

const REQUEST_SCHEMAS: { [M in ApiMethod]: z.ZodType<ApiRequest<M>> } = {
  ...CASE_REQUESTS,
  ...OVERVIEW_REQUESTS,
  ...TABLE_REQUESTS,
  ...STREAM_REQUESTS,
  ...HTTP_REQUESTS,
  ...HEAP_REQUESTS,
  ...PROFILE_REQUESTS,
  ...FINDINGS_REQUESTS,
  ...ALERTS_REQUESTS,
  ...REPORT_REQUESTS,
  ...EXPORT_REQUESTS,
  ...SEARCH_REQUESTS,
  ...BOOKMARKS_REQUESTS,
  ...PACKET_REQUESTS,
};

/** The request as `method`'s contract types it; ApiError('bad-request') naming the field otherwise. */
export function checkApiRequest<M extends ApiMethod>(method: M, request: unknown): ApiRequest<M> {
  return checkRequest(method, REQUEST_SCHEMAS[method], request);
}
