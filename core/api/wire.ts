// What every API domain's contract shares: the scope views are narrowed by, paging, how errors cross
// the boundary, and the shape of a domain's handlers. Types only (plus ApiError and one check), and
// it imports nothing from core/api.ts: the domains' contracts build on this file and core/api.ts
// composes them, so the contract has no import cycle.

/** A span of capture time, nanoseconds since the epoch as decimal strings (JSON has no 64-bit ints). */
export interface TimeRange {
  from: string;
  to: string;
}

/** What every view is narrowed by: the filter bar's expression and the timeline's brush. */
export interface ViewScope {
  /** Filter language (core/filter); empty for everything. */
  filter?: string;
  range?: TimeRange | null;
}

export interface PageRequest {
  limit?: number;
  offset?: number;
}

/** Rows per page of the HTTP, histogram, dominator and duplicate-string lists at most. */
export const EVIDENCE_PAGE_MAX = 1000;

export function isTimeRange(value: unknown): value is TimeRange {
  const r = value as TimeRange | null;
  return !!r && typeof r.from === 'string' && typeof r.to === 'string' && /^-?\d+$/.test(r.from) && /^-?\d+$/.test(r.to);
}

/** The handlers of one domain's methods (core/api.ts's ApiHandlers is this over every domain). */
export type HandlersOf<Methods extends object> = {
  [M in keyof Methods]: Methods[M] extends { req: infer Req; res: infer Res } ? (req: Req) => Promise<Res> : never;
};

/** Errors cross the boundary as data, never as stack traces. */
export interface ApiErrorBody {
  /** `field`: the request field a bad-request is about ("limit", "scope.range.from"), when it is about one. */
  error: { code: ApiErrorCode; message: string; field?: string };
}

/**
 * 'busy': the case's index cannot be read yet (another capscope process is writing it); ask again
 * later. 'storage': the case's index could not be opened or written (a full disk, a file that is not
 * an index); the message names the index and the evidence.
 */
export type ApiErrorCode = 'bad-request' | 'not-found' | 'bad-input' | 'unauthorized' | 'busy' | 'storage' | 'internal';

/** Every code, for a client that checks what it was sent (the compiler insists every code is here). */
export const API_ERROR_CODES: Record<ApiErrorCode, true> = { 'bad-request': true, 'not-found': true, 'bad-input': true, unauthorized: true, busy: true, storage: true, internal: true };

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** The request field a bad-request is about, when it is about one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
