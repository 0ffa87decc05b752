// Display formatting shared by the views. Counts and sizes are written by common/format.ts, as
// the CLI and the reports write them; what is only the UI's (rates, time left, paths) is here.
// Sizes are decimal (kB, MB) to match the MB/s rate. An unknown value shows as an em dash.
import type { ContainerLayer } from '../core/api';
import { formatBytes as bytesText, formatCount } from '../common/format';

export { formatCount };

export function formatBytes(bytes: number | null): string {
  return bytes === null ? '—' : bytesText(bytes);
}

/** Exact byte count with thousands separators, for tooltips and narrow columns. */
export function formatExactBytes(bytes: number): string {
  return `${formatCount(bytes)} bytes`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e6).toFixed(bytesPerSecond < 1e7 ? 2 : 1)} MB/s`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An estimate: whole seconds at best, since the rate it comes from wobbles. */
export function formatTimeLeft(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? 'under a second' : formatDuration(Math.round(ms / 1000) * 1000);
}

export function formatCompression(layers: readonly ContainerLayer[]): string {
  return layers.length === 0 ? 'none' : layers.join(' › ');
}

export function formatTimestamp(epochMs: number | null): string {
  return epochMs === null ? '—' : new Date(epochMs).toLocaleString();
}

/** Last path component, for paths from either Windows or POSIX hosts. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function dirName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : '';
}
