// The capture's time span, and a cheap fingerprint of what the index holds so far (it grows while
// the ingest worker writes): both by reads of a block or two at the ends of each capture's events,
// never by scanning a big table.

import type Database from 'better-sqlite3';
import type { NsRange } from '../time-range';
import { activityEvent } from '../../formats/scap/schema/activity';
import { sourcesWithEvents, sourcesWithoutEvents } from './event-sources';

/**
 * First and last moment of captured activity: the one place that says when a capture ran, for the
 * timeline, the rollup, the report and --from/--to alike. A scap file is in time order as a rule
 * (libscap merges the per-CPU buffers by time), so its first and last activity events by number
 * are its first and last by time, except where the ingest saw otherwise (machine.time_ordered = 0).
 * Metadata events and events stamped 0 are not activity (schema/activity.ts); a capture of nothing
 * else takes the times they have. Network captures take their streams' first and last packets.
 */
export function captureSpan(db: Database.Database): NsRange | null {
  // Syscall captures are the sources with events; the others' streams are network captures' (a
  // heap dump has none).
  const scap = sourcesWithEvents(db);
  const pcap = sourcesWithoutEvents(db);
  let from: bigint | null = null;
  let to: bigint | null = null;
  const widen = (a: bigint | null | undefined, b: bigint | null | undefined) => {
    if (a !== null && a !== undefined && (from === null || a < from)) from = a;
    if (b !== null && b !== undefined && (to === null || b > to)) to = b;
  };
  for (const activity of [activityEvent(''), 'ts > 0', '1']) {
    const first = db.prepare(`SELECT ts FROM events WHERE source_id = ? AND ${activity} ORDER BY num LIMIT 1`).safeIntegers().pluck();
    const last = db.prepare(`SELECT ts FROM events WHERE source_id = ? AND ${activity} ORDER BY num DESC LIMIT 1`).safeIntegers().pluck();
    for (const id of scap) widen(first.get(id) as bigint | undefined, last.get(id) as bigint | undefined);
    // A capture whose events are not all in time order (the ingest records it once they are read)
    // may hold earlier or later ones: a sort of the times finds them.
    if (scap.length > 0 && eventsOutOfTimeOrder(db)) {
      const a = db.prepare(`SELECT ts FROM events WHERE ${activity} ORDER BY ts LIMIT 1`).safeIntegers().pluck().get() as bigint | undefined;
      const b = db.prepare(`SELECT ts FROM events WHERE ${activity} ORDER BY ts DESC LIMIT 1`).safeIntegers().pluck().get() as bigint | undefined;
      widen(a, b);
    }
    if (from !== null || scap.length === 0) break;
  }
  if (pcap.length > 0) {
    const row = db
      .prepare(`SELECT MIN(first_ts) AS a, MAX(last_ts) AS b FROM streams WHERE source_id IN (${pcap.map(() => '?').join(',')})`)
      .safeIntegers()
      .get(...pcap) as { a: bigint | null; b: bigint | null };
    widen(row.a, row.b);
  }
  return from === null || to === null ? null : { from, to };
}

/** Whether the ingest saw some capture's events out of time order (an event earlier than the one before it). */
export function eventsOutOfTimeOrder(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM machine WHERE time_ordered = 0 LIMIT 1').get() !== undefined;
}

/** Changes whenever rows are added to the tables the exploring views aggregate. */
export function dataVersion(db: Database.Database): string {
  const parts: string[] = [];
  const lastEvent = db.prepare('SELECT num FROM events WHERE source_id = ? ORDER BY num DESC LIMIT 1').safeIntegers().pluck();
  for (const { id } of db.prepare('SELECT id FROM sources ORDER BY id').all() as { id: number }[]) parts.push(`${id}:${String(lastEvent.get(id) ?? 0)}`);
  for (const table of ['streams', 'chunks', 'http_exchanges', 'findings', 'threads', 'containers', 'fds']) {
    parts.push(String(db.prepare(`SELECT MAX(rowid) FROM ${table}`).pluck().get() ?? 0));
  }
  const ingest = db.prepare('SELECT id, state FROM ingests ORDER BY id DESC LIMIT 1').get() as { id: number; state: string } | undefined;
  parts.push(ingest ? `${ingest.id}${ingest.state}` : '-');
  return parts.join('/');
}
