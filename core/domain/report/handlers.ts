// The report domain's method (./contract.ts): a post-mortem gathered from the case's index and
// written as HTML or Markdown, returned as text for the caller to save or offer as a download.

import { ApiError, type HandlersOf } from '../../api/wire';
import type { ReportMethods } from './contract';
import { FilterError } from '../../filter/language';
import { defaultReportName, gatherReport, MEDIA_TYPES, renderReport, REPORT_FORMATS } from './report-document';
import { TimeSpecError } from './time-spec';
import type { CaseAccess } from '../case-access/case-access';

export function createReportHandlers(access: CaseAccess): HandlersOf<ReportMethods> {
  return {
    'report.export': async (req) => {
      if (typeof req?.caseId !== 'string') throw new ApiError('bad-request', 'report.export needs a caseId');
      if (!(REPORT_FORMATS as readonly unknown[]).includes(req.format)) throw new ApiError('bad-request', `report.export: format is html or md, got ${JSON.stringify(req.format)}`);
      if (req.redact !== undefined && typeof req.redact !== 'boolean') throw new ApiError('bad-request', 'report.export: redact is true or false');
      const scope = req.scope ?? {};
      if (scope.filter !== undefined && typeof scope.filter !== 'string') throw new ApiError('bad-request', 'report.export: scope.filter is text');
      const range = scope.range ?? null;
      if (range !== null && (typeof range.from !== 'string' || typeof range.to !== 'string')) throw new ApiError('bad-request', 'report.export: scope.range is {from, to}, as text');
      const db = access.db(req.caseId);
      try {
        const data = gatherReport(db, { filter: scope.filter, from: range?.from, to: range?.to, rangeNames: { from: 'scope.range.from', to: 'scope.range.to' }, redact: req.redact !== false });
        const evidence = data.evidence.files[0]?.file ?? 'capscope';
        return { fileName: defaultReportName(evidence, req.format), mediaType: MEDIA_TYPES[req.format], text: renderReport(data, req.format) };
      } catch (err) {
        if (err instanceof FilterError) throw new ApiError('bad-request', `filter: column ${err.column}: ${err.message}`);
        if (err instanceof TimeSpecError) throw new ApiError('bad-request', err.message);
        throw err;
      }
    },
  };
}
