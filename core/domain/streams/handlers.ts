// The streams domain's methods (./contract.ts): one stream, a page of its chunks, its peers. Each
// handler checks its request and hands it to ./stream-views.ts.

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { oneOf, optionalWholeNumber, wholeNumber } from '../request-checks/request-checks';
import type { StreamDir, StreamMethods } from './contract';
import { chunkPage, streamInfo, streamMarks, streamGrpcMessages, streamPeers } from './stream-views';

const DIRS: readonly StreamDir[] = ['in', 'out'];

export function createStreamHandlers(access: CaseAccess): HandlersOf<StreamMethods> {
  const db = (req: { caseId: string }) => access.db(String(req?.caseId));
  return {
    'stream.get': async (req) => {
      const d = db(req);
      const streamId = wholeNumber(req.streamId, 'streamId', 1);
      return { stream: streamInfo(d, streamId), marks: streamMarks(d, streamId), grpcMessages: streamGrpcMessages(d, streamId) };
    },
    'stream.chunks': async (req) => {
      const at = req.at === undefined || req.at === null ? undefined : { dir: oneOf(req.at.dir, DIRS, 'at.dir', 'out'), offset: wholeNumber(req.at.offset, 'at.offset') };
      return chunkPage(db(req), wholeNumber(req.streamId, 'streamId', 1), {
        fromSeq: optionalWholeNumber(req.fromSeq, 'fromSeq'),
        beforeSeq: optionalWholeNumber(req.beforeSeq, 'beforeSeq'),
        at,
        limit: optionalWholeNumber(req.limit, 'limit', 1) ?? 200,
      });
    },
    'stream.peers': async (req) => ({ peers: streamPeers(db(req), wholeNumber(req.streamId, 'streamId', 1)) }),
  };
}
