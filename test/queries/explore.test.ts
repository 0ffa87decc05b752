// The exploring views' queries, held against sysdig and tshark on real captures: tile values over
// the whole capture and over a brushed range, table totals, drill-downs, and the agreement of the
// fast paths (rollup, event numbers) with plain SQL over the same rows.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimeRange } from '../../core/api';
import type { MetricId, TileValue } from '../../core/domain/overview/contract';
import type { TablePage } from '../../core/domain/tables/contract';
import { runIngest } from '../../core/ingest/pipeline';
import { corpus, scratchDir } from '../helpers/paths';
import { exploreApiOver } from '../helpers/explore-api';
import { openIndexDb } from '../helpers/index-db';

const CURL = corpus('scap', 'curl_google.scap');
const PRIVILEGED = corpus('scap', 'falco-privileged.scap');
const HAPROXY = corpus('pcap', 'haproxy-502.pcap');

const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);

beforeAll(async () => {
  const dir = scratchDir('explore');
  for (const [id, file] of [['curl', CURL], ['privileged', PRIVILEGED], ['haproxy', HAPROXY]] as const) {
    const dbPath = path.join(dir, `${id}.sqlite`);
    const outcome = await runIngest({ file, dbPath });
    expect(outcome.state).toBe('done');
    dbs.set(id, openIndexDb(dbPath, { readonly: true }));
  }
});

/** sysdig's answer: the lines `sysdig -r FILE -p FORMAT FILTER` prints. */
function sysdig(file: string, format: string, filter: string): string[] {
  const out = execFileSync('sysdig', ['-r', file, '-p', format, filter], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l !== '');
}

const sumOf = (lines: string[]) => lines.map(Number).filter((n) => n > 0).reduce((a, b) => a + b, 0);

function tile(tiles: TileValue[], metric: MetricId): TileValue {
  const found = tiles.find((t) => t.metric === metric);
  if (!found) throw new Error(`no tile ${metric}`);
  return found;
}

/** sysdig's counts of what the tiles count, within [from, to] ns when given. */
function sysdigTiles(file: string, range?: TimeRange) {
  const time = range ? ` and evt.rawtime>=${range.from} and evt.rawtime<=${range.to}` : '';
  return {
    syscalls: sysdig(file, '*%evt.num', `evt.dir=<${time}`).length,
    fileBytesIn: sumOf(sysdig(file, '*%evt.rawres', `evt.is_io_read=true and fd.type=file and evt.dir=<${time}`)),
    netBytesIn: sumOf(sysdig(file, '*%evt.rawres', `evt.is_io_read=true and fd.l4proto in (tcp,udp) and evt.dir=<${time}`)),
    netBytesOut: sumOf(sysdig(file, '*%evt.rawres', `evt.is_io_write=true and fd.l4proto in (tcp,udp) and evt.dir=<${time}`)),
    execs: sysdig(file, '*%evt.num', `evt.type=execve and evt.dir=< and evt.rawres=0${time}`).length,
  };
}

function ourTiles(tiles: TileValue[]) {
  return {
    syscalls: tile(tiles, 'syscalls').value,
    fileBytesIn: tile(tiles, 'fileBytesIn').value,
    netBytesIn: tile(tiles, 'netBytesIn').value,
    netBytesOut: tile(tiles, 'netBytesOut').value,
    execs: tile(tiles, 'execs').value,
  };
}

describe('overview tiles', () => {
  it('count what sysdig counts over the whole scap capture', async () => {
    const { tiles, buckets } = await api['overview.tiles']({ caseId: 'curl', scope: {}, buckets: 40 });
    expect(ourTiles(tiles)).toEqual(sysdigTiles(CURL));
    expect(tile(tiles, 'syscalls').value).toBeGreaterThan(0);
    // The sparkline adds up to the tile's value.
    expect(tile(tiles, 'syscalls').series!.reduce((a, b) => a + b, 0)).toBe(tile(tiles, 'syscalls').value);
    expect(tile(tiles, 'fileBytesIn').series!.reduce((a, b) => a + b, 0)).toBe(tile(tiles, 'fileBytesIn').value);
    expect(buckets.count).toBe(40);
  });

  it('count what sysdig counts inside a brushed range (rollup with live edges)', async () => {
    const shape = await api['explore.shape']({ caseId: 'curl' });
    const from = BigInt(shape.span!.from);
    const to = BigInt(shape.span!.to);
    // Ranges that cut fine buckets at odd places, and one inside a single bucket.
    const cuts: [number, number][] = [
      [0.1, 0.9],
      [0.33, 0.71],
      [0.5, 0.5004],
    ];
    for (const [a, b] of cuts) {
      const range = { from: String(from + ((to - from) * BigInt(Math.round(a * 1e4))) / 10000n), to: String(from + ((to - from) * BigInt(Math.round(b * 1e4))) / 10000n) };
      const { tiles } = await api['overview.tiles']({ caseId: 'curl', scope: { range } });
      expect(ourTiles(tiles), `range ${a}–${b}`).toEqual(sysdigTiles(CURL, range));
    }
  });

  it('agree between the rollup (no filter) and live queries (a filter that keeps every event)', async () => {
    const shape = await api['explore.shape']({ caseId: 'curl' });
    const from = BigInt(shape.span!.from);
    const to = BigInt(shape.span!.to);
    const range = { from: String(from + (to - from) / 7n), to: String(to - (to - from) / 5n) };
    const plain = await api['overview.tiles']({ caseId: 'curl', scope: { range }, buckets: 30 });
    const filtered = await api['overview.tiles']({ caseId: 'curl', scope: { range, filter: 'evt.num>=1' }, buckets: 30 });
    for (const metric of ['syscalls', 'processes', 'containers', 'execs', 'syscallErrors', 'fileOpenErrors'] as MetricId[]) {
      expect(tile(filtered.tiles, metric).value, metric).toBe(tile(plain.tiles, metric).value);
    }
    const window = { from: shape.span!.from, to: shape.span!.to };
    const a = await api['timeline.series']({ caseId: 'curl', scope: {}, metrics: ['syscalls'], window, buckets: 25 });
    const b = await api['timeline.series']({ caseId: 'curl', scope: { filter: 'evt.num>=1' }, metrics: ['syscalls'], window, buckets: 25 });
    expect(a.series[0]!.values!.reduce((x, y) => x + y, 0)).toBe(b.series[0]!.values!.reduce((x, y) => x + y, 0));
  });

  it('count the same while the events are still being written (as during an ingest)', async () => {
    const copy = path.join(scratchDir('explore-partial'), 'partial.sqlite');
    await dbs.get('curl')!.backup(copy);
    const partial = openIndexDb(copy);
    // While an ingest writes the events, whether they came in time order is not known yet.
    partial.exec('UPDATE machine SET time_ordered = NULL');
    // The rollup is stored at the end of ingest, after the events are all written.
    partial.exec('DELETE FROM rollup_series; DELETE FROM rollup');
    dbs.set('partial', partial);
    const shape = await api['explore.shape']({ caseId: 'curl' });
    const from = BigInt(shape.span!.from);
    const to = BigInt(shape.span!.to);
    const range = { from: String(from + (to - from) / 4n), to: String(to - (to - from) / 3n) };
    for (const scope of [{}, { range }]) {
      const indexed = await api['overview.tiles']({ caseId: 'curl', scope, buckets: 20 });
      const unindexed = await api['overview.tiles']({ caseId: 'partial', scope, buckets: 20 });
      expect(unindexed.tiles.map((t) => [t.metric, t.value])).toEqual(indexed.tiles.map((t) => [t.metric, t.value]));
      const sums = (tiles: TileValue[]) => tiles.filter((t) => t.seriesKind === 'sum').map((t) => [t.metric, t.series?.reduce((a, b) => a + b, 0) ?? null]);
      expect(sums(unindexed.tiles)).toEqual(sums(indexed.tiles));
      for (const table of ['processes', 'events', 'errors'] as const) {
        const a = await api['table.page']({ caseId: 'curl', table, scope, limit: 50 });
        const b = await api['table.page']({ caseId: 'partial', table, scope, limit: 50 });
        expect(b.rows.map((r) => r.cells), table).toEqual(a.rows.map((r) => r.cells));
      }
    }
  });

  it('count HTTP exchanges and 4xx/5xx answers as tshark does on the seed pcap, and say what a pcap cannot show', async () => {
    const { tiles } = await api['overview.tiles']({ caseId: 'haproxy', scope: {} });
    const codes = execFileSync('tshark', ['-r', HAPROXY, '-Y', 'http.response', '-T', 'fields', '-e', 'http.response.code'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
    const requests = execFileSync('tshark', ['-r', HAPROXY, '-Y', 'http.request', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
    expect(tile(tiles, 'httpExchanges').value).toBe(requests);
    expect(tile(tiles, 'httpErrors').value).toBe(codes.filter((c) => c >= 400 && c <= 599).length);
    expect(tile(tiles, 'httpErrors').value).toBe(49);
    expect(tile(tiles, 'processes').value).toBeNull();
    expect(tile(tiles, 'processes').note).toMatch(/syscall capture/);
    expect(tile(tiles, 'findings').value).toBeGreaterThan(0);
  });

  it('report a filter that does not read for a family on its tiles, not as a failure of the overview', async () => {
    const { tiles } = await api['overview.tiles']({ caseId: 'curl', scope: { filter: 'fd.sprot=80' } });
    const note = tile(tiles, 'syscalls').note;
    expect(tile(tiles, 'syscalls').value).toBeNull();
    expect(note).toMatch(/filter/i);
  });
});

describe('tables', () => {
  const page = (caseId: string, table: TablePage extends never ? never : Parameters<(typeof api)['table.page']>[0]['table'], extra: object = {}) =>
    api['table.page']({ caseId, table, scope: {}, limit: 1000, ...extra });

  it('list as many connections as tshark has TCP conversations on the seed pcap', async () => {
    const conv = execFileSync('tshark', ['-r', HAPROXY, '-q', '-z', 'conv,tcp'], { encoding: 'utf8' });
    const conversations = conv.split('\n').filter((l) => /<->/.test(l)).length;
    const res = await page('haproxy', 'connections');
    expect(res.total).toBe(conversations);
    expect(res.rows[0]!.drill).toMatchObject({ kind: 'stream' });
  });

  it('drill from a container to its processes, as sysdig sees them in that container', async () => {
    // falco-privileged.scap's nginx did nothing in the capture (sysdig prints only its container
    // record): listed, and drilled into, with the capture's metadata shown.
    expect((await page('privileged', 'containers')).rows.some((r) => r.cells[0] === 'epic_cray')).toBe(false);
    const containers = await page('privileged', 'containers', { metadata: true });
    const nginx = containers.rows.find((r) => r.cells[0] === 'epic_cray');
    expect(nginx?.drill).toMatchObject({ kind: 'table', next: 'processes', set: { containerId: '9dbcbd0c435f' } });
    const drill = nginx!.drill!.kind === 'table' ? nginx!.drill!.set : {};
    const processes = await page('privileged', 'processes', { drill, metadata: true });
    const pidColumn = processes.columns.findIndex((c) => c.id === 'pid');
    const ours = new Set(processes.rows.map((r) => r.cells[pidColumn]));
    // sysdig prints -1 for events whose thread it never learnt about.
    const theirs = new Set(sysdig(PRIVILEGED, '%proc.pid', 'container.id=9dbcbd0c435f').map(Number).filter((pid) => pid > 0));
    // Every process sysdig saw acting in the container is listed under it.
    for (const pid of theirs) expect(ours.has(pid), `pid ${pid}`).toBe(true);
    expect(processes.rows.every((r) => r.cells[processes.columns.findIndex((c) => c.id === 'container')] === 'epic_cray')).toBe(true);
  });

  it('list in a filtered range the containers and threads that sysdig sees acting in it', async () => {
    // The middle third of the events' own times (the case's span is widened to whole seconds).
    const times = sysdig(CURL, '*%evt.rawtime', '').map(BigInt);
    const from = times[0]!;
    const to = times[times.length - 1]!;
    const range = { from: String(from + (to - from) / 3n), to: String(to - (to - from) / 3n) };
    const time = `evt.rawtime>=${range.from} and evt.rawtime<=${range.to}`;
    // 'evt.num>=1' keeps every event but sends the tables through their filtered path.
    const scope = { range, filter: 'evt.num>=1' };
    const containers = await page('curl', 'containers', { scope });
    const theirContainers = new Set(sysdig(CURL, '*%container.id', time).filter((id) => id !== '' && id !== '<NA>'));
    expect(theirContainers.size).toBeGreaterThan(0);
    expect(new Set(containers.rows.map((r) => r.key))).toEqual(theirContainers);
    const threads = await page('curl', 'threads', { scope });
    const tidColumn = threads.columns.findIndex((c) => c.id === 'tid');
    const theirTids = new Set(sysdig(CURL, '*%thread.tid', time).map(Number).filter((tid) => tid > 0));
    expect(theirTids.size).toBeGreaterThan(0);
    expect(new Set(threads.rows.map((r) => Number(r.cells[tidColumn])))).toEqual(theirTids);
  });

  it('group failed calls as sysdig counts them, and drill into their events', async () => {
    const errors = await page('curl', 'errors');
    const access = errors.rows.find((r) => r.cells[0] === 'access');
    expect(access).toBeDefined();
    const countColumn = errors.columns.findIndex((c) => c.id === 'count');
    const theirs = sysdig(CURL, '*%evt.num', 'evt.type=access and evt.dir=< and evt.rawres<0').length;
    const ours = errors.rows.filter((r) => r.cells[0] === 'access').reduce((a, r) => a + Number(r.cells[countColumn]), 0);
    expect(ours).toBe(theirs);
    const drill = access!.drill!.kind === 'table' ? access!.drill! : null;
    const events = await page('curl', drill!.next, { drill: drill!.set });
    expect(events.total).toBe(Number(access!.cells[countColumn]));
  });

  it('count error groups in a range the same from the rollup and from plain SQL', async () => {
    const shape = await api['explore.shape']({ caseId: 'curl' });
    const from = BigInt(shape.span!.from);
    const to = BigInt(shape.span!.to);
    const tenths: [bigint, bigint][] = [
      [3n, 7n],
      [1n, 2n],
      [0n, 10n],
    ];
    for (const [a, b] of tenths) {
      const range = { from: String(from + ((to - from) * a) / 10n), to: String(from + ((to - from) * b) / 10n) };
      const fast = await page('curl', 'errors', { scope: { range } });
      const slow = await page('curl', 'errors', { scope: { range, filter: 'evt.num>=1' } });
      expect(fast.rows.map((r) => r.cells)).toEqual(slow.rows.map((r) => r.cells));
      const theirs = sysdig(CURL, '*%evt.num', `evt.dir=< and evt.rawres<0 and evt.rawtime>=${range.from} and evt.rawtime<=${range.to}`).length;
      const countColumn = fast.columns.findIndex((c) => c.id === 'count');
      expect(fast.rows.reduce((n, r) => n + Number(r.cells[countColumn]), 0)).toBe(theirs);
    }
  });

  it('page events by number as plain SQL does, in both orders and inside a range', async () => {
    const shape = await api['explore.shape']({ caseId: 'curl' });
    const from = BigInt(shape.span!.from);
    const to = BigInt(shape.span!.to);
    const range = { from: String(from + (to - from) / 3n), to: String(to - (to - from) / 4n) };
    for (const desc of [false, true]) {
      const fast = await api['table.page']({ caseId: 'curl', table: 'events', scope: { range }, sort: { column: 'time', desc }, offset: 37, limit: 50 });
      const slow = await api['table.page']({ caseId: 'curl', table: 'events', scope: { range, filter: 'evt.num>=1' }, sort: { column: 'time', desc }, offset: 37, limit: 50 });
      expect(fast.rows.map((r) => r.key)).toEqual(slow.rows.map((r) => r.key));
      expect(fast.total).toBe(slow.total);
    }
    const all = await api['table.page']({ caseId: 'curl', table: 'events', scope: { range } });
    expect(all.total).toBe(sysdig(CURL, '*%evt.num', `evt.rawtime>=${range.from} and evt.rawtime<=${range.to}`).length + (await missingFromSysdig(range)));
  });

  it('refuse bad requests with a clear error', async () => {
    await expect(api['table.page']({ caseId: 'curl', table: 'nope' as never, scope: {} })).rejects.toThrow(/unknown table 'nope'/);
    await expect(api['table.page']({ caseId: 'curl', table: 'events', scope: { range: { from: 'x', to: '1' } } })).rejects.toThrow(/decimal nanosecond/);
    await expect(api['table.page']({ caseId: 'curl', table: 'events', scope: { filter: 'evt.type=' } })).rejects.toThrow(/^filter: .* at column \d+$/);
    await expect(api['table.page']({ caseId: 'curl', table: 'processes', scope: {}, sort: { column: 'nope', desc: false } })).rejects.toThrow(/cannot sort by 'nope'/);
    const check = await api['filter.check']({ expr: 'fd.sprot=80', target: 'events' });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.column).toBeGreaterThanOrEqual(1);
    expect(await api['filter.check']({ expr: 'evt.type=open', target: 'events' })).toEqual({ ok: true });
  });
});

/**
 * Events sysdig 0.29 reads but does not print (docs/cli.md, capscope events: it skips some
 * events it cannot format): counted from our index so the comparison above stays about paging.
 */
async function missingFromSysdig(range: TimeRange): Promise<number> {
  const db = dbs.get('curl')!;
  const printed = new Set(sysdig(CURL, '*%evt.num', `evt.rawtime>=${range.from} and evt.rawtime<=${range.to}`).map(Number));
  const ours = db.prepare('SELECT num FROM events WHERE ts >= ? AND ts <= ?').pluck().all(BigInt(range.from), BigInt(range.to)) as number[];
  return ours.filter((n) => !printed.has(n)).length;
}
