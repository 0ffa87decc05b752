// Which captured bytes of a chunk to highlight: the HTTP diagnostics at the stream's bytes, the
// gRPC messages framed (each prefix, then its body), and the place a link pointed at. Ranges are in
// direction offsets; segments are in chunk data indices.

export type RangeKind = 'mark' | 'target' | 'grpc-prefix' | 'grpc';

/** Which kind shows where ranges overlap: the target, then a diagnostic, then a gRPC frame. */
const PRECEDENCE: readonly RangeKind[] = ['target', 'mark', 'grpc-prefix', 'grpc'];

export interface ByteRange {
  from: number;
  to: number;
  kind: RangeKind;
  title: string;
}

export interface Segment {
  start: number;
  end: number;
  kind: RangeKind | null;
  title: string | null;
}

/**
 * Cuts [0, length) of a chunk starting at direction offset `base` into runs of plain and highlighted
 * bytes. Where ranges overlap, the target wins over a diagnostic, and both over a gRPC frame.
 */
export function segments(base: number, length: number, ranges: readonly ByteRange[]): Segment[] {
  const cuts = new Set<number>([0, length]);
  const inside = ranges.filter((r) => r.to > base && r.from < base + length);
  for (const r of inside) {
    cuts.add(Math.max(0, r.from - base));
    cuts.add(Math.min(length, r.to - base));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    const covering = inside.filter((r) => r.from - base <= start && r.to - base >= end);
    const best = PRECEDENCE.map((k) => covering.find((r) => r.kind === k)).find((r) => r !== undefined) ?? null;
    const prev = out.at(-1);
    if (prev && prev.kind === (best?.kind ?? null) && prev.title === (best?.title ?? null)) prev.end = end;
    else out.push({ start, end, kind: best?.kind ?? null, title: best?.title ?? null });
  }
  return out;
}

/** From `offset` to the end of its line (LF included), at most `max` bytes: what a bare link points at. */
export function lineLength(bytes: Uint8Array, index: number, max = 256): number {
  let end = index;
  while (end < bytes.length && end - index < max) {
    if (bytes[end++] === 0x0a) break;
  }
  return Math.max(1, end - index);
}
