// The events table's filtered pages in time order go through the page planner (event-page.ts:
// a walk in key order, or over a brushed range's keys, that stops at the page's end; or SQLite's
// planner for sparse filters). Held against the plain query, page by page, for dense and sparse
// filters, with and without a brushed range; and the ingest's record of time order.

import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { compileFilter } from '../../core/filter/language';
import { installFilterFunctions } from '../../core/index/sql-functions';
import { exploreApiOver } from '../helpers/explore-api';
import { corpus, scratchDir } from '../helpers/paths';
import { notMetaEvent } from '../../core/formats/scap/schema/activity';
import { openIndexDb } from '../helpers/index-db';

const dir = scratchDir('events-page');
const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);
const CASES = { curl: corpus('scap', 'curl_google.scap'), libs: corpus('scap', 'libs-sample.scap') };

beforeAll(async () => {
  for (const [name, file] of Object.entries(CASES)) {
    const dbPath = path.join(dir, `${name}.sqlite`);
    expect((await runIngest({ file, dbPath })).state).toBe('done');
    const db = openIndexDb(dbPath, { readonly: true });
    installFilterFunctions(db);
    dbs.set(name, db);
  }
});

const FILTERS = ['evt.dir=<', 'evt.type=read', 'fd.name contains /etc', 'evt.failed=true', 'proc.name=curl', 'evt.type in (connect, socket)', 'evt.buffer contains HTTP', 'not evt.type=switch'];

// The table lists no metaevent unless asked for the capture's metadata (sysdig-counts.test.ts).
function plain(db: Database.Database, expr: string, range: { from: bigint; to: bigint } | null, offset: number, limit: number): string[] {
  const f = compileFilter(expr, 'events');
  const time = `${range ? 'AND e.ts BETWEEN ? AND ?' : ''} AND ${notMetaEvent('e')}`;
  return (
    db
      .prepare(`SELECT e.source_id || ':' || e.num FROM events e WHERE (${f.where}) ${time} ORDER BY e.ts, e.source_id, e.num LIMIT ? OFFSET ?`)
      .pluck()
      .all(...f.params, ...(range ? [range.from, range.to] : []), limit, offset) as string[]
  );
}

describe('filtered events pages', () => {
  it('the ingest records whether a capture is in time order (libs-sample.scap has one event out of it)', () => {
    const backwards = (db: Database.Database) => db.prepare('SELECT count(*) FROM (SELECT ts < lag(ts) OVER (ORDER BY num) AS back FROM events) WHERE back').pluck().get() as number;
    expect(backwards(dbs.get('libs')!)).toBe(1);
    for (const db of dbs.values()) expect(db.prepare('SELECT time_ordered FROM machine WHERE event_count > 0').pluck().get()).toBe(backwards(db) === 0 ? 1 : 0);
  });

  it('unfiltered pages follow time order too where the key order does not', async () => {
    const db = dbs.get('libs')!;
    const all = db.prepare(`SELECT source_id || ':' || num FROM events e WHERE ${notMetaEvent('e')} ORDER BY ts, source_id, num`).pluck().all() as string[];
    const keys: string[] = [];
    for (let offset = 0; offset < all.length; offset += 100) {
      const page = await api['table.page']({ caseId: 'libs', table: 'events', scope: {}, offset, limit: 100 });
      keys.push(...page.rows.map((r) => r.key));
    }
    expect(keys).toEqual(all);
  });

  it('the rollup counts an out-of-order capture’s events in the buckets of their times', () => {
    const db = dbs.get('libs')!;
    const { span_from: from, span_to: to, bucket_ns: width } = db.prepare('SELECT span_from, span_to, bucket_ns FROM rollup').safeIntegers().get() as { span_from: bigint; span_to: bigint; bucket_ns: bigint };
    const series = db.prepare("SELECT series FROM rollup_series WHERE family = 'events' AND metric = 'syscalls'").pluck().get() as Buffer;
    const stored = Array.from({ length: series.length / 8 }, (_, i) => series.readDoubleLE(i * 8));
    const plainCounts = new Array<number>(stored.length).fill(0);
    // Events outside the capture's activity (sysdig's procinfo events at whole seconds) are in no bucket.
    for (const r of db.prepare("SELECT (ts - ?) / ? AS b, SUM(dir = '<') AS n FROM events WHERE ts BETWEEN ? AND ? GROUP BY 1").all(from, width, from, to) as { b: number; n: number }[]) plainCounts[r.b] = r.n;
    expect(stored).toEqual(plainCounts);
  });

  it('are the plain query’s pages, whole capture and brushed, dense filters and sparse', async () => {
    let compared = 0;
    for (const [caseId, db] of dbs) {
      const { first, last } = db.prepare('SELECT min(ts) AS first, max(ts) AS last FROM events').safeIntegers().get() as { first: bigint; last: bigint };
      const third = (last - first) / 3n;
      for (const range of [null, { from: first + third, to: last - third }]) {
        for (const filter of FILTERS) {
          for (const offset of [0, 7]) {
            const page = await api['table.page']({
              caseId,
              table: 'events',
              scope: { filter, range: range ? { from: String(range.from), to: String(range.to) } : undefined },
              offset,
              limit: 25,
            });
            expect(page.rows.map((r) => r.key), `${caseId} ${filter} ${range ? 'brushed' : 'whole'} +${offset}`).toEqual(plain(db, filter, range, offset, 25));
            compared += page.rows.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
