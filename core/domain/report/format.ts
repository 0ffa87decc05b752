// Times and durations as a report prints them (both formats); counts and byte sizes are common/format.ts's.

const NS_PER_S = 1_000_000_000n;

/** `2026-11-22 09:31:56.644585 UTC` (microseconds; `digits` 9 for nanoseconds). */
export function formatTime(ns: string | bigint, digits = 6): string {
  const value = BigInt(ns);
  const seconds = value / NS_PER_S - (value % NS_PER_S < 0n ? 1n : 0n);
  const fraction = value - seconds * NS_PER_S;
  const date = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `${date}.${fraction.toString().padStart(9, '0').slice(0, digits)} UTC`;
}

/** `09:31:56.644` — a time of day, for chart axes and dense tables. */
export function formatClock(ns: string | bigint, digits = 3): string {
  return formatTime(ns, digits).slice(11, 20 + digits);
}

/** `1.234 s`, `12.5 ms`, `340 µs`, `2 h 5 min`. */
export function formatDuration(ns: string | bigint): string {
  const v = Number(BigInt(ns));
  if (v < 1_000) return `${v} ns`;
  if (v < 1_000_000) return `${trim(v / 1_000)} µs`;
  if (v < 1_000_000_000) return `${trim(v / 1_000_000)} ms`;
  if (v < 60_000_000_000) return `${trim(v / 1_000_000_000)} s`;
  const minutes = Math.floor(v / 60_000_000_000);
  if (minutes < 60) return `${minutes} min ${Math.round((v % 60_000_000_000) / 1e9)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Milliseconds with three significant digits at most: `0.211`, `12.3`, `1,042`. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (ms >= 100) return Math.round(ms).toLocaleString('en-US');
  return trim(ms);
}

function trim(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
