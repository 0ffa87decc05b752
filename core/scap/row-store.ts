// Writes batches of scap ingest rows (row-batch.ts) into the index, one transaction per batch.
// Events and chunks go many rows per INSERT: binding a thousand values in one call costs far less
// per row than a statement call per row, and values passed as arguments rather than in an array
// are bound without a property lookup each.
//
// This function runs on the writer thread, whose source is this function's own text
// (row-writer.ts), and on the ingest's thread where no second thread can write (an in-memory
// database). So it is self-contained: it refers to nothing outside itself but its arguments.

import type Database from 'better-sqlite3';
import type { RowBatch, TableSpec } from './row-batch';

export type RowStore = (batch: RowBatch) => void;

export function scapRowStore(db: Database.Database, specs: TableSpec[]): RowStore {
  const ROWS_PER_STATEMENT = 64;
  const NULL_BIGINT = -(1n << 63n);
  const N = 110; // 'n'
  const B = 98; // 'b'
  const S = 115; // 's'
  const T = 116; // 't'

  const tables = specs.map((spec) => {
    const kinds = Array.from(spec.kinds, (k) => k.charCodeAt(0));
    const width = kinds.length;
    // Text is bound as its UTF-8 bytes and cast back: binding bytes costs a copy, binding a
    // string a conversion and a copy.
    let p = 0;
    const row = spec.row.replace(/\?/g, () => {
      const kind = kinds[p++];
      return kind === S || kind === T ? 'CAST(? AS TEXT)' : '?';
    });
    return {
      kinds,
      width,
      one: db.prepare(spec.head === undefined ? row : spec.head + row),
      many: spec.head === undefined ? null : db.prepare(spec.head + Array(ROWS_PER_STATEMENT).fill(row).join(', ')),
      // A grouped table's rows wait here until a statement's worth has come.
      values: new Array<unknown>((spec.head === undefined ? 1 : ROWS_PER_STATEMENT) * width).fill(null),
      waiting: 0,
    };
  });

  function writeBatch(batch: RowBatch): void {
    const slots = new Float64Array(batch.slots, 0, batch.slotCount);
    const bigSlots = new BigInt64Array(batch.slots, 0, batch.slotCount);
    const data = new Uint8Array(batch.data);
    const strings = batch.strings.map((text) => Buffer.from(text));
    let at = 0;
    let dataAt = 0;
    while (at < slots.length) {
      const t = tables[slots[at++]!]!;
      const values = t.values;
      const kinds = t.kinds;
      let v = t.waiting * t.width;
      for (let k = 0; k < kinds.length; k++, at++) {
        const kind = kinds[k];
        if (kind === N) {
          const x = slots[at]!;
          values[v++] = x === x ? x : null;
        } else if (kind === B) {
          const x = bigSlots[at]!;
          values[v++] = x === NULL_BIGINT ? null : x;
        } else if (kind === S) {
          const x = slots[at]!;
          values[v++] = x < 0 ? null : strings[x];
        } else {
          // 't' and 'x': bytes in the data area.
          const n = slots[at]!;
          if (n < 0) values[v++] = null;
          else {
            values[v++] = data.subarray(dataAt, dataAt + n);
            dataAt += n;
          }
        }
      }
      if (t.many === null) t.one.run(...values);
      else if (++t.waiting === ROWS_PER_STATEMENT) {
        t.many.run(...values);
        t.waiting = 0;
      }
    }
    for (const t of tables) {
      for (let r = 0; r < t.waiting; r++) t.one.run(...t.values.slice(r * t.width, (r + 1) * t.width));
      t.waiting = 0;
      // Cleared so that the arrays do not keep the batch's buffers alive.
      t.values.fill(null);
    }
  }

  return db.transaction(writeBatch);
}
