// Formatting of the exploring views' values: capture times (ns since the epoch, as decimal
// strings) shown as UTC clock times to the nanosecond, durations, counts and byte sizes.
import type { Cell, CellKind } from '../../core/domain/tables/contract';
import { formatBytes, formatCount } from '../format';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 10:29:08.514700898 (UTC), as sysdig prints evt.time. */
export function formatClockNs(ns: string): string {
  const value = BigInt(ns);
  const ms = Number(value / 1_000_000n);
  const rest = value % 1_000_000_000n;
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(Number(rest < 0n ? -rest : rest), 9)}`;
}

/** 2018-08-17T17:35:48.514700898Z: the full time, for tooltips. */
export function formatIsoNs(ns: string): string {
  const value = BigInt(ns);
  const d = new Date(Number(value / 1_000_000n));
  return `${d.toISOString().slice(0, 19)}.${pad(Number(value % 1_000_000_000n), 9)}Z`;
}

export function formatDurationNs(ns: number | bigint): string {
  const n = Number(ns);
  if (n < 1_000) return `${n} ns`;
  if (n < 1_000_000) return `${(n / 1_000).toFixed(n < 10_000 ? 2 : 1)} µs`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)} ms`;
  if (n < 60_000_000_000) return `${(n / 1_000_000_000).toFixed(2)} s`;
  return `${Math.floor(n / 60_000_000_000)} min ${Math.round((n % 60_000_000_000) / 1_000_000_000)} s`;
}

/** A metric's value for a tile: compact, with the unit. */
export function formatMetric(value: number | null, unit: 'count' | 'bytes'): string {
  if (value === null) return '—';
  if (unit === 'bytes') return formatBytes(value);
  if (value < 10_000) return formatCount(value);
  if (value < 1e6) return `${(value / 1e3).toFixed(value < 1e5 ? 1 : 0)}k`;
  if (value < 1e9) return `${(value / 1e6).toFixed(value < 1e7 ? 2 : 1)}M`;
  return `${(value / 1e9).toFixed(2)}G`;
}

/** A table cell as text. Always text: captured bytes and names are never markup. */
export function formatCell(value: Cell, kind: CellKind): string {
  if (value === null) return '';
  switch (kind) {
    case 'time':
      return formatClockNs(String(value));
    case 'duration':
      return formatDurationNs(Number(value));
    case 'bytes':
      return formatBytes(Number(value));
    case 'count':
      return typeof value === 'number' ? formatCount(value) : String(value);
    default:
      return String(value);
  }
}

export function cellTitle(value: Cell, kind: CellKind): string | undefined {
  if (value === null) return undefined;
  if (kind === 'time') return formatIsoNs(String(value));
  if (kind === 'bytes') return `${formatCount(Number(value))} bytes`;
  if (kind === 'mono' || kind === 'text') return String(value);
  return undefined;
}
