// Requests are checked at the boundary against schemas of the contract's types (zod), so a handler
// receives what its type says and a bad field is answered 400 naming it, never a 500 from SQLite.
// The contract's TypeScript types stay the source of truth that the renderer reads; each domain's
// schemas (core/domain/<name>/request-schemas.ts) are held to them by the compiler through
// requestSchemas() below, so the two cannot drift: a field added to a contract and not to its
// schema, or typed differently, fails type-checking and names the method.

import { z } from 'zod';
import { ApiError } from '../../api/wire';

// ----- holding a schema to its contract type -----

/** Flattens intersections and walks into objects and arrays, so that equal shapes compare equal. */
type Normalize<T> = T extends readonly unknown[] ? { [K in keyof T]: Normalize<T[K]> } : T extends object ? { [K in keyof T]: Normalize<T[K]> } : T;

/** True when A and B are the same type: same keys at every level, same optionality, same value types. */
export type Same<A, B> = (<T>() => T extends Normalize<A> ? 1 : 2) extends <T>() => T extends Normalize<B> ? 1 : 2 ? true : false;

type RequestOf<Methods, M extends keyof Methods> = Methods[M] extends { req: infer Req } ? Req : never;

/** The methods whose schema's output is not exactly the contract's request type. */
type Drifted<Methods, S> = {
  [M in keyof Methods]: M extends keyof S ? (S[M] extends z.ZodType ? (Same<z.output<S[M]>, RequestOf<Methods, M>> extends true ? never : M) : M) : M;
}[keyof Methods];

type MatchesContract<Methods, S> = [Drifted<Methods, S>] extends [never] ? unknown : { 'these methods\' schemas differ from their contract type': Drifted<Methods, S> };

/**
 * A domain's request schemas, one per method of its contract: the compiler refuses a missing method,
 * and a schema whose output type is not exactly the method's request type.
 */
export function requestSchemas<Methods>() {
  return <S extends { [M in keyof Methods]: z.ZodType }>(schemas: S & MatchesContract<Methods, S>): S => schemas;
}

/** A closed list of names as a schema; the record makes the compiler insist every name is listed. */
export function oneOf<T extends string>(names: Record<T, true>): z.ZodType<T> {
  return z.enum(Object.keys(names) as [T, ...T[]]);
}

// ----- the words every domain's requests share -----

/** `min` … 2^53 − 1: a JSON number that is a whole number JavaScript holds exactly. */
export function wholeNumber(min = 0): z.ZodNumber {
  // One reason whichever check fails (not a number, a fraction, too big to be exact, below min).
  const error = `must be a whole number ≥ ${min}`;
  return z.number({ error }).int({ error }).min(min, { error });
}

export const caseIdField = z.string();

/** PageRequest's fields (core/api/wire.ts), spread into a request's object. */
export const pageFields = { limit: wholeNumber(1).optional(), offset: wholeNumber(0).optional() };

const nsTime = z.string().regex(/^-?\d{1,20}$/, { error: 'must be nanoseconds since the epoch as decimal digits' });

/** A TimeRange as the views send it: nanoseconds as decimal strings. */
export const nsTimeRange = z.object({ from: nsTime, to: nsTime });

/** A ViewScope as the views send it. */
export const viewScope = z.object({ filter: z.string().optional(), range: nsTimeRange.nullable().optional() });

// ----- checking a request -----

/**
 * The request as its schema reads it (fields the contract does not know are dropped: a newer client's
 * optional field is ignored rather than refused). Throws ApiError('bad-request') naming the first bad
 * field in `field` and every bad field, with the reason and the value found, in the message.
 */
export function checkRequest<T>(method: string, schema: z.ZodType<T>, request: unknown): T {
  const parsed = schema.safeParse(request, { error: reason });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 4).map((issue) => {
    const field = fieldName(issue.path);
    const found = valueAt(request, issue.path);
    return found === undefined ? `${field} is missing (it ${issue.message})` : `${field} ${issue.message}, got ${preview(found)}`;
  });
  throw new ApiError('bad-request', `${method}: ${problems.join('; ')}`, fieldName(parsed.error.issues[0]!.path));
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'request' : path.map(String).join('.');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** The value found, as JSON, cut short: a request may carry anything, of any size. */
function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 60)}…` : json;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'must be text',
  number: 'must be a number',
  int: 'must be a whole number',
  boolean: 'must be true or false',
  object: 'must be an object',
  array: 'must be a list',
  null: 'must be null',
};

/** zod's issues in this API's words: what the field must be (the value found is added after). */
function reason(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? `must be ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    default:
      return issue.message ?? 'is not what the contract says';
  }
}
