// The scap ingest's row writer: rows encoded on one thread come out of SQLite as they went in,
// whether a second thread writes them (a database file) or the ingest's own thread does (in
// memory), and whether the row_batch extension reads the batches (native) or JavaScript binds their
// values; a row SQLite refuses fails the writer with SQLite's reason instead of being lost.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RowBatchEncoder, type TableSpec } from '../../core/index/row-batch';
import { openRowBatchWriter, type RowBatchWriter } from '../../core/index/row-batch-writer';
import { rowBatchExtensionPath } from '../../core/index/row-batch-extension';
import { scratchDir } from '../helpers/paths';

const SCHEMA = `
  CREATE TABLE t (id INTEGER NOT NULL, big INTEGER, name TEXT, note TEXT NOT NULL, data BLOB) STRICT;
  CREATE TABLE u (id INTEGER PRIMARY KEY, label TEXT) STRICT;`;
const SPECS: TableSpec[] = [
  { kinds: 'nbstx', head: 'INSERT OR FAIL INTO t (id, big, name, note, data) VALUES ', row: '(?, ?, ?, ?, ?)' },
  { kinds: 'ns', row: 'INSERT INTO u (id, label) VALUES (?, ?)' },
];
const ROWS = 1000;

/** Row i of table t: every kind, NULLs, text beyond ASCII, a 64-bit value a double cannot hold. */
function row(i: number) {
  return {
    id: i,
    big: i % 7 === 0 ? null : (1n << 62n) + BigInt(i),
    name: i % 5 === 0 ? null : `proc-${i % 3}`,
    note: i % 11 === 0 ? '' : `fd=${i}(<f>/tmp/é-${i}) size=${i * 3}`,
    data: i % 13 === 0 ? null : Uint8Array.from({ length: i % 50 }, (_, k) => (k * 31 + i) & 0xff),
  };
}

function writeAll(writer: RowBatchWriter, rows: number, bad = -1): void {
  let enc = new RowBatchEncoder(writer.buffers());
  for (let i = 0; i < rows; i++) {
    const r = row(i);
    enc.row(0);
    enc.num(r.id);
    enc.big(r.big);
    enc.str(r.name);
    // A NULL where the column refuses one.
    enc.text(i === bad ? null : r.note);
    enc.bytes(r.data);
    if (i % 100 === 0) {
      enc.row(1);
      enc.num(i);
      enc.str(`every ${i}`);
    }
    // Small batches, so that rows cross several of them and wait for a statement's worth.
    if (i % 150 === 149) {
      writer.write(enc.take(writer.buffers()));
      enc = new RowBatchEncoder(writer.buffers());
    }
  }
  writer.write(enc.take(writer.buffers()));
}

function readAll(db: Database.Database) {
  return {
    t: db.prepare('SELECT id, big, name, note, data FROM t ORDER BY id').safeIntegers().all(),
    u: db.prepare('SELECT id, label FROM u ORDER BY id').all(),
  };
}

const expected = {
  t: Array.from({ length: ROWS }, (_, i) => {
    const r = row(i);
    return { id: BigInt(i), big: r.big, name: r.name, note: r.note, data: r.data === null ? null : Buffer.from(r.data) };
  }),
  u: Array.from({ length: ROWS / 100 }, (_, k) => ({ id: k * 100, label: `every ${k * 100}` })),
};

/** Runs `body` with the writers of one way in: the row_batch extension, or binding from JavaScript. */
async function withWay<T>(way: 'native' | 'js', body: () => Promise<T>): Promise<T> {
  const before = process.env.CAPSCOPE_ROW_BATCH;
  if (way === 'js') process.env.CAPSCOPE_ROW_BATCH = 'js';
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.CAPSCOPE_ROW_BATCH;
    else process.env.CAPSCOPE_ROW_BATCH = before;
  }
}

describe('the row_batch extension', () => {
  // npm test builds it first (scripts/build.mjs); without it the ingest binds from JavaScript,
  // slower, and the native cases below would test the JavaScript path twice.
  it('was built and is found', () => {
    expect(rowBatchExtensionPath()).not.toBeNull();
  });

  it('fails a batch it cannot parse, naming the slot, instead of inventing rows', () => {
    const db = new Database(':memory:');
    db.loadExtension(rowBatchExtensionPath()!);
    const slots = new Float64Array([0, 7, 1, 5, 2]);
    const read = (s: Float64Array) => db.prepare('SELECT c0, c1 FROM row_batch(?, 0, ?, ?, ?, ?)').raw().all('nn', Buffer.from(s.buffer, s.byteOffset, s.byteLength), Buffer.alloc(0), Buffer.alloc(0), Buffer.from(new Int32Array([0]).buffer));
    expect(read(slots.subarray(0, 3))).toEqual([[7, 1]]);
    // A table number past the kinds, and a record cut short.
    expect(() => read(slots)).toThrow(/row_batch: bad table number at slot 3/);
    expect(() => read(new Float64Array([0, 7]))).toThrow(/row_batch: record runs past the batch at slot 0/);
    // A string index past the string table (a huge one too: no cast of it before the check).
    for (const index of [1, 1e300]) {
      expect(() => db.prepare('SELECT c0 FROM row_batch(?, 0, ?, ?, ?, ?)').all('s', Buffer.from(new Float64Array([0, index]).buffer), Buffer.alloc(0), Buffer.from('a'), Buffer.from(new Int32Array([0, 1]).buffer))).toThrow(/bad string index at slot 1/);
    }
    expect(db.prepare('SELECT c0 FROM row_batch(?, 0, ?, ?, ?, ?)').pluck().all('s', Buffer.from(new Float64Array([0, 0]).buffer), Buffer.alloc(0), Buffer.from('a'), Buffer.from(new Int32Array([0, 1]).buffer))).toEqual(['a']);
    // Text whose length runs past the data area.
    expect(() => db.prepare('SELECT c0 FROM row_batch(?, 0, ?, ?, ?, ?)').all('t', Buffer.from(new Float64Array([0, 9]).buffer), Buffer.from('abc'), Buffer.alloc(0), Buffer.from(new Int32Array([0]).buffer))).toThrow(/bad data length at slot 1/);
    db.close();
  });
});

/** A fresh file index in WAL mode with the test's tables, and a writer into it on a second thread. */
function openFileWriter(name: string, ownCheckpoints: boolean) {
  const file = path.join(scratchDir('scap-rows'), `${name}.sqlite`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const writer = openRowBatchWriter(db, SPECS, ownCheckpoints);
  expect(writer.threaded).toBe(true);
  return { file, db, writer };
}

describe.each(['native', 'js'] as const)('scap row writer (%s)', (way) => {
  it('a second thread writes every row as it was encoded', () => withWay(way, async () => {
    const { db, writer } = openFileWriter(`rows-${way}`, true);
    writeAll(writer, ROWS);
    writer.exec('CREATE INDEX t_by_name ON t (name, id)');
    const { execMs } = await writer.close();
    expect(execMs).toBeGreaterThan(0);
    expect(readAll(db)).toEqual(expected);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't_by_name'").pluck().get()).toBe(1);
    db.close();
  }));

  it('the ingest thread writes the same rows where no second thread can (in memory)', () => withWay(way, async () => {
    const db = new Database(':memory:');
    db.exec(SCHEMA);
    const writer = openRowBatchWriter(db, SPECS, true);
    expect(writer.threaded).toBe(false);
    writeAll(writer, ROWS);
    await writer.close();
    expect(readAll(db)).toEqual(expected);
    // The way asked for is the way taken (the store falls back to JavaScript without a word).
    expect(db.prepare("SELECT count(*) FROM pragma_module_list WHERE name = 'row_batch'").pluck().get()).toBe(way === 'native' ? 1 : 0);
  }));

  it('with checkpoints left to another thread, the writer still lets the log start over', () => withWay(way, async () => {
    const { file, db, writer } = openFileWriter(`wal-${way}`, false);
    // 128 batches of 100 KiB, and no other thread checkpointing: without the writer's own passive
    // checkpoints the log would keep every page written (28 MB); with them, about eight batches'.
    const blob = new Uint8Array(2048).fill(7);
    const batches = 128;
    for (let b = 0; b < batches; b++) {
      const enc = new RowBatchEncoder(writer.buffers());
      for (let i = 0; i < 50; i++) {
        enc.row(0);
        enc.num(b * 50 + i);
        enc.big(null);
        enc.str(null);
        enc.text('');
        enc.bytes(blob);
      }
      writer.write(enc.take(writer.buffers()));
    }
    await writer.settled();
    const walBytes = fs.statSync(`${file}-wal`).size;
    expect(walBytes).toBeGreaterThan(0);
    expect(walBytes).toBeLessThan((batches * 50 * blob.length) / 4);
    await writer.close();
    expect(db.prepare('SELECT count(*), sum(length(data)) FROM t').raw().get()).toEqual([batches * 50, batches * 50 * blob.length]);
    db.close();
  }));

  it('a row SQLite refuses fails the writer with its reason, and close() still ends the thread', () => withWay(way, async () => {
    const { db, writer } = openFileWriter(`bad-${way}`, true);
    let thrown: unknown = null;
    try {
      writeAll(writer, ROWS, 400);
    } catch (err) {
      thrown = err;
    }
    const closed = await writer.close().then(() => null, (err: unknown) => err);
    const failure = (thrown ?? closed) as Error | null;
    expect(failure?.message).toMatch(/writing the capture into the index failed: NOT NULL constraint failed: t\.note/);
    // The batch with the bad row is undone whole; the batches before it stay.
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(300);
    db.close();
  }));
});
