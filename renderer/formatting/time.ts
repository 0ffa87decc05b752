// Capture time for display: nanoseconds since the epoch arrive as decimal strings (a double would
// lose the last digits), and are shown in UTC, as the CLI shows them.

/** "06:51:56.421105" (UTC, microseconds). */
export function formatClock(ns: string | null): string {
  if (ns === null) return '—';
  const big = BigInt(ns);
  const ms = Number(big / 1_000_000n);
  const micros = Number((big / 1000n) % 1_000_000n);
  return `${new Date(ms).toISOString().slice(11, 19)}.${String(micros).padStart(6, '0')}`;
}

/** "2026-11-22 06:51:56.421105 UTC". */
export function formatDateTime(ns: string | null): string {
  if (ns === null) return '—';
  const ms = Number(BigInt(ns) / 1_000_000n);
  return `${new Date(ms).toISOString().slice(0, 10)} ${formatClock(ns)} UTC`;
}

/** A duration in ns, in the unit that keeps three significant digits readable. */
export function formatNs(ns: string | number | null): string {
  if (ns === null) return '—';
  const n = typeof ns === 'string' ? Number(ns) : ns;
  if (n < 1000) return `${n} ns`;
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 2 : 1)} µs`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} ms`;
  return `${(n / 1e9).toFixed(n < 1e10 ? 2 : 1)} s`;
}
