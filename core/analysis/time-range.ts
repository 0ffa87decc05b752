// A span of capture time as the core computes with it: nanoseconds since the epoch as bigints,
// inclusive at both ends. On the wire (the API's TimeRange) the same span is two decimal strings.

import { ApiError, type TimeRange } from '../api/wire';

export interface NsRange {
  from: bigint;
  to: bigint;
}

const DECIMAL = /^-?\d{1,20}$/;

/** A TimeRange from the wire as bigints; null for no range. Throws bad-request for anything else. */
export function readRange(range: TimeRange | null | undefined, what = 'range'): NsRange | null {
  if (range === null || range === undefined) return null;
  if (typeof range !== 'object' || typeof range.from !== 'string' || typeof range.to !== 'string' || !DECIMAL.test(range.from) || !DECIMAL.test(range.to)) {
    throw new ApiError('bad-request', `${what} needs {from, to} as decimal nanosecond strings`);
  }
  const from = BigInt(range.from);
  const to = BigInt(range.to);
  if (to < from) throw new ApiError('bad-request', `${what}: 'to' (${range.to}) is before 'from' (${range.from})`);
  return { from, to };
}

export function toTimeRange(range: NsRange): TimeRange {
  return { from: range.from.toString(), to: range.to.toString() };
}
