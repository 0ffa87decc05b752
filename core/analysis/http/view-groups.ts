// The HTTP analysis' groups of views (groupViews: the views of one connection, same endpoints and
// overlapping in time) a page at a time, in exactly the order groupViews gives for the whole list,
// without holding every view: a capture of two hundred thousand short connections has as many
// views, and holding them (with their grouping map) was most of the analysis' memory.
//
// SQLite sorts the views into that order once, into a temporary table of positions (sorted on disk
// past its cache, so bounded memory): views without complete endpoints first, by id; then the views
// of each connection key together, keys in the order of their first view's id, each key's views by
// first time (unknown last), then id. Consecutive views of one key are then grouped by overlap as
// groupViews does. After a network capture's rows were staged as it was read, the pass asks only
// for the views still to write (UNWRITTEN_VIEWS).

import type Database from 'better-sqlite3';
import { connectionKey, groupViews } from './exchanges';
import { STREAM_VIEW_COLUMNS, STREAM_VIEW_WHERE, toStreamView, type StreamView } from './views';

/** The views' positions in that order while the groups are read (pos from 1, consecutive; the groups in the order given hold them in turn). */
export const VIEW_ORDER_TABLE = 'temp.http_view_order';

/** Views read from the index per query. */
const PAGE_VIEWS = 2000;

const KEY_COLUMNS = 'kind, client_addr, client_port, server_addr, server_port';
const KEY_INCOMPLETE = 'client_addr IS NULL OR client_port IS NULL OR server_addr IS NULL OR server_port IS NULL';

/** The views in the groups' order: by key (keys in the order of their first view's id), each key's by time. */
const ALL_VIEWS = `SELECT id FROM (
    SELECT id, first_ts, (${KEY_INCOMPLETE}) AS incomplete,
           CASE WHEN (${KEY_INCOMPLETE}) THEN id ELSE min(id) OVER (PARTITION BY ${KEY_COLUMNS}) END AS first_of_key
    FROM streams WHERE ${STREAM_VIEW_WHERE})
  ORDER BY incomplete DESC, first_of_key, first_ts IS NULL, first_ts, id`;

/**
 * The views less those that are a group alone and written already (a protocol of them stored).
 * A view is a group alone when its endpoints are incomplete, or when it neither joins the group
 * before it nor is joined by the next view of its key (groupViews: a key's views, by first time,
 * join the group before them when they begin before it ends; the latest end of all the views
 * before is that group's end whenever it matters, since a group begins after every earlier one
 * ended). One sort of the views by key and time gives both: the latest end before a view, and the
 * next view's start. The keys come in the order of their endpoints here, not of their first view
 * (what is written after staging takes the ids after the staged ones in any case).
 */
const UNWRITTEN_VIEWS = `SELECT id FROM (
    SELECT id, first_ts, last_ts, ${KEY_COLUMNS}, (${KEY_INCOMPLETE}) AS incomplete,
           max(last_ts) OVER (by_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end,
           lead(first_ts) OVER by_key AS next_first
    FROM streams WHERE ${STREAM_VIEW_WHERE}
    WINDOW by_key AS (PARTITION BY ${KEY_COLUMNS} ORDER BY first_ts IS NULL, first_ts, id))
  WHERE NOT ((incomplete OR NOT (coalesce(first_ts <= before_end, 0) OR coalesce(next_first <= max(coalesce(before_end, last_ts), coalesce(last_ts, before_end)), 0)))
             AND EXISTS (SELECT 1 FROM stream_protocols p WHERE p.stream_id = id))
  ORDER BY incomplete DESC, CASE WHEN incomplete THEN id END, ${KEY_COLUMNS}, first_ts IS NULL, first_ts, id`;

/**
 * Every group of the index's views, `groupsPerPage` at most at a time (fewer at a key's end).
 * `skipWritten`: leave out each view that is a group alone and whose rows are in the HTTP tables
 * already (staged-exchanges.ts); the groups given are then the same as without it, less those,
 * though not in the same order.
 */
export function* viewGroupPages(db: Database.Database, groupsPerPage: number, options: { skipWritten?: boolean } = {}): Generator<StreamView[][]> {
  db.exec(`DROP TABLE IF EXISTS ${VIEW_ORDER_TABLE};
    CREATE TABLE ${VIEW_ORDER_TABLE} (pos INTEGER PRIMARY KEY, id INTEGER NOT NULL);
    INSERT INTO ${VIEW_ORDER_TABLE} (id) ${options.skipWritten ? UNWRITTEN_VIEWS : ALL_VIEWS};`);
  const page = db.prepare(`SELECT o.pos, ${STREAM_VIEW_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}
    FROM ${VIEW_ORDER_TABLE} o JOIN streams s ON s.id = o.id WHERE o.pos > ? ORDER BY o.pos LIMIT ${PAGE_VIEWS}`).safeIntegers(true);
  try {
    let after = 0n;
    const groups: StreamView[][] = [];
    // The views of the key being read: grouped once the key changes (a key's views may span pages).
    let run: StreamView[] = [];
    let runKey: string | null = null;
    const endRun = () => {
      if (run.length > 0) groups.push(...groupViews(run));
      run = [];
      runKey = null;
    };
    for (;;) {
      const rows = page.all(after) as Record<string, bigint | string | null>[];
      if (rows.length === 0) break;
      after = rows.at(-1)!.pos as bigint;
      for (const row of rows) {
        const view = toStreamView(row);
        const key = connectionKey(view);
        if (key === null || key !== runKey) endRun();
        if (key === null) groups.push([view]);
        else {
          run.push(view);
          runKey = key;
        }
        while (groups.length >= groupsPerPage) yield groups.splice(0, groupsPerPage);
      }
    }
    endRun();
    while (groups.length > 0) yield groups.splice(0, groupsPerPage);
  } finally {
    db.exec(`DROP TABLE IF EXISTS ${VIEW_ORDER_TABLE}`);
  }
}
