// API methods of post-mortem reports (File › Export report).
// Types only, like core/api.ts: the browser bundle imports this file.

export interface ReportMethods {}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const REPORT_METHOD_NAMES: Record<keyof ReportMethods, true> = {};
