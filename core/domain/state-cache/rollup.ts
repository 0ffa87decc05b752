// Unfiltered metric values in fine time buckets over the whole capture. Sparklines, the timeline
// and totals over a brushed range are derived from them: a brush or a view switch then costs a few
// small queries at the range's edges instead of a scan of the capture. The ingest worker stores
// them at its end (core/analysis/rollup/store.ts); while an ingest runs (or after one cancelled before its
// analyses) they are computed here, per family and per state of the index, as partial results.

import type Database from 'better-sqlite3';
import { bucketed, eventsByNumberSteps, EVERYTHING, familyColumns, totals, type Condition, type TimedFamily } from '../../analysis/rollup/metric-families';
import { aliveSeries } from '../../analysis/rollup/distinct';
import { and, idsInTimeOrder, idWindow } from '../../analysis/rollup/id-window';
import type { NsRange } from '../scope/view-scope';
import { captureSpan, dataVersion } from '../../analysis/rollup/span';
import { bucketWidth, fineFamily, FINE_BUCKETS, readStoredRollup, type RollupValues } from '../../analysis/rollup/store';

export { bucketWidth, FINE_BUCKETS } from '../../analysis/rollup/store';

interface Rollup extends RollupValues {
  version: string;
  computedAt: number;
  ingesting: boolean;
  /** Milliseconds spent building it so far (its span, the families asked for). */
  costMs: number;
}

/**
 * While an ingest runs the index changes under the views: a partial rollup is made again once the
 * index has changed (the ingest's progress, not a clock) and it is at least this old, so a capture
 * arriving on standard input shows on the overview and the timeline within a second or two...
 */
const INGEST_MIN_HOLD_MS = 1000;
/** ...and at least this many times as old as it took to build, so rebuilding a large growing index stays a small share of the time... */
const INGEST_HOLD_PER_COST = 5;
/** ...but never older than this. */
const INGEST_MAX_HOLD_MS = 10_000;

/** How long a partial rollup that cost `costMs` to build is shown before it is made again. */
export function partialRollupHoldMs(costMs: number): number {
  return Math.min(INGEST_MAX_HOLD_MS, Math.max(INGEST_MIN_HOLD_MS, INGEST_HOLD_PER_COST * costMs));
}

const rollups = new WeakMap<Database.Database, Rollup | null>();

/** The rollup for the index as it is now (null when the case has no time span yet). */
export function currentRollup(db: Database.Database): Rollup | null {
  const version = dataVersion(db);
  const held = rollups.get(db);
  if (held && held.version === version) return held;
  const ingesting = version.endsWith('running');
  // Partial results: a rollup a moment old beats a scan of the growing index per view.
  if (held && held.ingesting && ingesting && performance.now() - held.computedAt < partialRollupHoldMs(held.costMs)) return held;
  const started = performance.now();
  const stored = ingesting ? null : readStoredRollup(db);
  let rollup: Rollup | null;
  if (stored) rollup = { ...stored, version, computedAt: performance.now(), ingesting, costMs: 0 };
  else {
    const span = captureSpan(db);
    rollup = span ? { version, span, width: bucketWidth(span, FINE_BUCKETS), families: new Map(), ordered: new Map(), computedAt: performance.now(), ingesting, costMs: performance.now() - started } : null;
  }
  rollups.set(db, rollup);
  return rollup;
}

/** Whether the family's ids grow with its time in the index as it is now (false without a rollup). */
export function inTimeOrder(db: Database.Database, family: TimedFamily): boolean {
  const rollup = currentRollup(db);
  if (!rollup) return false;
  let ordered = rollup.ordered.get(family);
  if (ordered === undefined) rollup.ordered.set(family, (ordered = idsInTimeOrder(db, family)));
  return ordered;
}

/** A live query's condition narrowed to the range's rows by id, where the family allows it. */
function narrowed(db: Database.Database, family: TimedFamily, range: NsRange, condition: Condition): Condition {
  return inTimeOrder(db, family) ? and(condition, idWindow(db, family, range)) : condition;
}

/** How long the rollup's scan of the events runs before it lets other requests in. */
export const SLICE_MS = 40;

const building = new WeakMap<Rollup, Map<TimedFamily, Promise<void>>>();

/**
 * Builds the rollup of the families that are not built yet, the events' scan in slices of
 * SLICE_MS with the event loop's turn between them: on a capture of millions of events the first
 * overview takes seconds, and in that time the other views (tables, the stream view) still answer.
 */
export async function prepareRollup(db: Database.Database, families: readonly TimedFamily[]): Promise<void> {
  const rollup = currentRollup(db);
  if (!rollup) return;
  let pending = building.get(rollup);
  if (!pending) building.set(rollup, (pending = new Map()));
  for (const family of families) {
    if (rollup.families.has(family)) continue;
    let job = pending.get(family);
    if (!job) {
      job = buildFamily(db, rollup, family);
      pending.set(family, job);
    }
    await job;
  }
}

async function buildFamily(db: Database.Database, rollup: Rollup, family: TimedFamily): Promise<void> {
  if (family !== 'events') {
    fine(db, rollup, family);
    return;
  }
  const aliveStarted = performance.now();
  const alive = aliveSeries(db, rollup.span, rollup.width, FINE_BUCKETS);
  rollup.costMs += performance.now() - aliveStarted;
  const cols = familyColumns('events').filter((c) => alive === null || !c.peak);
  const steps = eventsByNumberSteps(db, cols, rollup.span, rollup.width, FINE_BUCKETS, EVERYTHING);
  let slice = performance.now();
  for (;;) {
    const stepStarted = performance.now();
    const step = steps.next();
    rollup.costMs += performance.now() - stepStarted;
    if (step.done) {
      if (step.value === null) {
        fine(db, rollup, family);
        return;
      }
      if (alive) for (const [k, v] of alive) step.value.set(k, v);
      rollup.families.set(family, step.value);
      return;
    }
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
}

function fine(db: Database.Database, rollup: Rollup, family: TimedFamily): Map<string, Float64Array> {
  let values = rollup.families.get(family);
  if (!values) {
    const started = performance.now();
    rollup.families.set(family, (values = fineFamily(db, rollup.span, rollup.width, family)));
    rollup.costMs += performance.now() - started;
  }
  return values;
}

/**
 * The family's columns per bucket of `window`: from the rollup when unfiltered and the buckets are
 * wide enough for its grain (each fine bucket goes to the bucket its start falls in), else live.
 */
export function seriesFor(
  db: Database.Database,
  family: TimedFamily,
  window: NsRange,
  count: number,
  condition: Condition | null,
  only?: readonly string[],
): Map<string, Float64Array> {
  const width = bucketWidth(window, count);
  const rollup = condition === null ? currentRollup(db) : null;
  if (!rollup || width < rollup.width * 2n) return bucketed(db, family, window, width, count, narrowed(db, family, window, condition ?? EVERYTHING), { only });
  const source = fine(db, rollup, family);
  const out = new Map<string, Float64Array>();
  for (const col of familyColumns(family)) {
    const from = source.get(col.key)!;
    const to = new Float64Array(count);
    for (let j = 0; j < FINE_BUCKETS; j++) {
      const start = rollup.span.from + BigInt(j) * rollup.width;
      if (start < window.from || start > window.to) continue;
      const i = Number((start - window.from) / width);
      if (i >= count) continue;
      to[i] = col.peak ? Math.max(to[i]!, from[j]!) : to[i]! + from[j]!;
    }
    out.set(col.key, to);
  }
  return out;
}

/**
 * The family's summable columns over a range (null: everything). Unfiltered: the fine buckets wholly
 * inside the range from the rollup, the slivers at its edges live. Distinct counts ('peak'
 * columns) do not add up: callers count those themselves.
 */
export function totalsFor(db: Database.Database, family: TimedFamily, range: NsRange | null, condition: Condition | null): Map<string, number> {
  const rollup = condition === null ? currentRollup(db) : null;
  if (!rollup) return totals(db, family, range, range ? narrowed(db, family, range, condition ?? EVERYTHING) : (condition ?? EVERYTHING));
  const source = fine(db, rollup, family);
  const cols = familyColumns(family).filter((c) => !c.peak);
  const out = new Map(cols.map((c) => [c.key, 0]));
  const addFine = (j0: number, j1: number) => {
    for (const c of cols) {
      const values = source.get(c.key)!;
      let sum = out.get(c.key)!;
      for (let j = j0; j < j1; j++) sum += values[j]!;
      out.set(c.key, sum);
    }
  };
  const addLive = (part: NsRange) => {
    if (part.to < part.from) return;
    const live = totals(db, family, part, narrowed(db, family, part, EVERYTHING));
    for (const c of cols) out.set(c.key, out.get(c.key)! + live.get(c.key)!);
  };
  if (range === null) {
    addFine(0, FINE_BUCKETS);
    return out;
  }
  const { span, width } = rollup;
  // Nothing happened outside the span: no sliver there to ask about.
  range = { from: range.from < span.from ? span.from : range.from, to: range.to > span.to ? span.to : range.to };
  if (range.to < range.from) return out;
  // Fine buckets [j0, j1) lie wholly inside the range.
  const j0 = range.from <= span.from ? 0n : (range.from - span.from + width - 1n) / width;
  const j1 = range.to >= span.to ? BigInt(FINE_BUCKETS) : (range.to + 1n - span.from) / width;
  if (j1 <= j0) {
    addLive(range);
    return out;
  }
  addFine(Number(j0), Number(j1));
  addLive({ from: range.from, to: span.from + j0 * width - 1n });
  if (j1 < BigInt(FINE_BUCKETS)) addLive({ from: span.from + j1 * width, to: range.to });
  return out;
}
