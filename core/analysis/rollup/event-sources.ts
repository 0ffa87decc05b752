// Which sources of a case hold syscall events, decided from the data rather than from the sources'
// format names (below the format registry, the analyses cannot ask it): a look at each capture's
// first block of events.

import type Database from 'better-sqlite3';

/** Ids of the sources with at least one event, in source order. */
export function sourcesWithEvents(db: Database.Database): number[] {
  return db.prepare('SELECT id FROM sources s WHERE EXISTS (SELECT 1 FROM events WHERE source_id = s.id) ORDER BY id').pluck().all() as number[];
}

/** Ids of the sources without events (network captures, heap dumps), in source order. */
export function sourcesWithoutEvents(db: Database.Database): number[] {
  return db.prepare('SELECT id FROM sources s WHERE NOT EXISTS (SELECT 1 FROM events WHERE source_id = s.id) ORDER BY id').pluck().all() as number[];
}

/**
 * Whether every syscall capture's events are all written (its ingest recorded at its end whether
 * they came in time order, machine.time_ordered): until then the threads table is not complete.
 */
export function eventsWritten(db: Database.Database): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM sources s WHERE EXISTS (SELECT 1 FROM events e WHERE e.source_id = s.id)
           AND NOT EXISTS (SELECT 1 FROM machine m WHERE m.source_id = s.id AND m.time_ordered IS NOT NULL) LIMIT 1`,
      )
      .get() === undefined
  );
}

/** Whether the case holds any syscall event. */
export function hasEvents(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
}
