// A CLASS DUMP sub-record, decoded whole once the stream reader has its bytes in hand (it knows
// the record's length by then: see measureClassDump in stream.ts).

import { i32, u16, u32 } from './bytes';
import { valueSize } from './constants';
import type { IdReader } from './ids';
import type { ClassDumpRecord, FieldDescriptor, StaticFieldValue } from './records';

export function decodeClassDump(b: Uint8Array, start: number, ids: IdReader): ClassDumpRecord {
const id = ids.size;
  let p = start + 1;
  const classId = ids.read(b, p);
  const stackTraceSerial = u32(b, p + id);
  p += id + 4;
  const superId = ids.read(b, p);
  const loaderId = ids.read(b, p + id);
  const signersId = ids.read(b, p + 2 * id);
  const protectionDomainId = ids.read(b, p + 3 * id);
  p += 6 * id; // two reserved ids follow the protection domain
  const instanceSize = u32(b, p);
  p += 4;
  const constantPool = [];
  const constantCount = u16(b, p);
  p += 2;
  for (let i = 0; i < constantCount; i++) {
    const type = b[p + 2]!;
    constantPool.push({ index: u16(b, p), type, value: readValue(b, p + 3, type, ids) });
    p += 3 + valueSize(type, id);
  }
  const statics: StaticFieldValue[] = [];
  const staticCount = u16(b, p);
  p += 2;
  for (let i = 0; i < staticCount; i++) {
    const type = b[p + id]!;
    statics.push({ nameId: ids.read(b, p), type, value: readValue(b, p + id + 1, type, ids) });
    p += id + 1 + valueSize(type, id);
  }
  const fields: FieldDescriptor[] = [];
  const fieldCount = u16(b, p);
  p += 2;
  for (let i = 0; i < fieldCount; i++) {
    fields.push({ nameId: ids.read(b, p), type: b[p + id]! });
    p += id + 1;
  }
  return { classId, stackTraceSerial, superId, loaderId, signersId, protectionDomainId, instanceSize, constantPool, statics, fields };
}

function readValue(b: Uint8Array, p: number, type: number, ids: IdReader): number {
  switch (type) {
    case 2:
      return ids.read(b, p);
    case 4:
      return b[p] === 0 ? 0 : 1;
    case 8:
      return (b[p]! << 24) >> 24;
    case 5:
      return u16(b, p);
    case 9:
      return (u16(b, p) << 16) >> 16;
    case 10:
      return i32(b, p);
    case 6:
      return new DataView(b.buffer, b.byteOffset + p, 4).getFloat32(0, false);
    case 7:
      return new DataView(b.buffer, b.byteOffset + p, 8).getFloat64(0, false);
    case 11:
      return i32(b, p) * 4294967296 + u32(b, p + 4);
    default:
      return 0;
  }
}
