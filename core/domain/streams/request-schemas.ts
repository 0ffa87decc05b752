// The streams domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, oneOf, requestSchemas, wholeNumber } from '../request-checks/request-schema';
import type { StreamDir, StreamMethods } from './contract';

const DIRS: Record<StreamDir, true> = { in: true, out: true };
const byStream = z.object({ caseId: caseIdField, streamId: wholeNumber(1) });

export const STREAM_REQUESTS = requestSchemas<StreamMethods>()({
  'stream.get': byStream,
  'stream.chunks': z.object({
    caseId: caseIdField,
    streamId: wholeNumber(1),
    fromSeq: wholeNumber(0).optional(),
    beforeSeq: wholeNumber(0).optional(),
    at: z.object({ dir: oneOf(DIRS), offset: wholeNumber(0) }).optional(),
    limit: wholeNumber(1).optional(),
  }),
  'stream.peers': byStream,
});
