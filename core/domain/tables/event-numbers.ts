// The events table's unnarrowed pages by event number, with the metaevents left out. A capture's
// metaevents are few (the process list's procinfo at the head, container records, drops) and
// the type index lists them: with their numbers in hand, the k-th listed event of a span is found
// by arithmetic, and a page is one range read of the primary key, as fast as with them shown.

import type Database from 'better-sqlite3';
import { metaEventNames } from '../../formats/scap/parser/event-table';
import { hasIndex } from '../../analysis/rollup/distinct';
import { memoized } from '../state-cache/memo';

/** More metaevents than this in a span and the page goes to the general (SQL) path. */
const HIDDEN_CAP = 200_000;

const NAMES = metaEventNames();

export interface NumberSpan {
  first: bigint;
  last: bigint;
}

/**
 * All of a capture's metaevent numbers, ascending, read once per state of the index (every page,
 * every brushed range slices the same list); null when the type index is missing or they are too many.
 */
function metaNumbers(db: Database.Database, source: number): bigint[] | null {
  if (!hasIndex(db, 'events_by_type')) return null;
  return memoized(db, `events.metaNumbers:${source}`, () => {
    const rows = db
      .prepare(`SELECT num FROM events INDEXED BY events_by_type WHERE type IN (${NAMES.map(() => '?').join(', ')}) AND +source_id = ? ORDER BY num LIMIT ${HIDDEN_CAP + 1}`)
      .safeIntegers()
      .pluck()
      .all(...NAMES, source) as bigint[];
    return rows.length > HIDDEN_CAP ? null : rows;
  });
}

/** The metaevents' numbers within a span, ascending; null when they cannot be listed (see metaNumbers). */
export function hiddenNumbers(db: Database.Database, source: number, span: NumberSpan): bigint[] | null {
  const all = metaNumbers(db, source);
  if (all === null) return null;
  return all.slice(countAtMost(all, span.first - 1n), countAtMost(all, span.last));
}

/** How many of the sorted numbers are at most x. */
function countAtMost(sorted: readonly bigint[], x: bigint): number {
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
export function listedNumber(span: NumberSpan, hidden: readonly bigint[], k: number, fromEnd: boolean): bigint | null {
  const listed = span.last - span.first + 1n - BigInt(hidden.length);
  if (BigInt(k) >= listed) return null;
  // x is the k-th number of the span counting the hidden too; push it past each hidden one at or
  // before it until it stops moving (it moves at most hidden.length times, in few rounds).
  if (!fromEnd) {
    let skipped = 0;
    for (;;) {
      const x = span.first + BigInt(k + skipped);
      const n = countAtMost(hidden, x);
      if (n === skipped) return x;
      skipped = n;
    }
  }
  let skipped = 0;
  for (;;) {
    const x = span.last - BigInt(k + skipped);
    const n = hidden.length - countAtMost(hidden, x - 1n);
    if (n === skipped) return x;
    skipped = n;
  }
}
