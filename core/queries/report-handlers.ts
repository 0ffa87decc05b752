// The report methods (core/api/report.ts).

import type { ReportMethods } from '../api/report';
import type { CaseAccess, HandlersOf } from './case-access';

export function createReportHandlers(_access: CaseAccess): HandlersOf<ReportMethods> {
  return {};
}
