// The bookmarks domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, requestSchemas, wholeNumber } from '../request-checks/request-schema';
import type { BookmarksMethods } from './contract';

const dir = z.enum(['in', 'out']);

const place = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), sourceId: wholeNumber(1), num: wholeNumber(1) }),
  z.object({ kind: z.literal('packet'), sourceId: wholeNumber(1), frame: wholeNumber(1) }),
  z.object({ kind: z.literal('stream'), streamId: wholeNumber(0) }),
  z.object({ kind: z.literal('stream-range'), streamId: wholeNumber(0), dir, offset: wholeNumber(0), length: wholeNumber(1) }),
  z.object({ kind: z.literal('exchange'), exchangeId: wholeNumber(0) }),
  z.object({ kind: z.literal('finding'), findingId: wholeNumber(0) }),
  z.object({ kind: z.literal('heap-object'), sourceId: wholeNumber(1), objectId: z.string().regex(/^0x[0-9a-f]+$/i, { error: 'must be an object id such as 0x7f00a1b0' }) }),
]);

/** A note is a few lines: a bookmark file stays small enough to read whole on every list. */
const note = z.string().max(4000);
const id = z.string().min(1).max(64);

export const BOOKMARKS_REQUESTS = requestSchemas<BookmarksMethods>()({
  'bookmarks.list': z.object({ caseId: caseIdField }),
  'bookmarks.add': z.object({ caseId: caseIdField, place, note }),
  'bookmarks.update': z.object({ caseId: caseIdField, id, note }),
  'bookmarks.remove': z.object({ caseId: caseIdField, id }),
});
