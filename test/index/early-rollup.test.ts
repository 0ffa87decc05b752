// The overview rollup's families computed early on a query thread while the analyses after ingest
// run (a network capture's chunks and streams; a syscall capture's too, with its events and error
// groups read bucket by bucket as ranges of event numbers) must give exactly what computing them at
// the end gives, and must not be used once rows they read have changed.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { countListeningPorts } from '../../core/analysis/rollup/listening-ports';
import { computeRollup, startEarlyRollup } from '../../core/analysis/rollup/store';
import { METRICS } from '../../core/analysis/rollup/metric-defs';
import { corpus, scratchDir } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';
import { P } from '../helpers/scap-writer';
import { seedIncidentScap, TID } from '../helpers/scap-incident';

const dir = scratchDir('early-rollup');

async function indexed(file: string, name: string): Promise<string> {
  const dbPath = path.join(dir, `${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
  expect((await runIngest({ file, dbPath })).state).toBe('done');
  return dbPath;
}

type Series = Map<string, number[]>;

function seriesOf(rollup: Awaited<ReturnType<typeof computeRollup>>): Series {
  const out: Series = new Map();
  for (const [family, columns] of rollup!.families) for (const [metric, values] of columns) out.set(`${family}/${metric}`, Array.from(values));
  return out;
}

function storedSeries(db: Database.Database): Series {
  const out: Series = new Map();
  for (const r of db.prepare('SELECT family, metric, series FROM rollup_series').all() as { family: string; metric: string; series: Buffer }[]) {
    out.set(`${r.family}/${r.metric}`, Array.from({ length: r.series.length / 8 }, (_, i) => r.series.readDoubleLE(i * 8)));
  }
  return out;
}

describe('the rollup computed early', () => {
  for (const [name, file] of [
    ['network capture', corpus('pcap', 'haproxy-502.pcap')],
    ['syscall capture', corpus('scap', 'curl_google.scap')],
  ] as const) {
    it(`stores what computing it at the end gives (${name})`, async () => {
      const db = openIndexDb(await indexed(file, name.replace(' ', '-')));
      const stored = storedSeries(db);
      expect(stored.size).toBeGreaterThan(10);
      expect(db.prepare('SELECT listening_ports FROM rollup').pluck().get()).toBe(countListeningPorts(db));
      expect(stored).toEqual(seriesOf(await computeRollup(db)));
      // And the same again when taken from an early computation on this connection.
      startEarlyRollup(db);
      expect(seriesOf(await computeRollup(db))).toEqual(stored);
      db.close();
    });
  }

  it('reads the metrics that count some rows only (MetricDef.rows) as every event read gives them, on the corpus syscall captures', async () => {
    const some = METRICS.filter((m) => m.family === 'events' && m.rows !== undefined).map((m) => `events/${m.id}`);
    expect(some.length).toBe(6);
    const counted = new Set<string>();
    // No corpus capture has a slow call or a signal: one made with some, among reads and writes.
    const w = seedIncidentScap();
    for (let i = 0; i < 300; i++) {
      w.io(i % 2 === 0 ? 'read' : 'write', TID.haproxy, 7, 'x');
      // A write that took 2 ms; kill and tgkill, the first of each failing; a signal delivered.
      if (i % 50 === 0) w.ev('write', '>', TID.haproxy, [P.i64(7), P.u32(1)]).ev('write', '<', TID.haproxy, [P.i64(1), P.buf('x')], 2_000_000n);
      if (i % 60 === 0) w.call('kill', TID.python, [P.i64(TID.curl), P.u8(15)], [P.i64(i === 0 ? -3 : 0)], [P.i64(TID.curl), P.u8(15)]);
      if (i % 70 === 0) w.call('tgkill', TID.python, [P.i64(TID.curl), P.i64(TID.curl), P.u8(9)], [P.i64(i === 0 ? -1 : 0)], [P.i64(TID.curl), P.i64(TID.curl), P.u8(9)]);
      if (i % 80 === 0) w.ev('signaldeliver', '>', TID.curl, [P.i64(TID.python), P.i64(TID.curl), P.u8(15)]);
    }
    const made = path.join(dir, 'slow-and-signals.scap');
    fs.writeFileSync(made, w.bytes());
    const files = [...fs.readdirSync(corpus('scap')).filter((n) => /\.scap(\.gz)?$/.test(n)).map((n) => corpus('scap', n)), made];
    for (const file of files) {
      const f = path.basename(file);
      const db = openIndexDb(await indexed(file, `rows-${f}`));
      const stored = storedSeries(db);
      expect(stored, f).toEqual(seriesOf(await computeRollup(db)));
      for (const key of some) if (stored.get(key)!.some((v) => v > 0)) counted.add(key);
      db.close();
    }
    // Not vacuous: the captures have rows of each kind.
    expect([...counted].sort()).toEqual(some.sort());
  });

  it('counts the exits (System calls) from the bits stored per event as a scan of the events counts them, on the corpus syscall captures', async () => {
    const files = fs.readdirSync(corpus('scap')).filter((n) => /\.scap(\.gz)?$/.test(n));
    let ordered = 0;
    for (const f of files) {
      const db = openIndexDb(await indexed(corpus('scap', f), `exits-${f}`));
      // Every event's bit is its event type's lowest bit, and no number is without one.
      const bit = new Map<number, number>();
      for (const r of db.prepare('SELECT first_num, count, bits FROM event_exits ORDER BY first_num').all() as { first_num: number; count: number; bits: Buffer }[]) {
        expect(r.bits.length, f).toBe((r.count + 7) >> 3);
        for (let i = 0; i < r.count; i++) bit.set(r.first_num + i, (r.bits[i >> 3]! >> (i & 7)) & 1);
      }
      const events = db.prepare('SELECT num, event_type & 1 AS exit FROM events ORDER BY num').all() as { num: number; exit: number }[];
      expect(bit.size, f).toBe(events.length);
      for (const e of events) if (bit.get(e.num) !== e.exit) expect({ f, num: e.num, bit: bit.get(e.num) }).toEqual({ f, num: e.num, bit: e.exit });
      // The stored series is the scan's: per time bucket where the capture is in time order (the
      // buckets are then ranges of numbers), and from the scan itself once the bits are gone.
      const stored = storedSeries(db).get('events/syscalls')!;
      if (db.prepare('SELECT time_ordered FROM machine').pluck().get() === 1) {
        ordered++;
        const { span_from: from, span_to: to, bucket_ns: width } = db.prepare('SELECT span_from, span_to, bucket_ns FROM rollup').safeIntegers().get() as { span_from: bigint; span_to: bigint; bucket_ns: bigint };
        const plain = new Array<number>(2000).fill(0);
        for (const [b, n] of db.prepare('SELECT (ts - ?) / ?, SUM((event_type & 1) = 1) FROM events WHERE ts >= ? AND ts <= ? GROUP BY 1').raw().all(from, width, from, to) as [number, number][]) plain[b] = n;
        expect(stored, f).toEqual(plain);
      }
      db.prepare('DELETE FROM event_exits').run();
      expect(seriesOf(await computeRollup(db)).get('events/syscalls'), f).toEqual(stored);
      db.close();
    }
    expect(ordered).toBeGreaterThan(3);
  });

  it('stores the errors table’s groups per bucket as plain SQL counts them', async () => {
    const db = openIndexDb(await indexed(corpus('scap', 'curl_google.scap'), 'errors'));
    const { span_from: from, bucket_ns: width } = db.prepare('SELECT span_from, bucket_ns, error_groups_stored FROM rollup').safeIntegers().get() as { span_from: bigint; bucket_ns: bigint };
    expect(db.prepare('SELECT error_groups_stored FROM rollup').pluck().get()).toBe(1);
    const plain = new Map<string, number[]>();
    for (const r of db
      .prepare("SELECT (ts - ?) / ? AS b, type, res, COUNT(*) AS n FROM events WHERE dir = '<' AND res < 0 GROUP BY 1, 2, 3")
      .all(from, width) as { b: number; type: string; res: number; n: number }[]) {
      const key = `${r.type} ${r.res}`;
      if (!plain.has(key)) plain.set(key, new Array<number>(2000).fill(0));
      plain.get(key)![r.b] = r.n;
    }
    const stored = new Map(
      (db.prepare('SELECT type, res, series FROM rollup_error_groups').all() as { type: string; res: number; series: Buffer }[]).map((g) => [
        `${g.type} ${g.res}`,
        Array.from({ length: g.series.length / 8 }, (_, i) => g.series.readDoubleLE(i * 8)),
      ]),
    );
    expect(plain.size).toBeGreaterThan(3);
    expect(stored).toEqual(plain);
    db.close();
  });

  it('is not used once the rows it read have changed', async () => {
    const db = openIndexDb(await indexed(corpus('pcap', 'haproxy-502.pcap'), 'changed'));
    const before = seriesOf(await computeRollup(db));
    {
      startEarlyRollup(db);
      // One more chunk of 1,000 bytes at the capture's first moment, on the first stream, server to client.
      db.prepare(
        `INSERT INTO chunks (stream_id, seq, ts, dir, offset, length, captured, data)
         SELECT s.id, 1000000, s.first_ts, 'in', 0, 1000, 0, x'' FROM streams s ORDER BY s.first_ts, s.id LIMIT 1`,
      ).run();
      const after = seriesOf(await computeRollup(db));
      expect(after.get('chunks/netBytesIn')![0]).toBe(before.get('chunks/netBytesIn')![0]! + 1000);
      db.prepare('DELETE FROM chunks WHERE seq = 1000000').run();
    }
    db.close();
  });
});
