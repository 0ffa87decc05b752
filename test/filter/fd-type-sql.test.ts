// fd.type and fd.typechar are compiled to a CASE over fd_flags' type bits (core/filter/fields.ts)
// instead of a call to capscope_fd: the same answer as capscope_fd gives for every value the
// column can hold (every type code, with every layer-4 protocol and role bit, unused codes, NULL).

import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { fieldValueSql } from '../../core/filter/compile';
import { installFilterFunctions } from '../../core/filter/language';

it('fd.type and fd.typechar in SQL answer as capscope_fd does, for every fd_flags', () => {
  const db = new Database(':memory:');
  installFilterFunctions(db);
  db.exec('CREATE TABLE t (fd_name TEXT, fd_flags INTEGER)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  insert.run(null, null);
  for (let flags = 0; flags < 1 << 10; flags++) insert.run(flags % 3 === 0 ? null : '/etc/x', flags);
  for (const [field, part] of [['fd.type', 'type'], ['fd.typechar', 'typechar']] as const) {
    const { sql } = fieldValueSql(field, 'events');
    expect(sql).not.toContain('capscope_fd');
    const rows = db.prepare(`SELECT e.fd_flags, ${sql} AS got, capscope_fd(e.fd_name, e.fd_flags, '${part}') AS expected FROM t e`).all() as { got: unknown; expected: unknown }[];
    expect(rows.length).toBe(1025);
    for (const r of rows) expect(r.got, JSON.stringify(r)).toBe(r.expected);
    expect(new Set(rows.map((r) => r.got)).size).toBeGreaterThan(10);
  }
  db.close();
});
