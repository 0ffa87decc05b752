// The report domain: a post-mortem of the case (File › Export report, the Export report button).
// Types only, like core/api.ts: the browser bundle imports this file.

import type { ViewScope } from '../../api/wire';

/** `html`: one self-contained file (inline CSS and SVG, no script); `md`: Markdown for tickets. */
export type ReportFormat = 'html' | 'md';

export interface ReportExportRequest {
  caseId: string;
  format: ReportFormat;
  /** Mask credentials (Authorization, cookies, token-like parameters); default true. */
  redact?: boolean;
  /**
   * What the report covers: the filter bar's expression and the timeline's range. The range's ends
   * are ns since the epoch, or any time `capscope report --from/--to` reads (docs/report.md).
   */
  scope?: ViewScope;
}

export interface ReportExportResponse {
  /** `<evidence file>.report.html` (or .md): what to offer as the download's name. */
  fileName: string;
  /** `text/html; charset=utf-8` or `text/markdown; charset=utf-8`. */
  mediaType: string;
  /** The document itself. */
  text: string;
}

export interface ReportMethods {
  /** Writes a post-mortem of the case; a filter no kind of row can take is a bad-request error. */
  'report.export': { req: ReportExportRequest; res: ReportExportResponse };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const REPORT_METHOD_NAMES: Record<keyof ReportMethods, true> = { 'report.export': true };
