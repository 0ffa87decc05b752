// A filtered slice of a syscall capture as a .scap that sysdig reads: the original's state blocks
// and the event blocks of the events in scope, copied byte for byte, with the events sysdig's state
// is made of (the clones, execs and exits that make processes, the calls that open, dup and close
// fds, the metaevents that name containers): without them sysdig would print a process born during
// the capture as <NA>, and an fd opened before the range without its name. Filtered by the same
// expression, sysdig prints of the slice what it prints of the original.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { SqlParam } from '../../filter/language';
import { compileScopeFilter, type NsRange } from '../scope/view-scope';
import { scapSlice, type SliceCount } from '../../formats/scap/export/scap-slice';
import { stateEventTypes } from '../../formats/scap/parser/event-table';

const STATE_EVENTS = stateEventTypes().join(', ');
import { readSources } from '../case-access/source-readers';
import type { ByteSink } from './packet-export';

const PAGE = 10_000;

export interface EventSelection {
  filter?: string;
  range?: NsRange | null;
}

/** The offsets of one source's chosen event blocks, ascending, read a page at a time. */
function chosenOffsets(db: Database.Database, sourceId: number, sel: EventSelection): Iterator<number> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (sel.filter) {
    const f = compileScopeFilter(sel.filter, 'events');
    where.push(f.where);
    params.push(...f.params);
  }
  if (sel.range) {
    where.push('e.ts BETWEEN ? AND ?');
    params.push(sel.range.from, sel.range.to);
  }
  const chosen = where.length ? `(e.event_type IN (${STATE_EVENTS}) OR (${where.join(' AND ')}))` : '1';
  const page = db.prepare(`SELECT e.num, e.file_offset FROM events e WHERE e.source_id = ? AND e.num > ? AND ${chosen} ORDER BY e.num LIMIT ${PAGE}`);
  let after = 0;
  let buffer: number[] = [];
  let at = 0;
  let done = false;
  return {
    next() {
      if (at === buffer.length && !done) {
        const rows = page.all(sourceId, after, ...params) as { num: number; file_offset: number }[];
        if (rows.length < PAGE) done = true;
        if (rows.length) after = rows[rows.length - 1]!.num;
        buffer = rows.map((r) => r.file_offset);
        at = 0;
      }
      return at < buffer.length ? { done: false, value: buffer[at++]! } : { done: true, value: undefined };
    },
  };
}

/** Writes the slice to `sink`; returns how many events it holds (the state events included). */
export async function exportEvents(db: Database.Database, sel: EventSelection, sink: ByteSink): Promise<SliceCount> {
  const sources = (db.prepare("SELECT id FROM sources WHERE format = 'scap' ORDER BY id").pluck().all() as number[]);
  if (sources.length === 0) throw new ApiError('bad-request', 'this case holds no syscall capture: events come from a .scap');
  // One slice is one capture: sysdig reads one section of one machine.
  if (sources.length > 1) throw new ApiError('bad-request', `this case holds ${sources.length} syscall captures; a .scap slice is cut from one`);
  const count: SliceCount = { events: 0, bytes: 0 };
  await readSources(db, sources, async (source, reader) => {
    for await (const block of scapSlice(reader, chosenOffsets(db, source.id, sel), count)) sink(block);
  });
  return count;
}
