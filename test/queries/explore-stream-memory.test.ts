// The connections and directories tables answered from streams held in memory, and the files
// table's brushed range narrowed to the ids a range can reach, held against plain SQL: on real
// captures, and on a copy of one given extra streams of every awkward shape (NULL columns, names
// past U+FFFF and past U+E000, one long-lived file, several processes and containers).

import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TableId, TableSort } from '../../core/domain/tables/contract';
import { runIngest } from '../../core/ingest/pipeline';
import { heldConnections } from '../../core/domain/tables/connection-list';
import { directoryOf, heldFiles } from '../../core/domain/tables/file-groups';
import { compareText, sortNullsLast } from '../../core/domain/tables/sql-order';
import { streamIdsReaching } from '../../core/domain/tables/stream-window';
import { corpus, scratchDir } from '../helpers/paths';
import { exploreApiOver } from '../helpers/explore-api';
import { openIndexDb } from '../helpers/index-db';

const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);
const dir = scratchDir('explore-stream-memory');

const CONNECTION_SORT: Record<string, string> = {
  id: 's.id', tuple: 'COALESCE(s.tuple, s.fd_name)', proto: 's.l4proto', role: 's.role', process: 's.proc', pid: 's.pid',
  container: 's.container_id', state: 's.state', bytesOut: 's.bytes_out', bytesIn: 's.bytes_in', first: 's.first_ts', duration: 's.last_ts - s.first_ts',
};

const NAMES = ['/var/log/app.log', '/var/log/\u{1F600}.log', '/var/log/\uE000.log', '/etc/passwd', '/etc/ssl/certs/ca.pem', '/tmp/x', '/\u00e9t\u00e9/a', 'relative.txt', '/'];
const TUPLES = ['10.0.0.1:1->10.0.0.2:80', '10.0.0.1:2->10.0.0.2:80', null, '[::1]:5->[::1]:6', '\u{1F600}:1->x:2'];

/** Adds streams of every shape to a writable index: some with NULLs, all in id order of their first time. */
function addAwkwardStreams(db: Database.Database): void {
  const source = db.prepare('SELECT id FROM sources ORDER BY id LIMIT 1').pluck().get() as number;
  const last = db.prepare('SELECT MAX(first_ts) FROM streams').safeIntegers().pluck().get() as bigint;
  const insert = db.prepare(
    `INSERT INTO streams (source_id, kind, l4proto, tuple, container_id, pid, tid, fd, proc, fd_name, role, bytes_in, bytes_out, chunk_count, first_ts, last_ts, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const fd = db.prepare('INSERT INTO fds (source_id, pid, fd, type, name, stream_id) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    // Pid 1001 holds more fds than the tables look up one by one: its streams come from memory.
    for (let i = 0; i < 6000; i++) fd.run(source, 1001, 10_000 + i, 'file', `/proc/self/fd/${i}`, null);
    for (let i = 0; i < 300; i++) {
      const kind = i % 3 === 0 ? (i % 2 ? 'tcp' : 'udp') : 'file';
      const first = last + BigInt(i) * 1_000_000n;
      // One file lasts far past the others: a late range must still reach back to it.
      const end = i === 7 ? first + 400_000_000n : first + BigInt((i * 7919) % 5_000_000);
      const pid = i % 13 === 0 ? null : 1000 + (i % 5);
      const { lastInsertRowid } = insert.run(
        source,
        kind,
        kind === 'file' ? null : kind,
        kind === 'file' ? null : TUPLES[i % TUPLES.length],
        i % 11 === 0 ? null : i % 4 === 0 ? 'c0ffee' : 'host',
        pid,
        i % 13 === 0 ? null : 2000 + (i % 7),
        i % 9,
        i % 17 === 0 ? null : ['nginx', 'curl', '\u{1F600}proc', '\uE000proc'][i % 4],
        kind === 'file' || i % 5 === 0 ? NAMES[i % NAMES.length] : null,
        i % 2 ? 'client' : 'server',
        (i * 104729) % 7000,
        (i * 1299709) % 9000,
        i % 23,
        first,
        end,
        i % 19 === 0 ? null : ['established', 'closed', 'rst'][i % 3],
      );
      if (pid !== null) fd.run(source, pid, i % 9, kind === 'file' ? 'file' : 'ipv4', NAMES[i % NAMES.length]!, lastInsertRowid);
    }
  })();
}

beforeAll(async () => {
  for (const [id, file] of Object.entries({ curl: corpus('scap', 'curl_google.scap'), haproxy: corpus('pcap', 'haproxy-502.pcap') })) {
    const dbPath = path.join(dir, `${id}.sqlite`);
    const outcome = await runIngest({ file, dbPath });
    expect(outcome.state).toBe('done');
    dbs.set(id, openIndexDb(dbPath, { readonly: true }));
  }
  const copy = path.join(dir, 'awkward.sqlite');
  await dbs.get('curl')!.backup(copy);
  const db = openIndexDb(copy);
  addAwkwardStreams(db);
  dbs.set('awkward', db);
});

async function page(caseId: string, table: TableId, extra: { sort?: TableSort; drill?: Record<string, unknown>; range?: { from: bigint; to: bigint }; offset?: number; limit?: number } = {}) {
  return api['table.page']({
    caseId,
    table,
    scope: extra.range ? { range: { from: String(extra.range.from), to: String(extra.range.to) } } : {},
    ...(extra.sort ? { sort: extra.sort } : {}),
    ...(extra.drill ? { drill: extra.drill } : {}),
    offset: extra.offset ?? 0,
    limit: extra.limit ?? 1000,
  });
}

/** Ranges over the capture: a third in the middle, the last tenth, and one instant. */
async function ranges(caseId: string): Promise<{ from: bigint; to: bigint }[]> {
  const shape = await api['explore.shape']({ caseId });
  const from = BigInt(shape.span!.from);
  const to = BigInt(shape.span!.to);
  const w = to - from;
  // The streams' own span too: the streams added to a copy lie past its events.
  const streams = dbs.get(caseId)!.prepare('SELECT MIN(first_ts) AS a, MAX(last_ts) AS b FROM streams').safeIntegers().get() as { a: bigint; b: bigint };
  const ws = streams.b - streams.a;
  return [
    { from: from + w / 3n, to: to - w / 3n },
    { from: to - w / 10n, to },
    { from: from + w / 2n, to: from + w / 2n },
    { from: streams.a + ws / 3n, to: streams.b - ws / 3n },
    { from: streams.b - ws / 10n, to: streams.b },
  ];
}

describe('text in SQLite order', () => {
  it('sorts as ORDER BY ... COLLATE BINARY NULLS LAST does, surrogates and U+E000 included', () => {
    const mem = new Database(':memory:');
    const values = ['a', 'b', '', 'ab', '\u{1F600}', '\uE000', '\uFFFD', '\u00e9', 'Z', null, '\u{10FFFF}', 'a\u{1F600}', 'a\uE000', null];
    mem.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = mem.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    values.forEach((v, i) => insert.run(i + 1, v));
    for (const desc of [false, true]) {
      const dir = desc ? 'DESC' : 'ASC';
      const sql = mem.prepare(`SELECT id FROM t ORDER BY v ${dir} NULLS LAST, id ${dir}`).pluck().all();
      const items = values.map((v, i) => ({ id: i + 1, v }));
      expect(sortNullsLast(items, (x) => x.v, (x) => x.id, desc).map((x) => x.id)).toEqual(sql);
    }
    expect(compareText('\u{1F600}', '\uE000')).toBeGreaterThan(0);
    expect(compareText('abc', 'ab')).toBeGreaterThan(0);
  });

  it('names a path\u2019s directory as rtrim(name, replace(name, \u2019/\u2019, \u2019\u2019)) does', () => {
    const mem = new Database(':memory:');
    for (const name of NAMES.filter((n) => n.startsWith('/'))) {
      expect(directoryOf(name), name).toBe(mem.prepare("SELECT rtrim(@n, replace(@n, '/', ''))").pluck().get({ n: name }));
    }
  });
});

describe('connections held in memory', () => {
  it('page, sort and count as plain SQL does, for every column, drill and range', async () => {
    for (const caseId of ['curl', 'haproxy', 'awkward']) {
      const db = dbs.get(caseId)!;
      expect(heldConnections(db), caseId).not.toBeNull();
      const pids = db.prepare("SELECT DISTINCT pid FROM streams WHERE kind IN ('tcp', 'udp') ORDER BY pid").pluck().all() as (number | null)[];
      const drills: { drill: Record<string, unknown>; where: string; params: unknown[] }[] = [
        { drill: {}, where: '1', params: [] },
        { drill: { containerId: 'host' }, where: "s.container_id = 'host'", params: [] },
        ...pids.filter((p) => p !== null).map((pid) => ({ drill: { pid }, where: 's.pid = ?', params: [pid] })),
        { drill: { pid: 1001, tid: 2001 }, where: 's.pid = 1001 AND s.tid = 2001', params: [] },
      ];
      const spans = [null, ...(await ranges(caseId))];
      for (const [column, expr] of Object.entries(CONNECTION_SORT)) {
        for (const desc of [false, true]) {
          for (const { drill, where, params } of drills) {
            for (const range of spans) {
              const dir = desc ? 'DESC' : 'ASC';
              const time = range ? 'AND s.first_ts <= ? AND s.last_ts >= ?' : '';
              const want = (
                db
                  .prepare(`SELECT s.id FROM streams s WHERE s.kind IN ('tcp', 'udp') AND ${where} ${time} ORDER BY ${expr} ${dir} NULLS LAST, s.id ${dir}`)
                  .pluck()
                  .all(...params, ...(range ? [range.to, range.from] : [])) as number[]
              ).map(String);
              const label = `${caseId} ${column} ${dir} ${JSON.stringify(drill)} ${range ? 'range' : ''}`;
              const got = await page(caseId, 'connections', { sort: { column, desc }, drill, ...(range ? { range } : {}) });
              expect(got.rows.map((r) => r.key), label).toEqual(want);
              expect(got.total, label).toBe(want.length);
              expect(got.totalExact, label).toBe(true);
              if (want.length > 3) {
                const later = await page(caseId, 'connections', { sort: { column, desc }, drill, ...(range ? { range } : {}), offset: 2, limit: 2 });
                expect(later.rows.map((r) => r.key), label).toEqual(want.slice(2, 4));
              }
            }
          }
        }
      }
    }
  });

  it('show the cells plain SQL selects', async () => {
    const db = dbs.get('awkward')!;
    const got = await page('awkward', 'connections', { sort: { column: 'duration', desc: true } });
    const want = db
      .prepare(
        `SELECT s.id, COALESCE(s.tuple, s.fd_name) AS tuple, s.l4proto, s.role, s.proc, s.pid, CASE WHEN s.container_id IS NULL THEN NULL WHEN s.container_id = 'host' THEN 'host'
           ELSE COALESCE((SELECT name FROM containers c WHERE c.source_id = s.source_id AND c.id = s.container_id), s.container_id) END,
           s.state, s.bytes_out, s.bytes_in, CAST(s.first_ts AS TEXT), s.last_ts - s.first_ts
         FROM streams s WHERE s.kind IN ('tcp', 'udp') ORDER BY s.last_ts - s.first_ts DESC NULLS LAST, s.id DESC`,
      )
      .raw()
      .all();
    expect(got.rows.map((r) => r.cells)).toEqual(want);
  });
});

describe('directories held in memory', () => {
  it('group, sort and count as plain SQL does, for every column, drill and range', async () => {
    const columns: Record<string, string> = { directory: 'directory', files: 'files', opens: 'opens', processes: 'processes', bytesIn: 'bytesIn', bytesOut: 'bytesOut', first: 'first' };
    for (const caseId of ['curl', 'awkward']) {
      const db = dbs.get(caseId)!;
      expect(heldFiles(db), caseId).not.toBeNull();
      const drills: { drill: Record<string, unknown>; where: string; params: unknown[] }[] = [
        { drill: {}, where: '1', params: [] },
        { drill: { containerId: 'c0ffee' }, where: "s.container_id = 'c0ffee'", params: [] },
        { drill: { containerId: 'nowhere' }, where: '0', params: [] },
        { drill: { pid: 1001 }, where: 's.pid = 1001', params: [] },
        { drill: { pid: 1002 }, where: 's.pid = 1002', params: [] },
        { drill: { pid: 1003, tid: 2004 }, where: 's.pid = 1003 AND s.tid = 2004', params: [] },
        { drill: { directory: '/var/log/' }, where: "rtrim(s.fd_name, replace(s.fd_name, '/', '')) = '/var/log/'", params: [] },
      ];
      for (const [column, alias] of Object.entries(columns)) {
        for (const desc of [false, true]) {
          for (const { drill, where, params } of drills) {
            for (const range of [null, ...(await ranges(caseId))]) {
              const dir = desc ? 'DESC' : 'ASC';
              const time = range ? 'AND s.first_ts <= ? AND s.last_ts >= ?' : '';
              const want = db
                .prepare(
                  `SELECT rtrim(s.fd_name, replace(s.fd_name, '/', '')) AS directory, COUNT(DISTINCT s.fd_name) AS files, COUNT(*) AS opens, COUNT(DISTINCT s.pid) AS processes,
                     SUM(s.bytes_in) AS bytesIn, SUM(s.bytes_out) AS bytesOut, CAST(MIN(s.first_ts) AS TEXT) AS first
                   FROM streams s WHERE s.kind = 'file' AND s.fd_name LIKE '/%' AND ${where} ${time} GROUP BY 1 ORDER BY ${alias} ${dir} NULLS LAST, directory ${dir}`,
                )
                .raw()
                .all(...params, ...(range ? [range.to, range.from] : []));
              const label = `${caseId} ${column} ${dir} ${JSON.stringify(drill)} ${range ? 'range' : ''}`;
              const got = await page(caseId, 'directories', { sort: { column, desc }, drill, ...(range ? { range } : {}) });
              expect(got.rows.map((r) => r.cells), label).toEqual(want);
              expect(got.total, label).toBe(want.length);
            }
          }
        }
      }
    }
  });
});

describe('files of a brushed range', () => {
  it('reach back to the longest file stream, and list what plain SQL lists', async () => {
    const db = dbs.get('awkward')!;
    const long = db.prepare("SELECT id, first_ts, last_ts FROM streams WHERE kind = 'file' ORDER BY last_ts - first_ts DESC LIMIT 1").safeIntegers().get() as { id: bigint; first_ts: bigint; last_ts: bigint };
    // A range that starts long after the long file opened, before it closed.
    const range = { from: long.last_ts - 1000n, to: long.last_ts + 50_000_000n };
    const reach = streamIdsReaching(db, 'file', range);
    expect(reach).not.toBeNull();
    const [lo, hi] = reach!.params;
    expect(Number(long.id)).toBeGreaterThanOrEqual(lo!);
    expect(Number(long.id)).toBeLessThanOrEqual(hi!);
    for (const caseId of ['curl', 'awkward']) {
      const d = dbs.get(caseId)!;
      for (const r of [range, ...(await ranges(caseId))]) {
        for (const desc of [false, true]) {
          const dir = desc ? 'DESC' : 'ASC';
          const want = (d.prepare(`SELECT id FROM streams WHERE kind = 'file' AND first_ts <= ? AND last_ts >= ? ORDER BY bytes_in ${dir} NULLS LAST, id ${dir}`).pluck().all(r.to, r.from) as number[]).map(String);
          const got = await page(caseId, 'files', { range: r, sort: { column: 'bytesIn', desc } });
          expect(got.rows.map((x) => x.key), `${caseId} ${dir}`).toEqual(want);
          expect(got.total).toBe(want.length);
        }
      }
    }
    expect((await page('awkward', 'files', { range })).rows.map((r) => r.key)).toContain(String(long.id));
  });
});
