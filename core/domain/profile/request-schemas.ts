// The profile domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, oneOf, requestSchemas, wholeNumber } from '../request-checks/request-schema';
import type { ProfileMethods, TopSortColumn } from './contract';

const TOP_SORTS: Record<TopSortColumn, true> = { flat: true, cum: true, function: true };

const profileFields = { caseId: caseIdField, sourceId: wholeNumber(1), sampleType: z.string().optional(), baseSourceId: wholeNumber(1).optional() };

export const PROFILE_REQUESTS = requestSchemas<ProfileMethods>()({
  'profile.list': z.object({ caseId: caseIdField }),
  'profile.top': z.object({
    ...profileFields,
    sort: z.object({ column: oneOf(TOP_SORTS), desc: z.boolean().optional() }).optional(),
    functionRegex: z.string().optional(),
    limit: wholeNumber(1).optional(),
  }),
  'profile.flame': z.object(profileFields),
  'profile.neighbours': z.object({ ...profileFields, function: z.string() }),
  'profile.goroutines': z.object({ caseId: caseIdField, sourceId: wholeNumber(1) }),
  'profile.documents': z.object({ caseId: caseIdField }),
  'profile.document': z.object({ caseId: caseIdField, id: wholeNumber(1) }),
  'profile.findings': z.object({ caseId: caseIdField }),
});
