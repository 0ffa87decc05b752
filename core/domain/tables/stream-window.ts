// The ids a brushed range can reach among the streams of a kind. A stream overlaps [from, to] when
// it starts by `to` and ends from `from` on; no stream of the kind lasts longer than the kind's
// longest, so it also starts at or after `from - longest`. Where stream ids grow with their first
// time (a scap capture's do), those starts are an id range: the files table, which walks streams
// in id order, then reads the range's streams instead of every stream before them.

import type Database from 'better-sqlite3';
import { idWindow } from '../../analysis/rollup/id-window';
import { currentRollup, inTimeOrder } from '../state-cache/rollup';
import { memoized } from '../state-cache/memo';
import type { NsRange } from '../scope/view-scope';

interface Durations {
  longest: Map<string, bigint>;
  /** Some stream has no first time: a binary search over ids by first time would not hold. */
  untimed: boolean;
}

/** The longest stream of each kind (last_ts - first_ts), once per index state: a walk of streams_by_time. */
export function durations(db: Database.Database): Durations {
  return memoized(db, 'streams:longest-by-kind', () => {
    const out: Durations = { longest: new Map(), untimed: false };
    const rows = db.prepare('SELECT kind, MAX(last_ts - first_ts), SUM(first_ts IS NULL) FROM streams GROUP BY source_id, kind').safeIntegers().raw().all() as [string, bigint | null, bigint][];
    for (const [kind, longest, untimed] of rows) {
      if (untimed > 0n) out.untimed = true;
      if (longest === null) continue;
      const held = out.longest.get(kind);
      if (held === undefined || longest > held) out.longest.set(kind, longest);
    }
    return out;
  });
}

/**
 * The ids of the streams of `kind` that can overlap the range, as a condition on s.id; null when
 * the index cannot tell (its stream ids do not follow time, or an ingest is writing it).
 */
export function streamIdsReaching(db: Database.Database, kind: string, range: NsRange): { where: string; params: number[] } | null {
  const rollup = currentRollup(db);
  if (!rollup || rollup.ingesting || !inTimeOrder(db, 'streams')) return null;
  const { longest: byKind, untimed } = durations(db);
  if (untimed) return null;
  const longest = byKind.get(kind);
  // No stream of the kind has both ends: none overlaps any range.
  if (longest === undefined) return { where: '0', params: [] };
  const window = idWindow(db, 'streams', { from: range.from - (longest > 0n ? longest : 0n), to: range.to });
  return window ? { where: window.where, params: window.params as number[] } : null;
}
