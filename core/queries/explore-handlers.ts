// The exploring views' methods (core/api/explore.ts), read from a case's index.

import type { ExploreMethods } from '../api/explore';
import type { CaseAccess, HandlersOf } from './case-access';

export function createExploreHandlers(_access: CaseAccess): HandlersOf<ExploreMethods> {
  return {};
}
