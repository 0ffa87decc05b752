// The exit events in ranges of event numbers, counted from the bits the scap ingest stores per
// event (event_exits: core/formats/scap/schema/tables.ts) rather than by scanning the events: the
// rollup's System calls series is the exits in each of 2,000 buckets, and the scan of every event
// it took (about 0.12 µs an event in SQLite's loop over the event store) was most of the rollup's
// time after a syscall capture's ingest. Reading the bits costs 1/8 of a byte an event.

import type Database from 'better-sqlite3';

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let v = 1; v < 256; v++) POPCOUNT[v] = (v & 1) + POPCOUNT[v >> 1]!;

/** Set bits of `bits` from bit `from` up to (not including) bit `to`. */
function countBits(bits: Uint8Array, from: number, to: number): number {
  let n = 0;
  let i = from;
  // Bit by bit up to a byte boundary, byte by byte, then bit by bit to the end.
  for (; i < to && (i & 7) !== 0; i++) n += (bits[i >> 3]! >> (i & 7)) & 1;
  for (; i + 8 <= to; i += 8) n += POPCOUNT[bits[i >> 3]!]!;
  for (; i < to; i++) n += (bits[i >> 3]! >> (i & 7)) & 1;
  return n;
}

/**
 * Per bucket, how many of source `source`'s events numbered from edges[k] up to edges[k + 1] are
 * exits (an odd event_type), added into `out[k]`; false, with nothing added, when the stored bits
 * do not cover every number from edges[0] to the last edge (an index of another capscope, or no
 * such rows): the caller then scans the events.
 */
export function addExitCounts(
  db: Database.Database,
  source: number,
  edges: readonly bigint[],
  out: Float64Array,
): boolean {
  if (edges.length < 2) return true;
  const first = Number(edges[0]);
  const past = Number(edges[edges.length - 1]);
  if (past <= first) return true;
  for (let k = 1; k < edges.length; k++)
    if (edges[k]! < edges[k - 1]!) return false;
  const rows = db
    .prepare(
      'SELECT first_num, count, bits FROM event_exits WHERE source_id = ? AND first_num < ? AND first_num + count > ? ORDER BY first_num',
    )
    .raw()
    .all(source, past, first) as [number, number, Uint8Array][];
  // The rows must follow each other without a gap over [first, past).
  if (rows.length === 0 || rows[0]![0] > first) return false;
  for (let r = 1; r < rows.length; r++)
    if (rows[r]![0] !== rows[r - 1]![0] + rows[r - 1]![1]) return false;
  const lastRow = rows[rows.length - 1]!;
  if (lastRow[0] + lastRow[1] < past) return false;
  const counts = new Float64Array(out.length);
  let r = 0;
  for (let k = 0; k + 1 < edges.length && k < out.length; k++) {
    let at = Number(edges[k]);
    const end = Number(edges[k + 1]);
    while (at < end) {
      while (rows[r]![0] + rows[r]![1] <= at) r++;
      const [rowFirst, count, bits] = rows[r]!;
      const upTo = Math.min(end, rowFirst + count);
      counts[k]! += countBits(bits, at - rowFirst, upTo - rowFirst);
      at = upTo;
    }
  }
  for (let k = 0; k < out.length; k++) out[k]! += counts[k]!;
  return true;
}
