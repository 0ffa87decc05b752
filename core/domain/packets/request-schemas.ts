// The packets domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, requestSchemas, viewScope, wholeNumber } from '../request-checks/request-schema';
import type { PacketMethods } from './contract';

export const PACKET_REQUESTS = requestSchemas<PacketMethods>()({
  'packets.page': z.object({ caseId: caseIdField, scope: viewScope, streamId: wholeNumber(0).optional(), offset: wholeNumber(0).optional(), limit: wholeNumber(1).optional() }),
  'packets.detail': z.object({ caseId: caseIdField, sourceId: wholeNumber(1), frame: wholeNumber(1) }),
  'packets.locate': z.object({ caseId: caseIdField, scope: viewScope, streamId: wholeNumber(0).optional(), sourceId: wholeNumber(1), frame: wholeNumber(1) }),
});
