// The rollup the ingest stores (tables rollup and rollup_series) held against plain SQL over the
// same rows, the overview read from it against the overview computed without it, and the streams
// tables narrowed by time (through streams_by_time) and by process against plain SQL.

import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricId, TileValue } from '../../core/domain/overview/contract';
import { runIngest } from '../../core/ingest/pipeline';
import { familyColumns, TIMED_FAMILIES } from '../../core/analysis/rollup/metric-families';
import { FINE_BUCKETS } from '../../core/analysis/rollup/store';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';
import { exploreApiOver } from '../helpers/explore-api';
import { openIndexDb } from '../helpers/index-db';

const CASES = { curl: corpus('scap', 'curl_google.scap'), privileged: corpus('scap', 'falco-privileged.scap'), haproxy: corpus('pcap', 'haproxy-502.pcap') };
type CaseId = keyof typeof CASES;

const dbs = new Map<string, Database.Database>();
const paths = new Map<string, string>();
const api = exploreApiOver(dbs);
const dir = scratchDir('explore-rollup');

beforeAll(async () => {
  for (const [id, file] of Object.entries(CASES)) {
    const dbPath = path.join(dir, `${id}.sqlite`);
    const outcome = await runIngest({ file, dbPath });
    expect(outcome.state).toBe('done');
    paths.set(id, dbPath);
    dbs.set(id, openIndexDb(dbPath, { readonly: true }));
  }
});

/** A writable copy of a case, opened under another case id. */
async function copyOf(caseId: CaseId, as: string): Promise<Database.Database> {
  const copy = path.join(dir, `${as}.sqlite`);
  await dbs.get(caseId)!.backup(copy);
  const db = openIndexDb(copy);
  dbs.set(as, db);
  return db;
}

function stored(db: Database.Database): { from: bigint; to: bigint; width: bigint; series: Map<string, number[]> } {
  const row = db.prepare('SELECT span_from, span_to, bucket_ns, buckets FROM rollup').safeIntegers().get() as { span_from: bigint; span_to: bigint; bucket_ns: bigint; buckets: bigint };
  expect(Number(row.buckets)).toBe(FINE_BUCKETS);
  const series = new Map<string, number[]>();
  for (const r of db.prepare('SELECT family, metric, series FROM rollup_series').all() as { family: string; metric: string; series: Buffer }[]) {
    series.set(`${r.family}/${r.metric}`, Array.from({ length: r.series.length / 8 }, (_, i) => r.series.readDoubleLE(i * 8)));
  }
  return { from: row.span_from, to: row.span_to, width: row.bucket_ns, series };
}

/** Plain SQL per fine bucket: one GROUP BY over the computed bucket, the metrics written as they read. */
/** What plain SQL counts per bucket of the span; events outside it (state events stamped at a whole second before or after the activity, metadata at time 0) are in none. */
function plainBuckets(db: Database.Database, sql: string, from: bigint, width: bigint, to: bigint): number[] {
  const out = new Array<number>(FINE_BUCKETS).fill(0);
  for (const [b, v] of db.prepare(`SELECT (e.ts - ?) / ? AS b, ${sql} FROM events e WHERE e.ts BETWEEN ? AND ? GROUP BY b`).safeIntegers().raw().all(from, width, from, to) as [bigint, bigint | null][]) {
    out[Number(b)] = Number(v ?? 0);
  }
  return out;
}

function tile(tiles: TileValue[], metric: MetricId): TileValue {
  const found = tiles.find((t) => t.metric === metric);
  if (!found) throw new Error(`no tile ${metric}`);
  return found;
}

describe('the rollup stored at ingest', () => {
  it('covers the capture with every column of every family, bucket by bucket as plain SQL counts them', async () => {
    for (const caseId of ['curl', 'privileged'] as const) {
      const db = dbs.get(caseId)!;
      const r = stored(db);
      const shape = await api['explore.shape']({ caseId });
      expect({ from: String(r.from), to: String(r.to) }).toEqual(shape.span);
      for (const family of TIMED_FAMILIES) for (const c of familyColumns(family)) expect(r.series.has(`${family}/${c.key}`), `${family}/${c.key}`).toBe(true);
      // The events' metrics in their plain form (AND chains, not the CASEs the rollup runs).
      const plain: [string, string][] = [
        ['syscalls', "SUM(e.dir = '<')"],
        ['syscallErrors', "SUM(e.dir = '<' AND e.res < 0)"],
        ['execs', "SUM(e.dir = '<' AND e.type IN ('execve', 'execveat') AND e.res = 0)"],
        ['fileOpenErrors', "SUM(e.dir = '<' AND e.res < 0 AND e.type IN ('open', 'openat', 'openat2', 'creat', 'open_by_handle_at'))"],
        ['connectionsFailed', "SUM(e.dir = '<' AND e.type = 'connect' AND e.res < 0 AND e.res != -115)"],
        ['signals', "SUM((e.dir = '<' AND e.type IN ('kill', 'tkill', 'tgkill')) OR e.type = 'signaldeliver')"],
      ];
      for (const [metric, sql] of plain) expect(r.series.get(`events/${metric}`), `${caseId} ${metric}`).toEqual(plainBuckets(db, sql, r.from, r.width, r.to));
      // falco-privileged.scap holds enter events only: no call returns in it.
      if (caseId === 'curl') expect(r.series.get('events/syscalls')!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      // Bytes moved, per bucket of their chunk's time.
      const bytes = new Array<number>(FINE_BUCKETS).fill(0);
      for (const [b, v] of db
        .prepare("SELECT (c.ts - ?) / ? AS b, SUM(c.length) FROM chunks c JOIN streams s ON s.id = c.stream_id WHERE s.kind = 'file' AND c.dir = 'in' GROUP BY b")
        .safeIntegers()
        .raw()
        .all(r.from, r.width) as [bigint, bigint][]) {
        bytes[Number(b)] = Number(v);
      }
      expect(r.series.get('chunks/fileBytesIn')).toEqual(bytes);
    }
  });

  it('is what the overview reads once the ingest is done, and is ignored while one runs', async () => {
    const db = await copyOf('curl', 'doctored');
    const before = await api['overview.tiles']({ caseId: 'curl', scope: {}, buckets: 40 });
    // Doubling the stored series shows on the tiles: they came from the table, not from a scan.
    const series = db.prepare("SELECT series FROM rollup_series WHERE family = 'events' AND metric = 'syscalls'").pluck().get() as Buffer;
    for (let i = 0; i < series.length; i += 8) series.writeDoubleLE(series.readDoubleLE(i) * 2, i);
    db.prepare("UPDATE rollup_series SET series = ? WHERE family = 'events' AND metric = 'syscalls'").run(series);
    const doctored = await api['overview.tiles']({ caseId: 'doctored', scope: {}, buckets: 40 });
    expect(tile(doctored.tiles, 'syscalls').value).toBe(2 * tile(before.tiles, 'syscalls').value!);
    expect(tile(doctored.tiles, 'syscalls').series).toEqual(tile(before.tiles, 'syscalls').series!.map((v) => 2 * v));
    // An ingest under way: the index is changing, so the rollup is computed from what it holds.
    db.prepare("UPDATE ingests SET state = 'running' WHERE id = (SELECT MAX(id) FROM ingests)").run();
    const running = await api['overview.tiles']({ caseId: 'doctored', scope: {}, buckets: 40 });
    expect(tile(running.tiles, 'syscalls').series).toEqual(tile(before.tiles, 'syscalls').series);
  });

  it('gives the overview and the timeline that computing the rollup without it gives', async () => {
    for (const caseId of ['curl', 'privileged', 'haproxy'] as const) {
      const without = await copyOf(caseId, `${caseId}-without`);
      without.exec('DELETE FROM rollup_series; DELETE FROM rollup');
      const shape = await api['explore.shape']({ caseId });
      const from = BigInt(shape.span!.from);
      const to = BigInt(shape.span!.to);
      const range = { from: String(from + (to - from) / 6n), to: String(to - (to - from) / 4n) };
      for (const scope of [{}, { range }]) {
        const a = await api['overview.tiles']({ caseId, scope, buckets: 30 });
        const b = await api['overview.tiles']({ caseId: `${caseId}-without`, scope, buckets: 30 });
        expect(a.tiles.map((t) => [t.metric, t.value, t.series])).toEqual(b.tiles.map((t) => [t.metric, t.value, t.series]));
      }
      const metrics: MetricId[] = ['syscalls', 'netBytesIn', 'httpExchanges', 'connectionsFailed'];
      const a = await api['timeline.series']({ caseId, scope: {}, metrics, buckets: 100 });
      const b = await api['timeline.series']({ caseId: `${caseId}-without`, scope: {}, metrics, buckets: 100 });
      expect(a.series).toEqual(b.series);
    }
  });

  it('is left out for a case with no time span, and the overview still answers', async () => {
    const dbPath = path.join(dir, 'heap.sqlite');
    expect((await runIngest({ file: path.join(REPO_ROOT, 'sample-captures', 'small-jcmd-live.hprof.gz'), dbPath })).state).toBe('done');
    const db = openIndexDb(dbPath, { readonly: true });
    dbs.set('heap', db);
    expect(db.prepare('SELECT COUNT(*) FROM rollup').pluck().get()).toBe(0);
    const { tiles } = await api['overview.tiles']({ caseId: 'heap', scope: {}, buckets: 10 });
    expect(tile(tiles, 'syscalls').value).toBeNull();
  });
});

describe('streams tables narrowed by time and process', () => {
  it('list the connections and files that overlap a range, and a process\u2019s, as plain SQL does', async () => {
    for (const caseId of ['curl', 'privileged', 'haproxy'] as const) {
      const db = dbs.get(caseId)!;
      const shape = await api['explore.shape']({ caseId });
      const from = BigInt(shape.span!.from);
      const to = BigInt(shape.span!.to);
      const range = { from: from + (to - from) / 3n, to: to - (to - from) / 3n };
      const scope = { range: { from: String(range.from), to: String(range.to) } };
      const ids = (sql: string, ...params: unknown[]) => (db.prepare(sql).pluck().all(...params) as number[]).map(String);
      const connections = await api['table.page']({ caseId, table: 'connections', scope, limit: 1000 });
      expect(connections.rows.map((r) => r.key), caseId).toEqual(ids("SELECT id FROM streams WHERE kind IN ('tcp', 'udp') AND first_ts <= ? AND last_ts >= ? ORDER BY id", range.to, range.from));
      const files = await api['table.page']({ caseId, table: 'files', scope, limit: 1000 });
      expect(files.rows.map((r) => r.key), caseId).toEqual(ids("SELECT id FROM streams WHERE kind = 'file' AND first_ts <= ? AND last_ts >= ? ORDER BY id", range.to, range.from));
      const directories = await api['table.page']({ caseId, table: 'directories', scope, sort: { column: 'directory', desc: false }, limit: 1000 });
      expect(directories.rows.map((r) => r.key)).toEqual(
        ids("SELECT DISTINCT rtrim(fd_name, replace(fd_name, '/', '')) AS d FROM streams WHERE kind = 'file' AND fd_name LIKE '/%' AND first_ts <= ? AND last_ts >= ? ORDER BY d", range.to, range.from),
      );
      expect(directories.total).toBe(directories.rows.length);
      for (const pid of db.prepare('SELECT DISTINCT pid FROM streams WHERE pid IS NOT NULL ORDER BY pid LIMIT 5').pluck().all() as number[]) {
        const mine = await api['table.page']({ caseId, table: 'connections', scope: {}, drill: { pid }, limit: 1000 });
        expect(mine.rows.map((r) => r.key), `${caseId} pid ${pid}`).toEqual(ids("SELECT id FROM streams WHERE kind IN ('tcp', 'udp') AND pid = ? ORDER BY id", pid));
        const theirFiles = await api['table.page']({ caseId, table: 'files', scope: {}, drill: { pid }, limit: 1000 });
        expect(theirFiles.rows.map((r) => r.key), `${caseId} pid ${pid}`).toEqual(ids("SELECT id FROM streams WHERE kind = 'file' AND pid = ? ORDER BY id", pid));
      }
    }
  });

  it('walk streams_by_time for a brushed range, not the whole table', () => {
    const db = dbs.get('curl')!;
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, 2) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan("SELECT id FROM streams s WHERE s.source_id IN (SELECT id FROM sources) AND s.kind IN ('tcp', 'udp') AND s.first_ts <= ? AND s.last_ts >= ?")).toMatch(/streams_by_time/);
  });
});
