// Values derived from a whole index, kept per state of it: computed once (or a slice at a time,
// letting other requests in) and kept until the index changes. The state is the rollup's version
// (or, before there is one, the index's data version).

import type Database from 'better-sqlite3';
import { dataVersion } from '../../analysis/rollup/span';
import { runSteps } from '../../analysis/rollup/stepped';
import { currentRollup, SLICE_MS } from './rollup';

const memos = new WeakMap<Database.Database, Map<string, { version: string; value: unknown }>>();

/** A value derived from the whole index, kept until the index changes (as the rollup is). */
export function memoized<T>(db: Database.Database, key: string, compute: () => T): T {
  const version = currentRollup(db)?.version ?? dataVersion(db);
  let byKey = memos.get(db);
  if (!byKey) memos.set(db, (byKey = new Map()));
  const held = byKey.get(key);
  if (held && held.version === version) return held.value as T;
  const value = compute();
  byKey.set(key, { version, value });
  return value;
}

/**
 * A value derived from the whole index and held per state of it, but never while an ingest writes
 * it (it would be stale at once: callers take their SQL path then). `prepare` loads it in slices
 * (prepareMemo), `get` takes it, loading it at once if no slice-wise load has.
 */
export function heldPerState<T>(key: string, steps: (db: Database.Database) => Generator<void, T>) {
  const idle = (db: Database.Database) => {
    const rollup = currentRollup(db);
    return rollup !== null && !rollup.ingesting;
  };
  return {
    prepare: (db: Database.Database): Promise<void> => (idle(db) ? prepareMemo(db, key, () => steps(db)) : Promise.resolve()),
    get: (db: Database.Database): T | null => (idle(db) ? memoized(db, key, () => runSteps(steps(db))) : null),
  };
}


const slicedJobs = new WeakMap<Database.Database, Map<string, { version: string; job: Promise<void> }>>();

/**
 * Computes what `memoized(db, key, ...)` would, a step at a time with the event loop's turn every
 * SLICE_MS, and keeps it the same way, unless the index changed meanwhile. One job per key and
 * index state: callers that ask while it runs wait for it.
 */
export function prepareMemo<T>(db: Database.Database, key: string, steps: () => Generator<void, T>): Promise<void> {
  const version = currentRollup(db)?.version ?? dataVersion(db);
  if (memos.get(db)?.get(key)?.version === version) return Promise.resolve();
  let jobs = slicedJobs.get(db);
  if (!jobs) slicedJobs.set(db, (jobs = new Map()));
  const running = jobs.get(key);
  if (running && running.version === version) return running.job;
  const job = (async () => {
    const it = steps();
    let slice = performance.now();
    for (;;) {
      const step = it.next();
      if (step.done) {
        if ((currentRollup(db)?.version ?? dataVersion(db)) !== version) return;
        let byKey = memos.get(db);
        if (!byKey) memos.set(db, (byKey = new Map()));
        byKey.set(key, { version, value: step.value });
        return;
      }
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
  })().finally(() => {
    if (jobs.get(key)?.job === job) jobs.delete(key);
  });
  jobs.set(key, { version, job });
  return job;
}
