import { useRef } from 'react';
import type { IngestProgress } from '../../core/api';

const WINDOW_MS = 3000;

interface Sample {
  at: number;
  bytes: number;
}

export interface IngestRate {
  /** Bytes per second over the last few seconds, or null before there are two samples. */
  bytesPerSecond: number | null;
  /** Estimated milliseconds left at that rate. */
  msLeft: number | null;
}

/**
 * The reading rate over a sliding window of the progress samples this page has seen, so that
 * it follows slow and fast stretches of a file rather than averaging from the start.
 */
export function useIngestRate(progress: IngestProgress | null): IngestRate {
  const samples = useRef<Sample[]>([]);
  if (!progress || progress.state !== 'running') {
    samples.current = [];
    return { bytesPerSecond: null, msLeft: null };
  }
  const now = performance.now();
  const list = samples.current;
  const last = list[list.length - 1];
  if (!last || last.bytes !== progress.bytesDone) list.push({ at: now, bytes: progress.bytesDone });
  while (list.length > 2 && now - list[0]!.at > WINDOW_MS) list.shift();
  const first = list[0]!;
  const newest = list[list.length - 1]!;
  const elapsed = newest.at - first.at;
  if (list.length < 2 || elapsed <= 0) return { bytesPerSecond: null, msLeft: null };
  const bytesPerSecond = ((newest.bytes - first.bytes) / elapsed) * 1000;
  const msLeft = bytesPerSecond > 0 ? ((progress.bytesTotal - progress.bytesDone) / bytesPerSecond) * 1000 : null;
  return { bytesPerSecond, msLeft };
}
