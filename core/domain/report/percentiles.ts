// Percentiles by the nearest-rank method: the smallest value with at least p % of the values at or
// below it. Always one of the measured values (no interpolation), so a p99 is a latency that happened.

/** `sorted` ascending and not empty; p in (0, 100]. */
export function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
