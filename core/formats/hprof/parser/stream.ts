// The streaming HPROF reader: header, top-level records, heap-dump sub-records, handed to an
// HprofHandler as they are decoded. It never holds more of the file than the record in hand
// (arrays, however long, are handed out in pieces).
//
// Bad input never throws: an unknown tag, a length that runs past its record are reported through
// handler.diagnostic with the offset and what was expected, and the reading goes on; a fault that
// ends it (a cut-short dump, a header it cannot read) is the result's `stop`, with its offset. What
// came before stays delivered either way. Only a fault of the source itself (a truncated gzip
// stream, a cancel) is thrown, from the reader, after everything before it has been handed out.

import { DiagnosticCap, type Diagnostic } from '../../../../common/diagnostics';
import type { ByteReader } from '../../../../parsers/source/byte-reader';
import { i32, u16, u32, u64 } from './bytes';
import { decodeClassDump } from './class-dump';
import { HPROF_DIAGNOSTICS as D } from './diagnostics';
import {
  RECORD_NAMES,
  ROOT_LAYOUTS,
  SUB_CLASS_DUMP,
  SUB_HEAP_DUMP_INFO,
  SUB_INSTANCE_DUMP,
  SUB_OBJECT_ARRAY_DUMP,
  SUB_PRIMITIVE_ARRAY_DUMP,
  SUB_PRIMITIVE_ARRAY_NODATA_DUMP,
  SUB_UNREACHABLE,
  TAG_HEAP_DUMP,
  TAG_HEAP_DUMP_END,
  TAG_HEAP_DUMP_SEGMENT,
  valueSize,
} from './constants';
import { IdReader } from './ids';
import { HPROF_VERSIONS } from './magic';
import type { HprofHandler, HprofHeader, HprofReadResult } from './records';
import { decodeTopRecord } from './top-records';
import { ByteWindow } from './window';
import { printableText } from '../../../../common/format';

/** Non-heap records are decoded whole; one longer than this is skipped as implausible. */
const MAX_SMALL_RECORD = 64 << 20;
/** An instance's field values: 65,535 fields of 8 bytes at most; anything past this is corrupt. */
const MAX_INSTANCE_DATA = 1 << 20;
/** Bytes that cover the fixed part of every sub-record (the longest is a class dump's, 1+4+7*8+4). */
const SUB_HEAD = 72;
/** 9999-12-31T23:59:59.999Z: the last moment an ISO 8601 date of four-digit years can say. */
const LAST_DATE_MS = 253_402_300_799_999;
/** The same unknown tag is reported this many times, then counted. */
const REPORT_LIMIT = 5;

const latin1 = new TextDecoder('latin1');

/** Reads an HPROF stream to its end (or to the first fault that stops it). */
export async function readHprof(reader: ByteReader, handler: HprofHandler): Promise<HprofReadResult> {
  return new HprofStreamReader(reader, handler).run();
}

class HprofStreamReader {
  private readonly w: ByteWindow;
  private idSize: 4 | 8 = 4;
  private readonly result: HprofReadResult = { header: null, bytesRead: 0, complete: false, stop: null, records: new Map(), subRecords: new Map() };
  private readonly faults = new DiagnosticCap(REPORT_LIMIT, (offset, d) => this.handler.diagnostic(offset ?? this.w.offset, d));
  private ids = new IdReader(4, () => undefined);
  /** The heap dump record being read: where it starts and ends, and its name for messages. */
  private recStart = 0;
  private recEnd = 0;
  private recWhat = '';
  /** HEAP DUMP SEGMENTs were read and no HEAP DUMP END yet. */
  private segmentsOpen = false;

  constructor(
    reader: ByteReader,
    private readonly handler: HprofHandler,
  ) {
    this.w = new ByteWindow(reader.chunks(), reader.offset);
  }

  async run(): Promise<HprofReadResult> {
    try {
      const header = await this.readHeader();
      if (header) {
        this.result.header = header;
        this.handler.header?.(header);
        this.result.complete = await this.readRecords();
      }
    } finally {
      this.result.bytesRead = this.w.offset;
    }
    return this.result;
  }

  // ----- diagnostics -----

  private diag(offset: number, d: Diagnostic): void {
    this.handler.diagnostic(offset, d);
  }

  /** The fault that ends the reading: kept as the result's `stop` (the first, should two come). */
  private stop(offset: number, d: Diagnostic): void {
    this.result.stop ??= { offset, diagnostic: d };
  }

  /** After the last record: how many of each kind of problem were counted but not listed. */
  private finishReports(): void {
    for (const [kind, count] of this.faults.drainUnlisted()) this.diag(this.w.offset, D.emit('more-not-listed', { count, kind }));
  }

  private truncated(what: string, recordStart: number, expectedEnd: number): void {
    this.stop(this.w.offset, D.emit('record-truncated', { what, start: recordStart, expectedEnd, end: this.w.offset + this.w.available }));
  }

  private id(b: Uint8Array, p: number): number {
    return this.ids.read(b, p);
  }

  // ----- header -----

  private async readHeader(): Promise<HprofHeader | null> {
    const w = this.w;
    const start = w.offset;
    await w.fill(64);
    const limit = Math.min(w.end, w.pos + 64);
    let nul = -1;
    for (let p = w.pos; p < limit; p++) {
      if (w.buf[p] === 0) {
        nul = p;
        break;
      }
    }
    if (nul < 0) {
      this.stop(start, D.emit('no-header'));
      return null;
    }
    const version = latin1.decode(w.buf.subarray(w.pos, nul));
    if (!(HPROF_VERSIONS as readonly string[]).includes(version)) {
      this.stop(start, D.emit('unknown-version', { versions: HPROF_VERSIONS.join(', '), found: printableText(version) }));
      return null;
    }
    const length = nul - w.pos + 1 + 12;
    if (!(await w.fill(length))) {
      this.stop(start, D.emit('header-truncated', { expected: length, found: w.available }));
      return null;
    }
    const at = w.pos + (nul - w.pos) + 1;
    const idSize = u32(w.buf, at);
    if (idSize !== 4 && idSize !== 8) {
      this.stop(start + (at - w.pos), D.emit('bad-id-size', { idSize }));
      return null;
    }
    this.idSize = idSize;
    this.ids = new IdReader(idSize, (hex) => this.diag(this.w.offset, D.emit('large-identifier', { id: hex })));
    const timestampMs = this.timestamp(w.buf, at + 4, start + (at + 4 - w.pos));
    w.pos += length;
    return { version, idSize, timestampMs, length };
  }

  /**
   * The header's u8 milliseconds since 1970, or null (with a diagnostic) when it is no date a
   * person could read: past the year 9999, where ISO 8601 dates end (and JavaScript's Date soon
   * after). One bad field is no reason to lose the heap that follows it.
   */
  private timestamp(b: Uint8Array, p: number, offset: number): number | null {
    const ms = u64(b, p);
    if (ms <= LAST_DATE_MS) return ms;
    const hex = Array.from(b.subarray(p, p + 8), (x) => x.toString(16).padStart(2, '0')).join('');
    this.diag(offset, D.emit('bad-timestamp', { offset, value: `0x${hex}` }));
    return null;
  }

  // ----- top-level records -----

  /** Returns true when the stream ended cleanly at a record boundary. */
  private async readRecords(): Promise<boolean> {
    const w = this.w;
    try {
      for (;;) {
        if (w.available < 9 && !(await w.fill(9))) {
          if (w.available === 0) return this.endsCleanly();
          this.stop(w.offset, D.emit('record-header-truncated', { offset: w.offset, found: w.available }));
          return false;
        }
        const start = w.offset;
        const tag = w.buf[w.pos]!;
        const length = u32(w.buf, w.pos + 5);
        w.pos += 9;
        const stats = this.result.records.get(tag) ?? { count: 0, bodyBytes: 0 };
        stats.count++;
        stats.bodyBytes += length;
        this.result.records.set(tag, stats);
        const name = RECORD_NAMES[tag];
        if (tag === TAG_HEAP_DUMP_SEGMENT) this.segmentsOpen = true;
        if (tag === TAG_HEAP_DUMP || tag === TAG_HEAP_DUMP_SEGMENT) {
          if (!(await this.readHeapDump(tag, start, length))) return false;
          continue;
        }
        if (tag === TAG_HEAP_DUMP_END) {
          this.segmentsOpen = false;
          this.handler.heapDumpEnd?.(start);
          if (length > 0 && !(await this.skipBody(`a ${name} record`, start, length))) return false;
          continue;
        }
        if (name === undefined) {
          this.faults.report(`unknown record tag`, start, () => D.emit('unknown-record-tag', { tag: `0x${tag.toString(16).padStart(2, '0')}`, offset: start, length }));
          if (!(await this.skipBody('an unknown record', start, length))) return false;
          continue;
        }
        if (length > MAX_SMALL_RECORD) {
          this.diag(start, D.emit('record-too-large', { record: name, offset: start, length }));
          if (!(await this.skipBody(`a ${name} record`, start, length))) return false;
          continue;
        }
        if (!(await w.fill(length))) {
          this.truncated(`a ${name} record`, start, start + 9 + length);
          return false;
        }
        decodeTopRecord(tag, name, start, w.buf, w.pos, length, this.ids, this.handler, (key, offset, make) => this.faults.report(key, offset, make));
        w.pos += length;
      }
    } finally {
      this.finishReports();
    }
  }

  /** A dump of HEAP DUMP SEGMENTs ends with HEAP DUMP END; without it, it was cut at a record boundary. */
  private endsCleanly(): boolean {
    if (!this.segmentsOpen) return true;
    this.stop(this.w.offset, D.emit('heap-dump-end-missing', { offset: this.w.offset }));
    return false;
  }

  private async skipBody(what: string, start: number, length: number): Promise<boolean> {
    const skipped = await this.w.skip(length);
    if (skipped < length) {
      this.truncated(what, start, start + 9 + length);
      return false;
    }
    return true;
  }

  // ----- heap dump sub-records -----

  /** Returns false when the stream ended inside the record. */
  private async readHeapDump(tag: number, recordStart: number, length: number): Promise<boolean> {
    const w = this.w;
    const h = this.handler;
    const idSize = this.idSize;
    const what = `a ${RECORD_NAMES[tag]} record`;
    const endOffset = recordStart + 9 + length;
    this.recStart = recordStart;
    this.recEnd = endOffset;
    this.recWhat = what;
    const subCounts = this.result.subRecords;
    h.heapDumpRecord?.(tag, recordStart, length);
    let instances = 0;
    let objectArrays = 0;
    let primitiveArrays = 0;
    try {
      for (;;) {
        const remaining = endOffset - w.offset;
        if (remaining <= 0) return true;
        if (w.available < SUB_HEAD && w.available < remaining && !(await w.fill(Math.min(SUB_HEAD, remaining)))) {
          if (w.available === 0) return this.cut();
        }
        const b = w.buf;
        const p = w.pos;
        const subStart = w.offset;
        const sub = b[p]!;
        switch (sub) {
          case SUB_INSTANCE_DUMP: {
            const head = 9 + 2 * idSize;
            if (w.available < head) {
              if (head > remaining) return this.overrun(sub, subStart);
              if (!(await w.fill(head))) return this.cut();
              continue;
            }
            const dataLength = u32(b, p + 5 + 2 * idSize);
            const total = head + dataLength;
            if (total > remaining || dataLength > MAX_INSTANCE_DATA) return this.overrun(sub, subStart);
            if (w.available < total) {
              if (!(await w.fill(total))) return this.cut();
              continue;
            }
            instances++;
            h.instanceDump?.(this.id(b, p + 1), u32(b, p + 1 + idSize), this.id(b, p + 5 + idSize), b, p + head, dataLength, subStart);
            w.pos = p + total;
            continue;
          }
          case SUB_PRIMITIVE_ARRAY_DUMP:
          case SUB_PRIMITIVE_ARRAY_NODATA_DUMP: {
            const head = 10 + idSize;
            if (w.available < head) {
              if (head > remaining) return this.overrun(sub, subStart);
              if (!(await w.fill(head))) return this.cut();
              continue;
            }
            const count = u32(b, p + 5 + idSize);
            const type = b[p + 9 + idSize]!;
            const elementSize = valueSize(type, idSize);
            if (elementSize === 0 || type === 2) {
              this.diag(subStart + 9 + idSize, D.emit('bad-array-type', { offset: subStart, type, what, bytes: endOffset - subStart }));
              return this.skipRest();
            }
            const hasData = sub === SUB_PRIMITIVE_ARRAY_DUMP;
            const dataBytes = hasData ? count * elementSize : 0;
            if (head + dataBytes > remaining) return this.overrun(sub, subStart);
            primitiveArrays++;
            h.primitiveArrayDump?.(this.id(b, p + 1), u32(b, p + 1 + idSize), type, count, hasData, subStart);
            w.pos = p + head;
            if (dataBytes > 0 && !(await this.streamArray(dataBytes, elementSize, false))) return this.cut();
            continue;
          }
          case SUB_OBJECT_ARRAY_DUMP: {
            const head = 9 + 2 * idSize;
            if (w.available < head) {
              if (head > remaining) return this.overrun(sub, subStart);
              if (!(await w.fill(head))) return this.cut();
              continue;
            }
            const count = u32(b, p + 5 + idSize);
            const dataBytes = count * idSize;
            if (head + dataBytes > remaining) return this.overrun(sub, subStart);
            objectArrays++;
            h.objectArrayDump?.(this.id(b, p + 1), u32(b, p + 1 + idSize), count, this.id(b, p + 9 + idSize), subStart);
            w.pos = p + head;
            if (dataBytes > 0 && !(await this.streamArray(dataBytes, idSize, true))) return this.cut();
            continue;
          }
          case SUB_CLASS_DUMP: {
            const size = await this.measureClassDump(remaining);
            if (size === 'cut') return this.cut();
            if (size === 'overrun') return this.overrun(sub, subStart);
            if (size === 'bad-type') {
              this.diag(subStart, D.emit('bad-field-type', { offset: subStart, what, bytes: endOffset - subStart }));
              return this.skipRest();
            }
            subCounts.set(sub, (subCounts.get(sub) ?? 0) + 1);
            h.classDump?.(decodeClassDump(w.buf, w.pos, this.ids), subStart);
            w.pos += size;
            continue;
          }
          case SUB_HEAP_DUMP_INFO: {
            const size = 5 + idSize;
            if (size > remaining) return this.overrun(sub, subStart);
            if (w.available < size) {
              if (!(await w.fill(size))) return this.cut();
              continue;
            }
            subCounts.set(sub, (subCounts.get(sub) ?? 0) + 1);
            h.heapDumpInfo?.(u32(b, p + 1), this.id(b, p + 5), subStart);
            w.pos = p + size;
            continue;
          }
          case SUB_UNREACHABLE: {
            const size = 1 + idSize;
            if (size > remaining) return this.overrun(sub, subStart);
            if (w.available < size) {
              if (!(await w.fill(size))) return this.cut();
              continue;
            }
            subCounts.set(sub, (subCounts.get(sub) ?? 0) + 1);
            h.unreachable?.(this.id(b, p + 1), subStart);
            w.pos = p + size;
            continue;
          }
          default: {
            const root = ROOT_LAYOUTS.get(sub);
            if (!root) {
              this.diag(subStart, D.emit('unknown-sub-record', { tag: `0x${sub.toString(16).padStart(2, '0')}`, offset: subStart, what, bytes: endOffset - subStart }));
              return this.skipRest();
            }
            const extra = root.extra === 'none' ? 0 : root.extra === 'id' ? idSize : root.extra === 'u4' ? 4 : 8;
            const size = 1 + idSize + extra;
            if (size > remaining) return this.overrun(sub, subStart);
            if (w.available < size) {
              if (!(await w.fill(size))) return this.cut();
              continue;
            }
            subCounts.set(sub, (subCounts.get(sub) ?? 0) + 1);
            const objectId = this.id(b, p + 1);
            const q = p + 1 + idSize;
            if (root.extra === 'u4u4') h.root?.(root.kind, objectId, u32(b, q), i32(b, q + 4), subStart, 0);
            else if (root.extra === 'u4') h.root?.(root.kind, objectId, u32(b, q), -1, subStart, 0);
            else if (root.extra === 'id') h.root?.(root.kind, objectId, -1, -1, subStart, this.id(b, q));
            else h.root?.(root.kind, objectId, -1, -1, subStart, 0);
            w.pos = p + size;
            continue;
          }
        }
      }
    } finally {
      if (instances) subCounts.set(SUB_INSTANCE_DUMP, (subCounts.get(SUB_INSTANCE_DUMP) ?? 0) + instances);
      if (objectArrays) subCounts.set(SUB_OBJECT_ARRAY_DUMP, (subCounts.get(SUB_OBJECT_ARRAY_DUMP) ?? 0) + objectArrays);
      if (primitiveArrays) subCounts.set(SUB_PRIMITIVE_ARRAY_DUMP, (subCounts.get(SUB_PRIMITIVE_ARRAY_DUMP) ?? 0) + primitiveArrays);
    }
  }

  /** Hands `bytes` of array body out in pieces of whole elements; false if the stream ends first. */
  private async streamArray(bytes: number, elementSize: number, objects: boolean): Promise<boolean> {
    const w = this.w;
    const h = this.handler;
    let left = bytes;
    while (left > 0) {
      let whole = Math.min(left, w.available - (w.available % elementSize));
      if (whole === 0) {
        await w.fill(elementSize); // refills about a megabyte: a piece per refill

        whole = Math.min(left, w.available - (w.available % elementSize));
        if (whole === 0) return false;
      }
      if (objects) h.objectArrayElements?.(w.buf, w.pos, whole / elementSize);
      else h.primitiveArrayData?.(w.buf, w.pos, whole);
      w.pos += whole;
      left -= whole;
    }
    return true;
  }

  private overrun(sub: number, subStart: number): Promise<boolean> {
    this.diag(subStart, D.emit('sub-record-overrun', { tag: `0x${sub.toString(16).padStart(2, '0')}`, offset: subStart, what: this.recWhat, end: this.recEnd, bytes: this.recEnd - subStart }));
    return this.skipRest();
  }

  /** Skips to the end of the current heap dump record; false if the stream ends first. */
  private async skipRest(): Promise<boolean> {
    const left = this.recEnd - this.w.offset;
    const skipped = await this.w.skip(left);
    return skipped < left ? this.cut() : true;
  }

  private cut(): boolean {
    this.truncated(this.recWhat, this.recStart, this.recEnd);
    return false;
  }

  /** The byte length of the class dump at `pos`, reading ahead as needed. */
  private async measureClassDump(remaining: number): Promise<number | 'cut' | 'overrun' | 'bad-type'> {
    const w = this.w;
    const id = this.idSize;
    const need = async (n: number): Promise<'ok' | 'cut' | 'overrun'> => {
      if (n > remaining) return 'overrun';
      if (w.available >= n) return 'ok';
      return (await w.fill(n)) ? 'ok' : 'cut';
    };
    let at = 1 + 7 * id + 8; // tag, ids, stack serial, instance size
    let state = await need(at + 2);
    if (state !== 'ok') return state;
    const constants = u16(w.buf, w.pos + at);
    at += 2;
    for (let i = 0; i < constants; i++) {
      if ((state = await need(at + 3)) !== 'ok') return state;
      const size = valueSize(w.buf[w.pos + at + 2]!, id);
      if (size === 0) return 'bad-type';
      at += 3 + size;
    }
    if ((state = await need(at + 2)) !== 'ok') return state;
    const statics = u16(w.buf, w.pos + at);
    at += 2;
    for (let i = 0; i < statics; i++) {
      if ((state = await need(at + id + 1)) !== 'ok') return state;
      const size = valueSize(w.buf[w.pos + at + id]!, id);
      if (size === 0) return 'bad-type';
      at += id + 1 + size;
    }
    if ((state = await need(at + 2)) !== 'ok') return state;
    const fields = u16(w.buf, w.pos + at);
    at += 2;
    for (let i = 0; i < fields; i++) {
      if ((state = await need(at + id + 1)) !== 'ok') return state;
      if (valueSize(w.buf[w.pos + at + id]!, id) === 0) return 'bad-type';
      at += id + 1;
    }
    if ((state = await need(at)) !== 'ok') return state;
    return at;
  }
}
