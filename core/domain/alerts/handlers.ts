// The alerts domain's method (./contract.ts): alerts by rule, stored or run now.

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { runAlertGroups, storedAlertGroups } from './alert-groups';
import type { AlertsMethods } from './contract';

/** Alerts listed per rule unless the request asks for more. */
const PER_RULE = 20;

export function createAlertsHandlers(access: CaseAccess): HandlersOf<AlertsMethods> {
  return {
    'alerts.list': async (req) => {
      const db = access.db(String(req.caseId));
      const perRule = req.perRule ?? PER_RULE;
      return req.rules && req.rules.length > 0 ? runAlertGroups(db, req.rules, perRule) : storedAlertGroups(db, perRule);
    },
  };
}
