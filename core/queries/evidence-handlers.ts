// The evidence views' methods (core/api/evidence.ts), read from a case's index.

import type { EvidenceMethods } from '../api/evidence';
import type { CaseAccess, HandlersOf } from './case-access';

export function createEvidenceHandlers(_access: CaseAccess): HandlersOf<EvidenceMethods> {
  return {};
}
