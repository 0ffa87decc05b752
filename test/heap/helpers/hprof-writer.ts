// Writes HPROF files byte by byte, as OpenJDK's heapDumper.cpp lays them out, for tests that need
// a dump with exactly the records, objects and faults they are about.

export type IdSize = 4 | 8;

export class Bytes {
  private readonly parts: number[] = [];
  constructor(private readonly idSize: IdSize) {}
  u1(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u2(v: number): this {
    return this.u1(v >>> 8).u1(v);
  }
  u4(v: number): this {
    return this.u1(v >>> 24).u1(v >>> 16).u1(v >>> 8).u1(v);
  }
  u8(v: number): this {
    return this.u4(Math.floor(v / 4294967296)).u4(v >>> 0);
  }
  id(v: number): this {
    return this.idSize === 4 ? this.u4(v) : this.u8(v);
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i]! & 0xff);
    return this;
  }
  /** A value of a basic type (2 object … 11 long). */
  value(type: number, v: number): this {
    switch (type) {
      case 2:
        return this.id(v);
      case 4:
      case 8:
        return this.u1(v);
      case 5:
      case 9:
        return this.u2(v);
      case 6:
      case 10:
        return this.u4(v);
      case 7:
      case 11:
        return this.u8(v);
      default:
        throw new Error(`no basic type ${type}`);
    }
  }
  get length(): number {
    return this.parts.length;
  }
  toArray(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface StaticField {
  nameId: number;
  type: number;
  value: number;
}

export interface ClassDumpSpec {
  classId: number;
  superId?: number;
  loaderId?: number;
  instanceSize?: number;
  constantPool?: { index: number; type: number; value: number }[];
  statics?: StaticField[];
  fields?: { nameId: number; type: number }[];
}

/** The sub-records of one HEAP DUMP or HEAP DUMP SEGMENT record. */
export class HeapRecords {
  readonly b: Bytes;
  constructor(readonly idSize: IdSize) {
    this.b = new Bytes(idSize);
  }
  root(tag: number, id: number, ...extra: { u4?: number; id?: number }[]): this {
    this.b.u1(tag).id(id);
    for (const x of extra) {
      if (x.u4 !== undefined) this.b.u4(x.u4);
      if (x.id !== undefined) this.b.id(x.id);
    }
    return this;
  }
  classDump(c: ClassDumpSpec): this {
    const b = this.b;
    b.u1(0x20).id(c.classId).u4(0).id(c.superId ?? 0).id(c.loaderId ?? 0).id(0).id(0).id(0).id(0).u4(c.instanceSize ?? 0);
    b.u2(c.constantPool?.length ?? 0);
    for (const e of c.constantPool ?? []) b.u2(e.index).u1(e.type).value(e.type, e.value);
    b.u2(c.statics?.length ?? 0);
    for (const s of c.statics ?? []) b.id(s.nameId).u1(s.type).value(s.type, s.value);
    b.u2(c.fields?.length ?? 0);
    for (const f of c.fields ?? []) b.id(f.nameId).u1(f.type);
    return this;
  }
  /** An instance; `values` in dump order (the class's own fields, then its super classes'). */
  instance(id: number, classId: number, values: { type: number; value: number }[]): this {
    const data = new Bytes(this.idSize);
    for (const v of values) data.value(v.type, v.value);
    this.b.u1(0x21).id(id).u4(0).id(classId).u4(data.length).raw(data.toArray());
    return this;
  }
  objectArray(id: number, arrayClassId: number, elements: number[]): this {
    this.b.u1(0x22).id(id).u4(0).u4(elements.length).id(arrayClassId);
    for (const e of elements) this.b.id(e);
    return this;
  }
  primitiveArray(id: number, type: number, values: ArrayLike<number>): this {
    this.b.u1(0x23).id(id).u4(0).u4(values.length).u1(type);
    for (let i = 0; i < values.length; i++) this.b.value(type, values[i]!);
    return this;
  }
  primitiveArrayNoData(id: number, type: number, length: number): this {
    this.b.u1(0xc3).id(id).u4(0).u4(length).u1(type);
    return this;
  }
  heapDumpInfo(heapType: number, nameId: number): this {
    this.b.u1(0xfe).u4(heapType).id(nameId);
    return this;
  }
  unreachable(id: number): this {
    this.b.u1(0x90).id(id);
    return this;
  }
  raw(bytes: ArrayLike<number>): this {
    this.b.raw(bytes);
    return this;
  }
}

export class HprofWriter {
  private readonly out: Bytes;
  constructor(
    readonly idSize: IdSize,
    options: { version?: string; timestampMs?: number } = {},
  ) {
    this.out = new Bytes(idSize);
    const version = options.version ?? 'JAVA PROFILE 1.0.2';
    for (const ch of version) this.out.u1(ch.charCodeAt(0));
    this.out.u1(0).u4(idSize).u8(options.timestampMs ?? 1_700_000_000_000);
  }

  record(tag: number, body: Bytes | Uint8Array, time = 0): this {
    const bytes = body instanceof Bytes ? body.toArray() : body;
    this.out.u1(tag).u4(time).u4(bytes.length).raw(bytes);
    return this;
  }

  private body(): Bytes {
    return new Bytes(this.idSize);
  }

  string(id: number, text: string): this {
    return this.record(0x01, this.body().id(id).raw(new TextEncoder().encode(text)));
  }
  loadClass(serial: number, classId: number, nameId: number, stackSerial = 0): this {
    return this.record(0x02, this.body().u4(serial).id(classId).u4(stackSerial).id(nameId));
  }
  unloadClass(serial: number): this {
    return this.record(0x03, this.body().u4(serial));
  }
  stackFrame(frameId: number, methodNameId: number, signatureId: number, sourceFileId: number, classSerial: number, line: number): this {
    return this.record(0x04, this.body().id(frameId).id(methodNameId).id(signatureId).id(sourceFileId).u4(classSerial).u4(line));
  }
  stackTrace(serial: number, threadSerial: number, frameIds: number[]): this {
    const b = this.body().u4(serial).u4(threadSerial).u4(frameIds.length);
    for (const f of frameIds) b.id(f);
    return this.record(0x05, b);
  }
  allocSites(sites: { isArray: number; classSerial: number; stackTraceSerial: number; liveBytes: number; liveInstances: number; allocatedBytes: number; allocatedInstances: number }[]): this {
    const b = this.body().u2(1).u4(0x3f000000).u4(100).u4(2).u8(300).u8(4).u4(sites.length);
    for (const s of sites) b.u1(s.isArray).u4(s.classSerial).u4(s.stackTraceSerial).u4(s.liveBytes).u4(s.liveInstances).u4(s.allocatedBytes).u4(s.allocatedInstances);
    return this.record(0x06, b);
  }
  heapSummary(liveBytes: number, liveInstances: number, allocatedBytes: number, allocatedInstances: number): this {
    return this.record(0x07, this.body().u4(liveBytes).u4(liveInstances).u8(allocatedBytes).u8(allocatedInstances));
  }
  startThread(serial: number, objectId: number, stackSerial: number, nameId: number, groupId: number, parentGroupId: number): this {
    return this.record(0x0a, this.body().u4(serial).id(objectId).u4(stackSerial).id(nameId).id(groupId).id(parentGroupId));
  }
  endThread(serial: number): this {
    return this.record(0x0b, this.body().u4(serial));
  }
  cpuSamples(total: number, traces: { samples: number; stackTraceSerial: number }[]): this {
    const b = this.body().u4(total).u4(traces.length);
    for (const t of traces) b.u4(t.samples).u4(t.stackTraceSerial);
    return this.record(0x0d, b);
  }
  controlSettings(flags: number, depth: number): this {
    return this.record(0x0e, this.body().u4(flags).u2(depth));
  }
  heapDump(build: (h: HeapRecords) => void, segment = true): this {
    const h = new HeapRecords(this.idSize);
    build(h);
    return this.record(segment ? 0x1c : 0x0c, h.b);
  }
  heapDumpEnd(): this {
    return this.record(0x2c, new Uint8Array(0));
  }
  bytes(): Uint8Array {
    return this.out.toArray();
  }
}
