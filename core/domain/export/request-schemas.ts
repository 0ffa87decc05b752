// The export domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, oneOf, requestSchemas, viewScope, wholeNumber } from '../request-checks/request-schema';
import type { ExportMethods, PacketFileFormat } from './contract';

const FORMATS: Record<PacketFileFormat, true> = { pcap: true, pcapng: true };
const DIRS: Record<'in' | 'out', true> = { in: true, out: true };

export const EXPORT_REQUESTS = requestSchemas<ExportMethods>()({
  'export.packets': z.object({ caseId: caseIdField, format: oneOf(FORMATS), streamId: wholeNumber(0).optional(), scope: viewScope.optional() }),
  'export.events': z.object({ caseId: caseIdField, scope: viewScope.optional() }),
  'export.streamBytes': z.object({ caseId: caseIdField, streamId: wholeNumber(0), dir: oneOf(DIRS) }),
});
