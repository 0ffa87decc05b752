// Writes batches of generic ingest rows (row-batch.ts) into the index, one transaction per batch.
//
// Two ways in, the same rows out:
// - Native (the row_batch extension, core/index/native/row-batch.c, where it was built): a table
//   whose rows may go many per statement (`head`) is inserted with one
//   `INSERT ... SELECT ... FROM row_batch(...)` per batch, which reads the batch's buffers in C.
//   Binding every value from JavaScript was half of the writer's time. Into a column_blocks store
//   (native/column-blocks.c: a capture's events) the rows go further in C: one
//   `INSERT INTO store (key, rows_from_batch) VALUES (k, row_batch_rows(...))` per batch hands
//   them over whole (native/row-batch.h), where the SELECT form was a VDBE step per row and a copy
//   of every text value, most of the writer's time on a capture's events.
// - JavaScript: such rows go many per INSERT, their values bound as arguments (binding a thousand
//   values in one call costs far less per row than a statement call per row, and values passed as
//   arguments rather than in an array are bound without a property lookup each).
// Every other table's rows go one statement each, in batch order, either way.
//
// This function runs on the writer thread, whose source is this function's own text
// (row-batch-writer.ts), and on the ingest's thread where no second thread can write (an in-memory
// database). So it is self-contained: it refers to nothing outside itself but its arguments.

import type Database from 'better-sqlite3';
import type { RowBatch, TableSpec } from './row-batch';

export type RowStore = (batch: RowBatch) => void;

/**
 * The store of `specs`' rows into `db`. `indexExtension`: the index's extension (row_batch and
 * column_blocks); `useRowBatch` false binds from JavaScript (also the way taken when the extension
 * does not load).
 */
export function rowBatchStore(db: Database.Database, specs: TableSpec[], indexExtension: string | null, useRowBatch: boolean): RowStore {
  const ROWS_PER_STATEMENT = 64;
  const NULL_BIGINT = -(1n << 63n);
  const N = 110; // 'n'
  const B = 98; // 'b'
  const S = 115; // 's'
  const T = 116; // 't'
  const X = 120; // 'x'
  const I = 105; // 'i': an event's info record, made text by the extension's scap_info

  // The extension is loaded for the tables it stores (column_blocks) whichever way rows are bound;
  // `native` says whether they go in through its row_batch.
  let native = false;
  if (indexExtension !== null) {
    try {
      // Once per connection: the ingest's own connection (an in-memory index) has it already.
      const loaded = db.prepare("SELECT 1 FROM pragma_module_list WHERE name = 'row_batch'").get() !== undefined;
      if (!loaded) db.loadExtension(indexExtension);
      native = useRowBatch;
    } catch {
      // Not loadable here (another platform's build, a missing file): bind from JavaScript.
    }
  }
  const allKinds = specs.map((spec) => spec.kinds).join(',');
  for (const spec of specs) {
    for (const s of spec.setup ?? []) {
      db.prepare(s.sql).get(...s.args.map((a) => (a instanceof Uint8Array && !Buffer.isBuffer(a) ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : a)));
    }
  }

  /**
   * For a table that is a column_blocks store, its rows handed over whole: the values of the row's
   * tuple that are bound (?) go by the names of their columns, the literal ones (the capture's id)
   * stay in the INSERT. Null for any other table, or a tuple this does not read.
   */
  function wholeBatch(spec: TableSpec, index: number): Database.Statement | null {
    const head = /^\s*(INSERT(?:\s+OR\s+\w+)?\s+INTO)\s+(\w+)\s*\(([^()]*)\)\s*VALUES\s*$/i.exec(spec.head!);
    const tuple = /^\s*\(([^()'"]*)\)\s*$/.exec(spec.row);
    if (!head || !tuple) return null;
    const store = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? AND sql LIKE '%USING column_blocks%'").get(head[2]);
    if (store === undefined) return null;
    const columns = head[3]!.split(',').map((c) => c.trim());
    const values = tuple[1]!.split(',').map((v) => v.trim());
    if (columns.length !== values.length || !columns.every((c) => /^\w+$/.test(c))) return null;
    const named = columns.filter((_, i) => values[i] === '?');
    const fixed = columns.flatMap((c, i) => (values[i] === '?' ? [] : [[c, values[i]!]]));
    if (named.length !== spec.kinds.length) return null;
    return db.prepare(
      `${head[1]} ${head[2]} (${[...fixed.map(([c]) => c), 'rows_from_batch'].join(', ')}) ` +
        `VALUES (${[...fixed.map(([, v]) => v), `row_batch_rows(?, ${index}, ?, ?, ?, ?, '${named.join(',')}')`].join(', ')})`,
    );
  }

  const tables = specs.map((spec, index) => {
    const kinds = Array.from(spec.kinds, (k) => k.charCodeAt(0));
    const width = kinds.length;
    const grouped = spec.head !== undefined;
    // Text is bound as its UTF-8 bytes and cast back: binding bytes costs a copy, binding a
    // string a conversion and a copy.
    let p = 0;
    const row = spec.row.replace(/\?/g, () => {
      const kind = kinds[p++];
      return kind === S || kind === T ? 'CAST(? AS TEXT)' : kind === I ? 'scap_info(?)' : '?';
    });
    // The native statement: the row's value tuple as a SELECT list over row_batch's columns.
    let c = 0;
    const select = spec.row
      .trim()
      .replace(/^\(|\)$/g, '')
      .replace(/\?/g, () => `c${c++}`);
    return {
      kinds,
      width,
      // Positions of the values that take bytes of the data area, to step over a native row's.
      dataKinds: kinds.flatMap((k, i) => (k === T || k === X || k === I ? [i] : [])),
      native: native && grouped,
      one: db.prepare(grouped ? spec.head + row : row),
      many: grouped && !native ? db.prepare(spec.head + Array(ROWS_PER_STATEMENT).fill(row).join(', ')) : null,
      batch:
        grouped && native
          ? (wholeBatch(spec, index) ?? db.prepare(`${spec.head!.replace(/\s*VALUES\s*$/, '')} SELECT ${select} FROM row_batch(?, ${index}, ?, ?, ?, ?)`))
          : null,
      // A grouped table's rows wait here until a statement's worth has come.
      values: new Array<unknown>((grouped ? ROWS_PER_STATEMENT : 1) * width).fill(null),
      waiting: 0,
      seen: false,
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
      if (t.native) {
        // Written below, from the buffers: only step over its values.
        for (const k of t.dataKinds) {
          const n = slots[at + k]!;
          if (n > 0) dataAt += n;
        }
        at += t.width;
        t.seen = true;
        continue;
      }
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
          // 't', 'x' and 'i': bytes in the data area.
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
    if (native && tables.some((t) => t.seen)) {
      const offsets = new Int32Array(strings.length + 1);
      let o = 0;
      for (let i = 0; i < strings.length; i++) {
        offsets[i] = o;
        o += strings[i]!.length;
      }
      offsets[strings.length] = o;
      const args = [
        allKinds,
        Buffer.from(batch.slots, 0, batch.slotCount * 8),
        Buffer.from(batch.data, 0, batch.dataBytes),
        Buffer.concat(strings, o),
        Buffer.from(offsets.buffer),
      ];
      for (const t of tables) {
        if (!t.seen) continue;
        t.batch!.run(...args);
        t.seen = false;
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
