// One time base for every view of a case (timeline, HTTP latency chart, tables, findings, stream):
// Wireshark's View › Time Display Format. Times arrive as ns since the epoch in decimal strings
// (a double would lose the last digits) and are shown in UTC, as the CLI shows them:
//   absolute   06:51:56.421009, with the date when it is not obvious (not today, or the capture
//              crosses midnight: a header "06:40:00 – 00:44:41" reads as ending before it starts)
//   relative   +1.234567, seconds since the capture's first moment
//   delta      +0.000412, seconds since the row above (axes, which have no row above, count from
//              the capture's start)
// with as many fraction digits as the capture has (6 for a microsecond pcap, 9 for sysdig).

export type TimeFormat = 'absolute' | 'relative' | 'delta';

export const TIME_FORMATS: readonly { id: TimeFormat; label: string }[] = [
  { id: 'absolute', label: 'Time of day (UTC)' },
  { id: 'relative', label: 'Since capture start (s)' },
  { id: 'delta', label: 'Since previous row (s)' },
];

export interface TimeDisplay {
  format: TimeFormat;
  /** The capture's first moment (ns): relative times count from it. */
  origin: bigint | null;
  /** Fraction digits: 6 for a microsecond capture, 9 for a nanosecond one. */
  digits: 6 | 9;
  /** Headers and axes carry the date: the capture is not of today, or crosses midnight. */
  withDate: boolean;
  /** The capture crosses midnight (UTC): every absolute time carries its date, cells too. */
  crossesMidnight: boolean;
  /** The capture's first day (2026-11-22), for a time column's heading. */
  day: string | null;
}

/** Before a case says otherwise: time of day to the nanosecond. */
export const DEFAULT_TIME_DISPLAY: TimeDisplay = { format: 'absolute', origin: null, digits: 9, withDate: false, crossesMidnight: false, day: null };

const DAY_NS = 86_400_000_000_000n;
const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0');

export function timeDisplayFor(span: { from: string; to: string } | null, digits: 6 | 9, format: TimeFormat, now: Date = new Date()): TimeDisplay {
  if (!span) return { ...DEFAULT_TIME_DISPLAY, format, digits };
  const from = BigInt(span.from);
  const to = BigInt(span.to);
  const today = BigInt(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) * 1_000_000n;
  const crossesMidnight = dayOf(from) !== dayOf(to);
  const withDate = crossesMidnight || dayOf(from) * DAY_NS !== today;
  return { format, origin: from, digits, withDate, crossesMidnight, day: formatDate(from) };
}

function dayOf(ns: bigint): bigint {
  return (ns >= 0n ? ns : ns - DAY_NS + 1n) / DAY_NS;
}

/** 2026-11-22 */
export function formatDate(ns: bigint): string {
  return new Date(Number(dayOf(ns) * DAY_NS / 1_000_000n)).toISOString().slice(0, 10);
}

/** 06:51:56.421009 (UTC), with `digits` fraction digits (0: none). */
export function formatTimeOfDay(ns: bigint, digits: number): string {
  const inDay = ns - dayOf(ns) * DAY_NS;
  const seconds = inDay / 1_000_000_000n;
  const fraction = inDay % 1_000_000_000n;
  const clock = `${pad(seconds / 3600n)}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}`;
  return digits > 0 ? `${clock}.${pad(fraction, 9).slice(0, digits)}` : clock;
}

/** Seconds with a sign and `digits` fraction digits, exactly (no double in between): +1.234567 */
export function formatSeconds(ns: bigint, digits: number): string {
  const sign = ns < 0n ? '-' : '+';
  const abs = ns < 0n ? -ns : ns;
  const whole = abs / 1_000_000_000n;
  const fraction = pad(abs % 1_000_000_000n, 9).slice(0, digits);
  return digits > 0 ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/**
 * A moment in a cell as the time base shows it; `previous` is the row above's time (delta). The
 * date is in the column's heading (timeHeading), and in the cell only when the capture crosses midnight.
 */
export function formatInstant(ns: string | null, d: TimeDisplay, previous: string | null = null): string {
  if (ns === null) return '—';
  const t = BigInt(ns);
  if (d.format === 'delta') return formatSeconds(t - BigInt(previous ?? ns), d.digits);
  if (d.format === 'relative' && d.origin !== null) return formatSeconds(t - d.origin, d.digits);
  return d.crossesMidnight ? `${formatDate(t)} ${formatTimeOfDay(t, d.digits)}` : formatTimeOfDay(t, d.digits);
}

/** A moment on its own (a message's header): always with its date, in the capture's digits. */
export function formatMoment(ns: string | null, d: TimeDisplay): string {
  if (ns === null) return '—';
  const t = BigInt(ns);
  const absolute = `${formatDate(t)} ${formatTimeOfDay(t, d.digits)} UTC`;
  return d.format !== 'absolute' && d.origin !== null ? `${formatSeconds(t - d.origin, d.digits)} s (${absolute})` : absolute;
}

/** A span as a header says it: "2026-11-22 06:40:00.000000 – 2026-11-23 00:44:41.000000 UTC", or "+0.000000 – +10.003838 s since capture start". */
export function formatSpan(from: string, to: string, d: TimeDisplay): string {
  const a = BigInt(from);
  const b = BigInt(to);
  if (d.format !== 'absolute' && d.origin !== null) return `${formatSeconds(a - d.origin, d.digits)} – ${formatSeconds(b - d.origin, d.digits)} s since capture start`;
  // The date once when both ends are on one day; on both when the span crosses midnight.
  const sameDay = dayOf(a) === dayOf(b);
  const start = d.withDate ? `${formatDate(a)} ${formatTimeOfDay(a, d.digits)}` : formatTimeOfDay(a, d.digits);
  const end = d.withDate && !sameDay ? `${formatDate(b)} ${formatTimeOfDay(b, d.digits)}` : formatTimeOfDay(b, d.digits);
  return `${start} – ${end} UTC`;
}

/** The heading of a time column under this base. */
export function timeHeading(d: TimeDisplay): string {
  switch (d.format) {
    case 'absolute':
      return d.withDate && !d.crossesMidnight && d.day ? `Time (${d.day})` : 'Time (UTC)';
    case 'relative':
      return 'Time (s since start)';
    case 'delta':
      return 'Δ time (s)';
  }
}

/** The full moment for a tooltip, whatever the base: 2026-11-22T06:51:56.421009000Z. */
export function formatFullInstant(ns: string | null): string {
  if (ns === null) return '';
  const t = BigInt(ns);
  return `${formatDate(t)}T${formatTimeOfDay(t, 9)}Z`;
}

/**
 * An axis over a window of capture time: nice tick values (ns, as offsets from `base`, which keeps
 * them exact as doubles), and their labels. Absolute axes count from the window's UTC midnight, so
 * nice offsets are nice clock times; relative and delta axes count from the capture's start.
 */
export interface TimeAxis {
  /** Offsets from `base` (ns) at which the window starts and ends. */
  domain: [number, number];
  base: bigint;
  /** A tick's label; `first` for the leftmost tick, which carries the date when it is not obvious. */
  label(offset: number, step: number, first: boolean): string;
}

export function timeAxis(window: { from: bigint; to: bigint }, d: TimeDisplay): TimeAxis {
  const absolute = d.format === 'absolute' || d.origin === null;
  const base = absolute ? dayOf(window.from) * DAY_NS : d.origin!;
  const domain: [number, number] = [Number(window.from - base), Number(window.to - base)];
  const crossesMidnight = dayOf(window.from) !== dayOf(window.to);
  return {
    domain,
    base,
    label(offset, step, first) {
      const digits = fractionDigitsFor(step, d.digits);
      const t = base + BigInt(Math.round(offset));
      if (!absolute) return `${formatSeconds(t - base, digits)} s`;
      const clock = formatTimeOfDay(t, digits);
      // The date where it is not obvious: on the first tick when the capture is not of today, and on
      // a tick at or just after midnight when the window crosses it.
      if ((crossesMidnight && t - dayOf(t) * DAY_NS < BigInt(Math.round(step))) || (first && d.withDate)) return `${formatDate(t)} ${clock}`;
      return clock;
    },
  };
}

/** Enough fraction digits to tell ticks `step` ns apart, and no more than the capture has. */
export function fractionDigitsFor(step: number, max: number): number {
  if (!(step > 0)) return max;
  let digits = 0;
  while (digits < max && step < 1e9 / 10 ** digits - 0.5) digits++;
  return digits;
}
