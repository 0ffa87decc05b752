// The profile domain's methods (./contract.ts), over the Go profiles of one case.

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import type { ProfileMethods } from './contract';
import { profileDocument, profileDocuments } from './profile-documents';
import { profileFindings } from './profile-findings';
import { profileFlame, profileGoroutines, profileList, profileNeighbours, profileTop } from './profile-queries';

export function createProfileHandlers(access: CaseAccess): HandlersOf<ProfileMethods> {
  const db = (req: { caseId: string }) => access.db(String(req.caseId));
  return {
    'profile.list': async (req) => ({ profiles: profileList(db(req)) }),
    'profile.top': async (req) => profileTop(db(req), req),
    'profile.flame': async (req) => profileFlame(db(req), req),
    'profile.neighbours': async (req) => profileNeighbours(db(req), req),
    'profile.goroutines': async (req) => profileGoroutines(db(req), req.sourceId),
    'profile.documents': async (req) => ({ documents: profileDocuments(db(req)) }),
    'profile.document': async (req) => profileDocument(db(req), req.id),
    'profile.findings': async (req) => ({ findings: profileFindings(db(req)) }),
  };
}
