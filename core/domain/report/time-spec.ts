// `--from` / `--to` (and the API's range) as users paste them, turned into ns since the epoch:
//   2026-11-22T09:31:05.123Z    an ISO time (a zone offset may follow instead of Z; none means UTC)
//   09:31:05.123                a time of day (UTC, as capscope prints times) on the capture's day
//   +12.5s  +300ms  +1m30s      an offset from the capture's first timestamp (ns us ms s m h)
//   1795330316644585000         nanoseconds since the epoch, as the API and --json give them
// Fractions keep up to nine digits: a time is exact to the nanosecond.

export class TimeSpecError extends Error {
  override name = 'TimeSpecError';
}

export interface CaptureSpan {
  /** ns since the epoch of the first and last timestamp the evidence holds. */
  first: bigint;
  last: bigint;
}

const NS_PER_DAY = 86_400_000_000_000n;
const UNIT_NS: Record<string, bigint> = { ns: 1n, us: 1_000n, 'µs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*Z?$/i;
const OFFSET = /^\+((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const OFFSET_PART = /(\d+)(?:\.(\d+))?(ns|us|µs|ms|s|m|h)/g;

/** Parses one time; `what` names it in errors (`--from`). */
export function parseTimeSpec(input: string, span: CaptureSpan | null, what: string): bigint {
  const text = input.trim();
  if (/^\d{1,20}$/.test(text)) return BigInt(text);
  const iso = ISO.exec(text);
  if (iso) return isoToNs(iso, text, what);
  const tod = TIME_OF_DAY.exec(text);
  if (tod) return timeOfDayToNs(tod, text, span, what);
  const offset = OFFSET.exec(text.replace(/\s+/g, ''));
  if (offset) {
    if (!span) throw new TimeSpecError(`${what} '${text}': an offset counts from the capture's start, and this evidence holds no capture time`);
    return span.first + offsetToNs(offset[1]!);
  }
  throw new TimeSpecError(
    `${what} '${text}': write an ISO time (2026-11-22T09:31:05.123Z), a time of day (09:31:05.123, UTC), an offset from the capture's start (+12.5s, +300ms) or nanoseconds since the epoch`,
  );
}

function fractionNs(digits: string | undefined): bigint {
  return digits ? BigInt(digits.padEnd(9, '0')) : 0n;
}

function checkClock(h: number, m: number, s: number, text: string, what: string): void {
  if (h > 23 || m > 59 || s > 60) throw new TimeSpecError(`${what} '${text}': no such time of day`);
}

function isoToNs(m: RegExpExecArray, text: string, what: string): bigint {
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? 0);
  checkClock(hour!, minute!, second, text, what);
  const ms = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day) throw new TimeSpecError(`${what} '${text}': no such date`);
  let ns = BigInt(ms) * 1_000_000n + fractionNs(m[7]);
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const minutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    ns -= sign * minutes * 60_000_000_000n;
  }
  return ns;
}

function timeOfDayToNs(m: RegExpExecArray, text: string, span: CaptureSpan | null, what: string): bigint {
  if (!span) throw new TimeSpecError(`${what} '${text}': a time of day is read on the capture's day, and this evidence holds no capture time`);
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  checkClock(hour, minute, second, text, what);
  const sinceMidnight = (BigInt(hour * 3600 + minute * 60 + second) * 1_000_000_000n) + fractionNs(m[4]);
  const day = span.first - (((span.first % NS_PER_DAY) + NS_PER_DAY) % NS_PER_DAY);
  const sameDay = day + sinceMidnight;
  // A capture that runs past midnight: a time before its start means the next day, if it reaches it.
  if (sameDay < span.first - 1_000_000_000n && sameDay + NS_PER_DAY <= span.last) return sameDay + NS_PER_DAY;
  return sameDay;
}

function offsetToNs(text: string): bigint {
  let total = 0n;
  for (const part of text.matchAll(OFFSET_PART)) {
    const unit = UNIT_NS[part[3]!]!;
    const whole = BigInt(part[1]!) * unit;
    const fraction = part[2] ? (BigInt(part[2].slice(0, 9).padEnd(9, '0')) * unit) / 1_000_000_000n : 0n;
    total += whole + fraction;
  }
  return total;
}

/** Both ends of a range; an end left out is the capture's own. */
export function parseTimeRange(
  from: string | undefined,
  to: string | undefined,
  span: CaptureSpan | null,
  names: { from: string; to: string } = { from: '--from', to: '--to' },
): { from: bigint; to: bigint } | null {
  if (from === undefined && to === undefined) return null;
  const start = from === undefined ? span?.first : parseTimeSpec(from, span, names.from);
  const end = to === undefined ? span?.last : parseTimeSpec(to, span, names.to);
  if (start === undefined || end === undefined) throw new TimeSpecError(`a range needs both ${names.from} and ${names.to} when the evidence holds no capture time`);
  if (end < start) throw new TimeSpecError(`${names.to} (${end}) is before ${names.from} (${start})`);
  return { from: start, to: end };
}
