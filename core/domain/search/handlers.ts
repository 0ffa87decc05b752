// The search domain's methods (./contract.ts).

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import type { SearchMethods } from './contract';
import { searchBytes } from './byte-search';

/** Hits listed at most per search: the list says when there are more. */
export const SEARCH_HITS_MAX = 1000;

export function createSearchHandlers(access: CaseAccess): HandlersOf<SearchMethods> {
  return {
    'search.bytes': async (req) =>
      searchBytes(access.db(String(req.caseId)), req.query, req.streamId, Math.min(req.limit ?? 200, SEARCH_HITS_MAX)),
  };
}
