// API methods of the evidence views: findings, one stream's bytes, HTTP exchanges and heap dumps.
// Types only, like core/api.ts: the browser bundle imports this file.

export interface EvidenceMethods {}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const EVIDENCE_METHOD_NAMES: Record<keyof EvidenceMethods, true> = {};
