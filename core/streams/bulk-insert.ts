// Many rows per INSERT statement: binding a few hundred values at once costs far less per row
// than a statement call per row, which dominates writing millions of packets and chunks.

import type Database from 'better-sqlite3';

const ROWS_PER_STATEMENT = 128;

export class BulkInsert {
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private values: unknown[] = [];
  private readonly width: number;

  constructor(db: Database.Database, table: string, columns: readonly string[]) {
    this.width = columns.length;
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.many = db.prepare(head + Array(ROWS_PER_STATEMENT).fill(row).join(', '));
    this.one = db.prepare(head + row);
  }

  get rows(): number {
    return this.values.length / this.width;
  }

  /** Queues one row: exactly one value per column, in order. */
  push(...row: unknown[]): void {
    for (const v of row) this.values.push(v);
  }

  /** Writes the queued rows; call inside the batch's transaction. */
  write(): void {
    const v = this.values;
    const step = ROWS_PER_STATEMENT * this.width;
    let at = 0;
    for (; at + step <= v.length; at += step) this.many.run(v.slice(at, at + step));
    for (; at < v.length; at += this.width) this.one.run(v.slice(at, at + this.width));
    this.values = [];
  }
}
