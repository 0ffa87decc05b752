// The scap ingest's row writer: rows encoded on one thread come out of SQLite as they went in,
// whether a second thread writes them (a database file) or the ingest's own thread does (in
// memory); a row SQLite refuses fails the writer with SQLite's reason instead of being lost.

import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RowBatchEncoder, type TableSpec } from '../../core/scap/row-batch';
import { openScapRowWriter, type ScapRowWriter } from '../../core/scap/row-writer';
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

function writeAll(writer: ScapRowWriter, rows: number, bad = -1): void {
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

describe('scap row writer', () => {
  it('a second thread writes every row as it was encoded', async () => {
    const file = path.join(scratchDir('scap-rows'), 'rows.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    const writer = openScapRowWriter(db, SPECS, true);
    expect(writer.threaded).toBe(true);
    writeAll(writer, ROWS);
    writer.exec('CREATE INDEX t_by_name ON t (name, id)');
    const { execMs } = await writer.close();
    expect(execMs).toBeGreaterThan(0);
    expect(readAll(db)).toEqual(expected);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't_by_name'").pluck().get()).toBe(1);
    db.close();
  });

  it('the ingest thread writes the same rows where no second thread can (in memory)', async () => {
    const db = new Database(':memory:');
    db.exec(SCHEMA);
    const writer = openScapRowWriter(db, SPECS, true);
    expect(writer.threaded).toBe(false);
    writeAll(writer, ROWS);
    await writer.close();
    expect(readAll(db)).toEqual(expected);
  });

  it('a row SQLite refuses fails the writer with its reason, and close() still ends the thread', async () => {
    const file = path.join(scratchDir('scap-rows'), 'bad.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    const writer = openScapRowWriter(db, SPECS, true);
    expect(writer.threaded).toBe(true);
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
  });
});
