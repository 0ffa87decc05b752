// Checking what a request carries before it reaches SQL: the transports hand over parsed JSON,
// which may hold anything. A bad field is an ApiError('bad-request') that names it.

import { ApiError, type PageRequest } from '../../api/wire';
import { EVIDENCE_PAGE_MAX } from '../../api/wire';

export function wholeNumber(value: unknown, name: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new ApiError('bad-request', `${name} must be a whole number ≥ ${min}, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

export function optionalWholeNumber(value: unknown, name: string, min = 0): number | undefined {
  return value === undefined || value === null ? undefined : wholeNumber(value, name, min);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (!(allowed as readonly unknown[]).includes(value)) throw new ApiError('bad-request', `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

export function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new ApiError('bad-request', `${name} must be text, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

/** offset/limit of a paged list, the limit clamped to what one page may hold. */
export function page(req: PageRequest | undefined, defaultLimit = 100, max = EVIDENCE_PAGE_MAX): { limit: number; offset: number } {
  const limit = optionalWholeNumber(req?.limit, 'limit', 1) ?? defaultLimit;
  const offset = optionalWholeNumber(req?.offset, 'offset') ?? 0;
  return { limit: Math.min(limit, max), offset };
}
