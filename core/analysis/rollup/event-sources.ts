// Which sources of a case hold syscall events, decided from the data rather than from the sources'
// format names (below the format registry, the analyses cannot ask it): one seek each on the
// events' primary key (source_id, num).

import type Database from 'better-sqlite3';

/** Ids of the sources with at least one event, in source order. */
export function sourcesWithEvents(db: Database.Database): number[] {
  return db.prepare('SELECT id FROM sources s WHERE EXISTS (SELECT 1 FROM events WHERE source_id = s.id) ORDER BY id').pluck().all() as number[];
}

/** Ids of the sources without events (network captures, heap dumps), in source order. */
export function sourcesWithoutEvents(db: Database.Database): number[] {
  return db.prepare('SELECT id FROM sources s WHERE NOT EXISTS (SELECT 1 FROM events WHERE source_id = s.id) ORDER BY id').pluck().all() as number[];
}

/** Whether the case holds any syscall event. */
export function hasEvents(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
}
