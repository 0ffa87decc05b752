// The column_blocks virtual table (core/index/native/column-blocks.c) answers every query the same
// as a plain table holding the same rows: the same rows in the same order, whatever constraints
// and orders the query has, across blocks, partitions, NULLs and transactions.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rowBatchExtensionPath } from '../../core/index/row-batch-extension';
import { newRowBatchBuffers, RowBatchEncoder } from '../../core/index/row-batch';
import { rowBatchStore } from '../../core/index/row-batch-store';

const extension = rowBatchExtensionPath();

const COLUMNS = 'source_id INTEGER KEY, num INTEGER SEQUENCE, ts INTEGER RANGE, pid INTEGER SET, container_id TEXT SET, type TEXT SET, fd INTEGER SET, res INTEGER, info TEXT';

/** Deterministic rows: two partitions, numbers with gaps, repeated and NULL values, long text. */
function rows(): unknown[][] {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const out: unknown[][] = [];
  for (const source of [1, 2]) {
    let num = 0;
    let ts = 1_700_000_000_000_000_000n;
    for (let i = 0; i < (source === 1 ? 20_000 : 3_000); i++) {
      num += 1 + (i % 97 === 0 ? 5 : 0);
      ts += BigInt(rand(1000));
      const pid = rand(50) === 0 ? null : 100 + rand(30);
      const container = rand(5) === 0 ? null : `c${rand(4)}`;
      const type = ['read', 'write', 'openat', 'close', 'ünïcode'][rand(5)]!;
      const fd = rand(3) === 0 ? null : rand(12) - 1;
      const res = rand(4) === 0 ? -rand(40) : rand(1 << 20);
      const info = rand(10) === 0 ? '' : `fd=${fd} size=${rand(100000)} ${'x'.repeat(rand(40))}`;
      out.push([source, num, ts, pid, container, type, fd, res, info]);
    }
  }
  return out;
}

function open(): { blocks: Database.Database; plain: Database.Database } {
  const blocks = new Database(':memory:');
  blocks.loadExtension(extension!);
  blocks.exec(`CREATE VIRTUAL TABLE t USING column_blocks(${COLUMNS})`);
  const plain = new Database(':memory:');
  plain.exec('CREATE TABLE t (source_id INTEGER, num INTEGER, ts INTEGER, pid INTEGER, container_id TEXT, type TEXT, fd INTEGER, res INTEGER, info TEXT, PRIMARY KEY (source_id, num))');
  const all = rows();
  for (const db of [blocks, plain]) {
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // Three transactions of uneven sizes: blocks end at commits and where the capture changes too.
    const cuts = [0, 2_500, 20_100, all.length];
    for (let c = 0; c + 1 < cuts.length; c++) db.transaction(() => { for (const r of all.slice(cuts[c], cuts[c + 1])) insert.run(...r); })();
  }
  return { blocks, plain };
}

describe.skipIf(extension === null)('column_blocks', () => {
  const { blocks, plain } = open();
  const same = (sql: string, ...params: unknown[]) => {
    const a = blocks.prepare(sql).safeIntegers().all(...params);
    const b = plain.prepare(sql).safeIntegers().all(...params);
    expect(a.length, sql).toBe(b.length);
    expect(a, sql).toEqual(b);
    return a.length;
  };

  it('stores the rows in blocks of at most 8,192, ending at commits and where the key changes', () => {
    const stored = blocks.prepare('SELECT count(*) AS blocks, sum(rows) AS rows, max(rows) AS most FROM t_blocks').get() as { blocks: number; rows: number; most: number };
    expect(stored.rows).toBe(23_000);
    expect(stored.most).toBe(8192);
    // Source 1's 20,000 rows: 2,500 | 8,192 + 8,192 + 1,116; source 2's 3,000: 100 | 2,900.
    expect(blocks.prepare('SELECT group_concat(rows) FROM (SELECT rows FROM t_blocks ORDER BY key, first)').pluck().get()).toBe('2500,8192,8192,1116,100,2900');
  });

  it('yields every row in (key, sequence) order, forwards and backwards', () => {
    expect(same('SELECT * FROM t ORDER BY source_id, num')).toBe(23_000);
    same('SELECT * FROM t ORDER BY source_id DESC, num DESC');
    same('SELECT num, ts FROM t WHERE source_id = 2 ORDER BY num DESC LIMIT 7');
    same('SELECT count(*), sum(res), count(pid), count(container_id) FROM t');
  });

  it('answers constraints on every kind of column as SQLite does', () => {
    const queries: [string, ...unknown[]][] = [
      ['SELECT * FROM t WHERE source_id = ? AND num = ?', 1, 4321],
      ['SELECT * FROM t WHERE source_id = ? AND num = ?', 2, 5],
      ['SELECT * FROM t WHERE num = ? ORDER BY source_id, num', 100],
      ['SELECT num FROM t WHERE source_id = 1 AND num BETWEEN ? AND ? ORDER BY num', 4000, 4100],
      ['SELECT num FROM t WHERE source_id = 1 AND num > ? AND num < ? ORDER BY num DESC', 4000.5, 4100.5],
      ['SELECT num, ts FROM t WHERE ts >= ? AND ts <= ? ORDER BY source_id, num', 1_700_000_000_000_500_000n, 1_700_000_000_001_000_000n],
      ['SELECT source_id, num FROM t WHERE ts >= ? AND ts <= ? ORDER BY source_id DESC, num DESC', 1_700_000_000_000_500_000n, 1_700_000_000_001_000_000n],
      ['SELECT source_id, count(*) FROM t WHERE ts > ? GROUP BY source_id', 1_700_000_000_004_000_000n],
      ['SELECT count(*) FROM t WHERE ts < ?', 1_700_000_000_000_100_000n],
      ['SELECT num FROM t WHERE source_id = 2 AND ts >= ? ORDER BY source_id, num LIMIT 1', 1_700_000_000_001_000_000n],
      ['SELECT num FROM t WHERE source_id = 1 AND ts <= ? ORDER BY source_id DESC, num DESC LIMIT 1', 1_700_000_000_001_000_000n],
      ['SELECT num FROM t WHERE pid = ? ORDER BY source_id, num', 117],
      ['SELECT num FROM t WHERE pid = ? ORDER BY source_id, num', 117.0],
      ['SELECT num FROM t WHERE pid = ?', '117'],
      ['SELECT num FROM t WHERE pid IN (101, 102, 999) AND fd = 3 ORDER BY source_id, num'],
      ['SELECT num FROM t WHERE container_id = ? ORDER BY source_id, num', 'c2'],
      ['SELECT num FROM t WHERE container_id IN (?, ?) AND type = ? ORDER BY source_id, num', 'c1', 'c9', 'ünïcode'],
      ['SELECT num FROM t WHERE container_id = ?', 'nowhere'],
      ['SELECT num FROM t WHERE type = ?', 5],
      ['SELECT num FROM t WHERE pid = ?', null],
      ['SELECT num FROM t WHERE pid IS NULL ORDER BY source_id, num'],
      ['SELECT num FROM t WHERE container_id IS NULL AND source_id = 2 ORDER BY source_id, num'],
      ['SELECT num FROM t WHERE fd = -1 AND res < 0 ORDER BY source_id, num'],
      ['SELECT num, info FROM t WHERE info = ? ORDER BY source_id, num', ''],
      ['SELECT type, count(*) AS n, sum(res < 0) FROM t WHERE source_id = 1 GROUP BY type ORDER BY type'],
      ['SELECT pid, count(*) FROM t WHERE ts > ? GROUP BY pid ORDER BY pid', 1_700_000_000_002_000_000n],
      ['SELECT num FROM t WHERE source_id IN (2) AND num >= 2900 ORDER BY source_id, num'],
      ['SELECT a.num, b.num FROM t a JOIN t b ON b.source_id = a.source_id AND b.num = a.num + 1 WHERE a.source_id = 2 AND a.num < 50 ORDER BY a.num'],
      ['SELECT num FROM t WHERE source_id = 1 AND num > ? ORDER BY num LIMIT 5', 9_223_372_036_854_775_807n],
    ];
    for (const [sql, ...params] of queries) same(sql, ...params);
  });

  it('counts the blocks its scans look into: a value in one block of four reads that block alone', () => {
    const db = new Database(':memory:');
    db.loadExtension(extension!);
    db.exec(`CREATE VIRTUAL TABLE t USING column_blocks(${COLUMNS})`);
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // Four blocks of 8,192; the third alone holds an execve.
    db.transaction(() => {
      for (let n = 1; n <= 4 * 8192; n++) insert.run(1, n, n, 1, null, n === 2 * 8192 + 5 ? 'execve' : 'read', 3, 0, '');
    })();
    const loaded = db.prepare('SELECT column_blocks_loaded()').pluck();
    const delta = (sql: string, ...params: unknown[]) => {
      const before = loaded.get() as number;
      const answer = db.prepare(sql).pluck().get(...params);
      return { answer, blocks: (loaded.get() as number) - before };
    };
    expect(delta('SELECT count(*) FROM t')).toEqual({ answer: 4 * 8192, blocks: 4 });
    expect(delta("SELECT num FROM t WHERE type = 'execve'")).toEqual({ answer: 2 * 8192 + 5, blocks: 1 });
    expect(delta('SELECT count(*) FROM t WHERE type IN (?, ?)', 'execve', 'openat')).toEqual({ answer: 1, blocks: 1 });
    expect(delta("SELECT count(*) FROM t WHERE type = 'connect'")).toEqual({ answer: 0, blocks: 0 });
  });

  it('reads what was written after the blocks were cleared, not a block decoded before', () => {
    const db = new Database(':memory:');
    db.loadExtension(extension!);
    db.exec(`CREATE VIRTUAL TABLE t USING column_blocks(${COLUMNS})`);
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const fill = (info: string) => db.transaction(() => { for (let n = 1; n <= 100; n++) insert.run(1, n, n, 1, null, 'read', 3, 0, `${info}${n}`); })();
    const read = db.prepare('SELECT info FROM t WHERE source_id = 1 AND num = ?').pluck();
    fill('before');
    // A cursor that closes leaves its decoded block for the next; the next statement must see the new rows.
    expect(read.get(7)).toBe('before7');
    db.exec('DELETE FROM t_blocks');
    fill('after');
    expect(read.get(7)).toBe('after7');
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(100);
  });

  it('keeps a transaction that was rolled back out', () => {
    const db = new Database(':memory:');
    db.loadExtension(extension!);
    db.exec(`CREATE VIRTUAL TABLE t USING column_blocks(${COLUMNS})`);
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run(1, 1, 10, 1, null, 'read', 3, 0, 'a');
    expect(() => db.transaction(() => {
      insert.run(1, 2, 11, 1, null, 'read', 3, 0, 'b');
      throw new Error('cancelled');
    })()).toThrow('cancelled');
    insert.run(1, 3, 12, 1, null, 'read', 3, 0, 'c');
    expect(db.prepare('SELECT group_concat(info) FROM t').pluck().get()).toBe('a,c');
  });

  it('refuses rows out of sequence and values of the wrong type, naming the table and column', () => {
    const db = new Database(':memory:');
    db.loadExtension(extension!);
    db.exec(`CREATE VIRTUAL TABLE t USING column_blocks(${COLUMNS})`);
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    expect(() => db.transaction(() => {
      insert.run(1, 5, 10, 1, null, 'read', 3, 0, 'a');
      insert.run(1, 4, 10, 1, null, 'read', 3, 0, 'a');
    })()).toThrow(/increasing SEQUENCE/);
    expect(() => insert.run(1, 6, 10, 'one', null, 'read', 3, 0, 'a')).toThrow(/column pid holds integers/);
    insert.run(2, 1, 10, 1, null, 'read', 3, 0, 'a');
    expect(() => db.exec('DELETE FROM t')).toThrow(/not updated or deleted/);
    expect(() => db.exec('UPDATE t SET pid = 2')).toThrow(/not updated or deleted/);
  });

  it('takes a batch\'s rows whole (row_batch_rows), skipping other tables\' records, as the same rows one by one', () => {
    const db = new Database(':memory:');
    db.loadExtension(extension!);
    db.exec(`CREATE VIRTUAL TABLE t USING column_blocks(${COLUMNS})`);
    // Table 0: t's rows but source_id, in an order of columns not t's own; table 1: another table's
    // records in between, with text in the data area that the walk must step over.
    const kinds = 'tnbsnnsn,tn';
    const enc = new RowBatchEncoder(newRowBatchBuffers());
    const all = rows().filter((r) => r[0] === 2);
    for (const [, num, ts, pid, container, type, fd, res, info] of all) {
      enc.row(0);
      enc.text(info as string);
      enc.num(num as number);
      enc.big(ts as bigint);
      enc.str(container as string | null);
      enc.num(pid as number | null);
      enc.num(res as number);
      enc.str(type as string);
      enc.num(fd as number | null);
      enc.row(1);
      enc.text('ünrelated');
      enc.num(7);
    }
    const batch = enc.take(newRowBatchBuffers());
    const strings = batch.strings.map((x) => Buffer.from(x));
    const offsets = new Int32Array(strings.length + 1);
    for (let i = 0, o = 0; i <= strings.length; o += strings[i]?.length ?? 0, i++) offsets[i] = o;
    const args = [kinds, Buffer.from(batch.slots, 0, batch.slotCount * 8), Buffer.from(batch.data, 0, batch.dataBytes), Buffer.concat(strings), Buffer.from(offsets.buffer)];
    const names = 'info,num,ts,container_id,pid,res,type,fd';
    db.prepare(`INSERT INTO t (source_id, rows_from_batch) VALUES (2, row_batch_rows(?, 0, ?, ?, ?, ?, '${names}'))`).run(...args);
    const got = db.prepare('SELECT * FROM t').raw().safeIntegers().all();
    expect(got).toEqual(plain.prepare('SELECT * FROM t WHERE source_id = 2 ORDER BY num').raw().safeIntegers().all());
    expect(db.prepare('SELECT count(*) FROM t_blocks').pluck().get()).toBe(1);
    expect(db.prepare('SELECT rows_from_batch FROM t LIMIT 1').pluck().get()).toBeNull();
    // A value of the wrong type, a name that is no column, a column named twice: refused.
    expect(() => db.prepare(`INSERT INTO t (source_id, rows_from_batch) VALUES (3, row_batch_rows(?, 0, ?, ?, ?, ?, 'info,num,ts,pid,container_id,res,type,fd'))`).run(...args)).toThrow(/column pid holds integers/);
    expect(() => db.prepare(`INSERT INTO t (source_id, rows_from_batch) VALUES (3, row_batch_rows(?, 0, ?, ?, ?, ?, 'info,num,ts,container_id,pid,res,type,nope'))`).run(...args)).toThrow(/goes to no column/);
    expect(() => db.prepare(`INSERT INTO t (source_id, rows_from_batch) VALUES (3, row_batch_rows(?, 0, ?, ?, ?, ?, 'info,num'))`).run(...args)).toThrow(/one column name per value/);
    expect(db.prepare('SELECT count(*) FROM t WHERE source_id = 3').pluck().get()).toBe(0);
  });

  it('is handed a batch\'s rows whole by the writer\'s row store, the same rows as a plain table gets', () => {
    const statements: string[] = [];
    const db = new Database(':memory:', { verbose: (sql) => statements.push(String(sql)) });
    db.loadExtension(extension!);
    db.exec(`CREATE VIRTUAL TABLE t USING column_blocks(${COLUMNS}); CREATE TABLE p (source_id, num, ts, pid, container_id, type, fd, res, info)`);
    const tuple = '(2, ?, ?, ?, ?, ?, ?, ?, ?)';
    const columns = '(source_id, num, ts, pid, container_id, type, fd, res, info)';
    const store = rowBatchStore(db, [
      { kinds: 'nbnssnnt', head: `INSERT OR FAIL INTO t ${columns} VALUES `, row: tuple },
      { kinds: 'nbnssnnt', head: `INSERT OR FAIL INTO p ${columns} VALUES `, row: tuple },
    ], extension, true);
    const enc = new RowBatchEncoder(newRowBatchBuffers());
    for (const [, num, ts, pid, container, type, fd, res, info] of rows().filter((r) => r[0] === 2)) {
      for (const table of [0, 1]) {
        enc.row(table);
        enc.num(num as number);
        enc.big(ts as bigint);
        enc.num(pid as number | null);
        enc.str(container as string | null);
        enc.str(type as string);
        enc.num(fd as number | null);
        enc.num(res as number);
        enc.text(info as string);
      }
    }
    statements.length = 0;
    store(enc.take(newRowBatchBuffers()));
    expect(statements.filter((sql) => sql.includes('INTO t '))).toEqual([expect.stringContaining('row_batch_rows(')]);
    expect(db.prepare('SELECT * FROM t').raw().safeIntegers().all()).toEqual(db.prepare('SELECT * FROM p ORDER BY num').raw().safeIntegers().all());
  });
});
