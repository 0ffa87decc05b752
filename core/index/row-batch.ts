// One batch of ingest rows in the form the writer thread takes them (row-batch-writer.ts): every
// row of every table as one record of numeric slots in a Float64Array, in the order the rows were
// made, with strings that repeat (process names, syscall names, categories, fd names) as indexes
// into the batch's own string table, and the text that rarely repeats (an event's info) and byte
// payloads as UTF-8 / raw bytes back to back in a data area. Two ArrayBuffers that move to the
// writer thread without copying and come back to be filled again: no object per row, nothing for
// structured cloning to walk but the string table.
//
// A record is: the table's index, then one slot per column as the table's kinds say:
//   n  number or null (NaN stands for NULL; the index stores only integers)
//   b  bigint or null, in the slot's 8 bytes read as a BigInt64 (INT64_MIN stands for NULL)
//   s  string or null: its index in the batch's string table (-1: NULL)
//   t  string or null as UTF-8 in the data area: the slot holds its byte length (-1: NULL)
//   x  bytes or null: the slot holds their length (-1: NULL); they follow in the data area
//   i  a syscall event's info as a record of its raw parameters (core/formats/scap/info-record.ts),
//      laid out as x; the writer stores the text the native code makes of it
//      (core/index/native/scap-info.c): the text is not made on the ingest's thread
// The writer binds text as its UTF-8 bytes and the statements cast it back (row-store.ts).

/** How the rows of one table are written: `row` is one row's VALUES tuple (or a whole statement). */
export interface TableSpec {
  /** Column kinds, one letter per bound value (see above). */
  kinds: string;
  /** The statement for one row; for `head`-tables, one row's value tuple, "(?, ?, ...)". */
  row: string;
  /**
   * "INSERT OR FAIL INTO t (...) VALUES ": rows of this table may be written many per statement,
   * and later than rows of other tables made after them (nothing else in a batch depends on them).
   * OR FAIL: a statement of many rows that could be undone half-way (plain INSERT, OR ABORT) makes
   * SQLite copy every page it splits into a statement journal first; a failure fails the whole
   * batch anyway.
   */
  head?: string;
  /**
   * Statements run once (with `get`) on the writer's connection before its first batch: what the
   * table's values need there (the scap events' info records, the event table: scap_info_table).
   */
  setup?: { sql: string; args: unknown[] }[];
}

export interface RowBatchBuffers {
  slots: ArrayBuffer;
  data: ArrayBuffer;
}

export interface RowBatch extends RowBatchBuffers {
  /** Slots used. */
  slotCount: number;
  /** Bytes of the data area used. */
  dataBytes: number;
  strings: string[];
}

export const BATCH_SLOTS = 1 << 19;
export const BATCH_DATA_BYTES = 4 << 20;
/** A batch is handed over once fewer slots than this are left: room for one more record of any table. */
const SLOT_RESERVE = 64;
export const NULL_BIGINT = -(1n << 63n);
/** Which 32-bit word of a slot holds its low half: the slots are in the platform's byte order. */
const LOW_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

export function newRowBatchBuffers(): RowBatchBuffers {
  return { slots: new ArrayBuffer(BATCH_SLOTS * 8), data: new ArrayBuffer(BATCH_DATA_BYTES) };
}

/** Whether buffers handed back are the standard size (a data area grown for a huge value is not kept). */
export function reusableBuffers(b: RowBatchBuffers): boolean {
  return b.slots.byteLength === BATCH_SLOTS * 8 && b.data.byteLength === BATCH_DATA_BYTES;
}

/** Fills one batch; the caller writes each record's slots in its table's column order. */
export class RowBatchEncoder {
  private slots: Float64Array;
  private bigSlots: BigInt64Array;
  /** The slots as 32-bit words, for b values written by halves (bigWords). */
  private words: Uint32Array;
  private at = 0;
  private dataBuf: ArrayBuffer;
  private data: Buffer;
  private dataAt = 0;
  private strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  /** Per column of strCol(): the last string written there and its index (consecutive rows repeat them). */
  private readonly lastText: (string | null)[] = [];
  private readonly lastIndex: number[] = [];

  constructor(buffers: RowBatchBuffers) {
    this.slots = new Float64Array(buffers.slots);
    this.bigSlots = new BigInt64Array(buffers.slots);
    this.words = new Uint32Array(buffers.slots);
    this.dataBuf = buffers.data;
    this.data = Buffer.from(buffers.data);
  }

  get empty(): boolean {
    return this.at === 0;
  }

  /** No room for another record of any table: hand the batch over. */
  get full(): boolean {
    return this.at > this.slots.length - SLOT_RESERVE;
  }

  /**
   * Whether `bytes` more of data fit the data area as it is (an empty batch takes anything: the
   * area grows for it). A writer with large payloads hands the batch over when they do not, rather
   * than grow an area that then cannot be reused.
   */
  hasDataRoom(bytes: number): boolean {
    return this.at === 0 || this.dataAt + bytes <= this.data.length;
  }

  /** Starts a record of table `table`. */
  row(table: number): void {
    this.slots[this.at++] = table;
  }

  num(v: number | null): void {
    this.slots[this.at++] = v === null ? NaN : v;
  }

  big(v: bigint | null): void {
    this.bigSlots[this.at++] = v === null ? NULL_BIGINT : v;
  }

  /**
   * A b value given as its two's-complement 32-bit halves (each 0 to 2^32 - 1), so that a caller
   * with a value beyond 2^53 (nanosecond times) need not make a BigInt for it.
   */
  bigWords(high: number, low: number): void {
    const i = this.at++ * 2;
    this.words[i + LOW_WORD] = low;
    this.words[i + 1 - LOW_WORD] = high;
  }

  str(v: string | null): void {
    if (v === null) {
      this.slots[this.at++] = -1;
      return;
    }
    let i = this.stringIndex.get(v);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(v);
      this.stringIndex.set(v, i);
    }
    this.slots[this.at++] = i;
  }

  /**
   * str() for a column whose consecutive rows often hold the same string (a thread's process name,
   * a call's type on its enter and exit): `column` names the cache slot that remembers the last one.
   */
  strCol(column: number, v: string | null): void {
    if (v !== null && this.lastText[column] === v) {
      this.slots[this.at++] = this.lastIndex[column]!;
      return;
    }
    this.str(v);
    if (v !== null) {
      this.lastText[column] = v;
      this.lastIndex[column] = this.slots[this.at - 1]!;
    }
  }

  text(v: string | null): void {
    if (v === null) {
      this.slots[this.at++] = -1;
      return;
    }
    // Room for the worst case (3 bytes per UTF-16 unit) so the write below never cuts it short.
    this.reserve(v.length * 3);
    const start = this.dataAt;
    let at = start;
    const d = this.data;
    // Short ASCII text is most of it: copied by hand, which costs less than an encoder call.
    let i = 0;
    for (; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) break;
      d[at++] = c;
    }
    if (i < v.length) at = start + d.write(v, start, 'utf8');
    this.slots[this.at++] = at - start;
    this.dataAt = at;
  }

  /**
   * For a value written straight into the data area (kinds t, x and i): the area with room for
   * `bytes` more; write them at `dataOffset`, then `commitData` with how many were written.
   */
  reserveData(bytes: number): Buffer {
    this.reserve(bytes);
    return this.data;
  }

  get dataOffset(): number {
    return this.dataAt;
  }

  commitData(n: number): void {
    this.slots[this.at++] = n;
    this.dataAt += n;
  }

  bytes(v: Uint8Array | null): void {
    if (v === null) {
      this.slots[this.at++] = -1;
      return;
    }
    this.reserve(v.length);
    this.data.set(v, this.dataAt);
    this.dataAt += v.length;
    this.slots[this.at++] = v.length;
  }

  /** The batch, its buffers handed over (the encoder then fills `next`). */
  take(next: RowBatchBuffers): RowBatch {
    const batch: RowBatch = { slots: this.slots.buffer as ArrayBuffer, data: this.dataBuf, slotCount: this.at, dataBytes: this.dataAt, strings: this.strings };
    this.slots = new Float64Array(next.slots);
    this.bigSlots = new BigInt64Array(next.slots);
    this.words = new Uint32Array(next.slots);
    this.dataBuf = next.data;
    this.data = Buffer.from(next.data);
    this.at = 0;
    this.dataAt = 0;
    this.strings = [];
    this.stringIndex.clear();
    this.lastText.fill(null);
    return batch;
  }

  /** Grows the data area (for this batch only) when `bytes` more would not fit. */
  private reserve(bytes: number): void {
    if (this.dataAt + bytes <= this.data.length) return;
    const grown = new ArrayBuffer(Math.max(this.data.length * 2, this.dataAt + bytes));
    const data = Buffer.from(grown);
    this.data.copy(data, 0, 0, this.dataAt);
    this.dataBuf = grown;
    this.data = data;
  }
}
