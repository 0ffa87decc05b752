// The findings domain's method (./contract.ts): a page of findings, errors first.

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { page } from '../request-checks/request-checks';
import type { FindingsMethods } from './contract';
import { listFindingsPage } from './findings-page';

export function createFindingsHandlers(access: CaseAccess): HandlersOf<FindingsMethods> {
  return {
    'findings.list': async (req) => listFindingsPage(access.db(String(req?.caseId)), req.scope, page(req, 20)),
  };
}
