// Many rows per INSERT statement: binding a few hundred values at once costs far less per row
// than a statement call per row, which dominates writing millions of packets and chunks.
//
// Values are queued straight into arrays of exactly one statement's parameters, which are bound as
// they are and reused for the next batch: no slicing, no growing, no garbage per row beyond the
// values themselves.

import type Database from 'better-sqlite3';

const ROWS_PER_STATEMENT = 128;

export class BulkInsert {
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private readonly width: number;
  /** Values of one multi-row statement. */
  private readonly step: number;
  /** Full statements' worth of values, waiting for write(). */
  private full: unknown[][] = [];
  /** The statement being filled, and how many of its values are queued. */
  private current: unknown[];
  private at = 0;
  /** Arrays written and cleared, for the next batch. */
  private readonly spare: unknown[][] = [];

  constructor(db: Database.Database, table: string, columns: readonly string[]) {
    this.width = columns.length;
    this.step = ROWS_PER_STATEMENT * this.width;
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.many = db.prepare(head + Array(ROWS_PER_STATEMENT).fill(row).join(', '));
    this.one = db.prepare(head + row);
    this.current = new Array(this.step);
  }

  get rows(): number {
    return (this.full.length * this.step + this.at) / this.width;
  }

  /** Queues one row: exactly one value per column, in order. */
  push(...row: unknown[]): void {
    const current = this.current;
    let at = this.at;
    for (let i = 0; i < row.length; i++) current[at++] = row[i];
    if (at === this.step) {
      this.full.push(current);
      this.current = this.spare.pop() ?? new Array(this.step);
      at = 0;
    }
    this.at = at;
  }

  /** Writes the queued rows; call inside the batch's transaction. */
  write(): void {
    for (const values of this.full) {
      this.many.run(values);
      // Cleared so that a spare array does not keep the batch's buffers alive.
      values.fill(null);
      this.spare.push(values);
    }
    this.full = [];
    const current = this.current;
    for (let at = 0; at < this.at; at += this.width) this.one.run(current.slice(at, at + this.width));
    current.fill(null, 0, this.at);
    this.at = 0;
  }
}
