// The findings domain's methods (./contract.ts): a page of findings, errors first, and their groups.

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { page } from '../request-checks/request-checks';
import type { FindingsMethods } from './contract';
import { listFindingGroups } from './finding-groups';
import { listFindingsPage } from './findings-page';

export function createFindingsHandlers(access: CaseAccess): HandlersOf<FindingsMethods> {
  return {
    'findings.list': async (req) => listFindingsPage(access.db(String(req?.caseId)), req.scope, page(req, 20), req.group),
    'findings.groups': async (req) => listFindingGroups(access.db(String(req?.caseId)), req.scope),
  };
}
