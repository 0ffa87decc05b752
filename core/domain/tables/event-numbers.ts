// The events table's unnarrowed pages by event number, with the metaevents left out. The type index
// lists a capture's metaevents (the process list's procinfo, which sysdig also writes for every
// thread each second, container records, drops): with their numbers in hand, held once per state of
// the index as doubles (8 bytes each; event numbers stay far below 2^53), the k-th listed event of
// a span is found by arithmetic, and a page is one range read of the primary key.

import type Database from 'better-sqlite3';
import { metaEventNames } from '../../formats/scap/parser/event-table';
import { eventsWritten } from '../../analysis/rollup/event-sources';
import { memoized } from '../state-cache/memo';

/** More metaevents than this (40 MB of numbers) and the page goes to the general (SQL) path. */
const HIDDEN_CAP = 5_000_000;

const NAMES = metaEventNames();

export interface NumberSpan {
  first: bigint;
  last: bigint;
}

/** Sorted metaevent numbers of a span: a view of the capture's list. */
export type HiddenNumbers = Float64Array;

/**
 * All of a capture's metaevent numbers, ascending, read once per state of the index (every page,
 * every brushed range slices the same list); null while the events are being written or when they are too many.
 */
function metaNumbers(db: Database.Database, source: number): Float64Array | null {
  if (!eventsWritten(db)) return null;
  return memoized(db, `events.metaNumbers:${source}`, () => {
    const nums: number[] = [];
    const rows = db
      .prepare(`SELECT num FROM events WHERE type IN (${NAMES.map(() => '?').join(', ')}) AND source_id = ? ORDER BY source_id, num`)
      .pluck()
      .iterate(...NAMES, source) as IterableIterator<number>;
    for (const n of rows) {
      if (nums.length === HIDDEN_CAP) {
        rows.return?.();
        return null;
      }
      nums.push(n);
    }
    return Float64Array.from(nums);
  });
}

/** The metaevents' numbers within a span, ascending; null when they cannot be listed (see metaNumbers). */
export function hiddenNumbers(db: Database.Database, source: number, span: NumberSpan): HiddenNumbers | null {
  const all = metaNumbers(db, source);
  if (all === null) return null;
  return all.subarray(countAtMost(all, Number(span.first) - 1), countAtMost(all, Number(span.last)));
}

/** How many of the sorted numbers are at most x. */
function countAtMost(sorted: HiddenNumbers, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The number of the k-th (0-based) listed event of the span counting from its start (or, with
 * `fromEnd`, from its end), skipping the hidden numbers; null past the last listed one.
 */
export function listedNumber(span: NumberSpan, hidden: HiddenNumbers, k: number, fromEnd: boolean): bigint | null {
  const first = Number(span.first);
  const last = Number(span.last);
  if (k >= last - first + 1 - hidden.length) return null;
  // x is the k-th number of the span counting the hidden too; push it past each hidden one at or
  // before it until it stops moving (the least such x is a listed number).
  let skipped = 0;
  for (;;) {
    const x = fromEnd ? last - k - skipped : first + k + skipped;
    const n = fromEnd ? hidden.length - countAtMost(hidden, x - 1) : countAtMost(hidden, x);
    if (n === skipped) return BigInt(x);
    skipped = n;
  }
}
