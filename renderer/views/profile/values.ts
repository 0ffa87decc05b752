// A profile's values in words, by their sample type's unit: bytes as KiB/MiB, nanoseconds as ms/s,
// counts as counts. The exact value is always at hand in a title.

import { formatBytes, formatCount } from '../../format';

export function formatValue(value: number, unit: string): string {
  const sign = value < 0 ? '−' : '';
  const v = Math.abs(value);
  if (unit === 'bytes') return sign + formatBytes(v);
  if (unit === 'nanoseconds') {
    if (v >= 1e9) return `${sign}${(v / 1e9).toFixed(v >= 1e10 ? 1 : 2)} s`;
    if (v >= 1e6) return `${sign}${(v / 1e6).toFixed(v >= 1e7 ? 1 : 2)} ms`;
    if (v >= 1e3) return `${sign}${(v / 1e3).toFixed(1)} µs`;
    return `${sign}${v} ns`;
  }
  return sign + formatCount(v);
}

export function exactValue(value: number, unit: string): string {
  return `${formatCount(value)} ${unit}`;
}

export function percent(value: number, total: number): string {
  return total === 0 ? '' : `${((100 * value) / total).toFixed(2)}%`;
}
