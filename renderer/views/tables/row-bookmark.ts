// What a table row can be bookmarked as: an event of the events table (its key is "<source>:<num>",
// core/domain/tables/events.ts), or the stream a connection or file row leads to. Other rows
// (processes, containers, groups of errors) are summaries, not places in the evidence.

import type { TableId, TableRow } from '../../../core/domain/tables/contract';
import type { BookmarkPlace } from '../../../core/domain/bookmarks/contract';

export function rowBookmark(table: TableId, row: TableRow | undefined): { place: BookmarkPlace; what: string } | null {
  if (!row) return null;
  const event = table === 'events' ? /^(\d+):(\d+)$/.exec(row.key) : null;
  if (event) return { place: { kind: 'event', sourceId: Number(event[1]), num: Number(event[2]) }, what: `event ${event[2]}` };
  if (row.drill?.kind === 'stream') return { place: { kind: 'stream', streamId: row.drill.streamId }, what: row.drill.label };
  return null;
}
