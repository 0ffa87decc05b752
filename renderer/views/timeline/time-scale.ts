// Mapping between capture time (ns as bigint) and a position along a window, without losing the
// nanoseconds: positions are fractions of the window, times stay bigints.
import type { TimeRange } from '../../../core/api';

export interface NsWindow {
  from: bigint;
  to: bigint;
}

export function toNsWindow(range: TimeRange): NsWindow {
  return { from: BigInt(range.from), to: BigInt(range.to) };
}

export function toTimeRange(w: NsWindow): TimeRange {
  return { from: w.from.toString(), to: w.to.toString() };
}

const PRECISION = 1_000_000n;

/** The time at a fraction (0..1) of the window. */
export function timeAt(w: NsWindow, fraction: number): bigint {
  const f = BigInt(Math.round(Math.min(1, Math.max(0, fraction)) * Number(PRECISION)));
  return w.from + ((w.to - w.from) * f) / PRECISION;
}

/** Where a time falls in the window, as a fraction (may be outside 0..1). */
export function fractionOf(w: NsWindow, t: bigint): number {
  const span = w.to - w.from;
  if (span <= 0n) return 0;
  return Number(((t - w.from) * PRECISION) / span) / Number(PRECISION);
}

export function spanNs(w: NsWindow): number {
  return Number(w.to - w.from);
}

/** The window zoomed out around its middle by a factor, kept inside `bounds`. */
export function zoomOut(w: NsWindow, bounds: NsWindow, factor = 4n): NsWindow {
  const half = ((w.to - w.from) * factor) / 2n;
  const mid = (w.from + w.to) / 2n;
  let from = mid - half;
  let to = mid + half;
  if (from < bounds.from) from = bounds.from;
  if (to > bounds.to) to = bounds.to;
  return { from, to };
}
