// The streaming HPROF parser: every record and sub-record, both identifier sizes, any chunking,
// and bad input (cut short, unknown tags, lengths that lie) answered with diagnostics, never a
// throw, never a huge allocation. Oracles: the record counts in the corpus's header files.

import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../common/diagnostics';
import { RECORD_NAMES } from '../../core/formats/hprof/parser/constants';
import type { HprofHandler } from '../../core/formats/hprof/parser/records';
import { readHprof } from '../../core/formats/hprof/parser/stream';
import { walkEvidence } from '../../parsers/source/walk';
import { EVIDENCE_SNIFFERS } from '../../core/registry/formats';
import { corpus, scratchDir } from '../helpers/paths';
import { HprofWriter } from './helpers/hprof-writer';
import { readerOf } from './helpers/toy-heap';

const DUMPS = [
  ['JetBrains_adt-tools-base__dialer.android-hprof', 'JetBrains_adt-tools-base__dialer.android-hprof'],
  ['agourlay_hprof-slurp__hprof-64.bin', 'agourlay_hprof-slurp__hprof-64.bin'],
  ['square_haha__sun_jdk5_13_x32.hprof', 'square_haha__sun_jdk5_13_x32.hprof'],
  ['square_haha__sun_jdk6_18_x64.hprof', 'square_haha__sun_jdk6_18_x64.hprof'],
  ['small-jcmd-live.hprof.gz', 'small-jcmd-live.hprof'],
] as const;

/** A handler that records every call as [method, ...args], copying buffers. */
function recorder(): { calls: unknown[][]; handler: HprofHandler } {
  const calls: unknown[][] = [];
  const handler = new Proxy({} as HprofHandler, {
    get: (_t, method: string) =>
      (...args: unknown[]) =>
        calls.push([method, ...args.map((a) => (a instanceof Uint8Array ? Array.from(a) : a))]),
  });
  return { calls, handler };
}

async function parse(bytes: Uint8Array, chunk?: number) {
  const diagnostics: { offset: number; severity: string; message: string }[] = [];
  const { calls, handler } = recorder();
  const h = new Proxy(handler, {
    get: (t, method: string) => (method === 'diagnostic' ? (offset: number, { severity, message }: Diagnostic) => diagnostics.push({ offset, severity, message }) : Reflect.get(t, method)),
  });
  const result = await readHprof(readerOf(bytes, chunk), h);
  return { result, calls, diagnostics };
}

describe('corpus dumps', () => {
  it.each(DUMPS)('%s: record counts and body bytes equal the oracle header file', async (file, stem) => {
    const oracle = fs.readFileSync(corpus('hprof', 'oracle', `${stem}-header.txt`), 'utf8');
    for await (const item of walkEvidence(corpus('hprof', file), { formats: EVIDENCE_SNIFFERS })) {
      if (item.kind !== 'evidence') continue;
      const result = await readHprof(item.reader, { diagnostic: (o, d) => expect.fail(`unexpected diagnostic at ${o}: ${d.severity} ${d.message}`) });
      expect(result.complete).toBe(true);
      expect(`header: ${result.header!.version}`).toBe(oracle.match(/^header: .*$/m)![0]);
      expect(result.header!.idSize).toBe(Number(oracle.match(/identifier_size: (\d+)/)![1]));
      expect(result.header!.timestampMs).toBe(Number(oracle.match(/timestamp_ms: (\d+)/)![1]));
      const lines = [...result.records]
        .sort((a, b) => a[0] - b[0])
        .map(([tag, s]) => `record 0x${tag.toString(16).toUpperCase().padStart(2, '0')} ${RECORD_NAMES[tag]!.padEnd(18)} count=${s.count} body_bytes=${s.bodyBytes}`);
      expect(lines).toEqual(oracle.split('\n').filter((l) => l.startsWith('record ')));
    }
  });

  it.each(DUMPS)('%s: instance, array, class and root counts equal VisualVM\'s summary', async (file, stem) => {
    const summary = fs.readFileSync(corpus('hprof', 'oracle', ...(stem === 'small-jcmd-live.hprof' ? ['visualvm', 'small-jcmd-live-summary.txt'] : [`${stem}-summary.txt`])), 'utf8');
    const value = (key: string) => Number(summary.match(new RegExp(`${key}: (\\d+)`))![1]);
    for await (const item of walkEvidence(corpus('hprof', file), { formats: EVIDENCE_SNIFFERS })) {
      if (item.kind !== 'evidence') continue;
      const result = await readHprof(item.reader, { diagnostic: () => undefined });
      const sub = result.subRecords;
      expect((sub.get(0x21) ?? 0) + (sub.get(0x22) ?? 0) + (sub.get(0x23) ?? 0)).toBe(value('totalLiveInstances'));
      expect(sub.get(0x20)).toBe(value('classes'));
      const roots = [0xff, 1, 2, 3, 4, 5, 6, 7, 8, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e].reduce((n, tag) => n + (sub.get(tag) ?? 0), 0);
      expect(roots).toBe(value('gcRoots'));
    }
  });

  it('reads the JDK\'s multi-member gzip (-gz) output through the source layer', async () => {
    const plain = fs.readFileSync(corpus('hprof', 'square_haha__sun_jdk6_18_x64.hprof'));
    // HotSpot's -gz writes one gzip member per chunk of the dump.
    const members: Buffer[] = [];
    for (let at = 0; at < plain.length; at += 256 * 1024) members.push(zlib.gzipSync(plain.subarray(at, at + 256 * 1024)));
    const file = `${scratchDir('heap-gz')}/dump.hprof.gz`;
    fs.writeFileSync(file, Buffer.concat(members));
    for await (const item of walkEvidence(file, { formats: EVIDENCE_SNIFFERS })) {
      if (item.kind !== 'evidence') continue;
      expect(item.format).toBe('hprof');
      const result = await readHprof(item.reader, { diagnostic: (o, d) => expect.fail(`${o} ${d.severity} ${d.message}`) });
      expect(result.complete).toBe(true);
      expect(result.bytesRead).toBe(plain.length);
      expect(result.subRecords.get(0x21)).toBe(13831);
    }
  });
});

/** A dump with every top-level record and every heap sub-record. */
function everything(idSize: 4 | 8): Uint8Array {
  const w = new HprofWriter(idSize, { version: 'JAVA PROFILE 1.0.3', timestampMs: 1_234_567_890_123 });
  w.string(0x10, 'java/lang/Object').string(0x18, 'héllo ☃').string(0x20, 'main').string(0x28, 'field');
  w.loadClass(1, 0x100, 0x10, 7);
  w.unloadClass(9);
  w.stackFrame(0x500, 0x20, 0x28, 0x18, 1, 42);
  w.stackFrame(0x508, 0x20, 0x28, 0x18, 1, -3);
  w.stackTrace(3, 1, [0x500, 0x508]);
  w.allocSites([{ isArray: 1, classSerial: 1, stackTraceSerial: 3, liveBytes: 10, liveInstances: 1, allocatedBytes: 20, allocatedInstances: 2 }]);
  w.heapSummary(100, 2, 300, 4);
  w.startThread(1, 0x700, 3, 0x20, 0x20, 0x20);
  w.endThread(1);
  w.cpuSamples(5, [{ samples: 5, stackTraceSerial: 3 }]);
  w.controlSettings(2, 16);
  w.heapDump((h) => {
    h.heapDumpInfo(0x41, 0x20);
    h.root(0xff, 0x800);
    h.root(0x01, 0x800, { id: 0x900 });
    h.root(0x02, 0x800, { u4: 1 }, { u4: 2 });
    h.root(0x03, 0x800, { u4: 1 }, { u4: 0 });
    h.root(0x04, 0x800, { u4: 1 });
    h.root(0x05, 0x100);
    h.root(0x06, 0x800, { u4: 1 });
    h.root(0x07, 0x800);
    h.root(0x08, 0x700, { u4: 1 }, { u4: 3 });
    for (const tag of [0x89, 0x8a, 0x8b, 0x8c, 0x8d]) h.root(tag, 0x800);
    h.root(0x8e, 0x800, { u4: 1 }, { u4: 4 });
    h.classDump({ classId: 0x100, instanceSize: 5, constantPool: [{ index: 3, type: 10, value: 77 }], statics: [{ nameId: 0x28, type: 11, value: 2 ** 40 + 5 }], fields: [{ nameId: 0x28, type: 2 }, { nameId: 0x28, type: 4 }] });
  });
  w.heapDump((h) => {
    h.instance(0x800, 0x100, [{ type: 2, value: 0x808 }, { type: 4, value: 1 }]);
    h.objectArray(0x808, 0x100, [0x800, 0, 0x800]);
    h.primitiveArray(0x810, 5, [0x68, 0x2603]);
    h.primitiveArrayNoData(0x818, 10, 1000);
    h.unreachable(0x820);
  });
  w.heapDumpEnd();
  return w.bytes();
}

describe('every record and sub-record', () => {
  it.each([4, 8] as const)('decodes them all with %i-byte identifiers, whatever the chunking', async (idSize) => {
    const bytes = everything(idSize);
    const whole = await parse(bytes);
    expect(whole.diagnostics).toEqual([]);
    expect(whole.result.complete).toBe(true);
    expect(whole.result.header).toEqual({ version: 'JAVA PROFILE 1.0.3', idSize, timestampMs: 1_234_567_890_123, length: 31 });
    const calls = whole.calls.filter((c) => c[0] !== 'heapDumpRecord');
    const named = (m: string) => calls.filter((c) => c[0] === m).map((c) => c.slice(1));
    expect(named('string')).toEqual([[0x10, 'java/lang/Object'], [0x18, 'héllo ☃'], [0x20, 'main'], [0x28, 'field']]);
    expect(named('loadClass')).toEqual([[1, 0x100, 7, 0x10]]);
    expect(named('unloadClass')).toEqual([[9]]);
    expect(named('stackFrame')).toEqual([
      [{ frameId: 0x500, methodNameId: 0x20, signatureId: 0x28, sourceFileId: 0x18, classSerial: 1, line: 42 }],
      [{ frameId: 0x508, methodNameId: 0x20, signatureId: 0x28, sourceFileId: 0x18, classSerial: 1, line: -3 }],
    ]);
    expect(named('stackTrace')).toEqual([[{ serial: 3, threadSerial: 1, frameIds: [0x500, 0x508] }]]);
    expect(named('allocSites')).toEqual([
      [{ flags: 1, cutoffRatio: 0.5, liveBytes: 100, liveInstances: 2, allocatedBytes: 300, allocatedInstances: 4, sites: [{ isArray: 1, classSerial: 1, stackTraceSerial: 3, liveBytes: 10, liveInstances: 1, allocatedBytes: 20, allocatedInstances: 2 }] }],
    ]);
    expect(named('heapSummary')).toEqual([[{ liveBytes: 100, liveInstances: 2, allocatedBytes: 300, allocatedInstances: 4 }]]);
    expect(named('startThread')).toEqual([[{ threadSerial: 1, threadObjectId: 0x700, stackTraceSerial: 3, nameId: 0x20, groupNameId: 0x20, groupParentNameId: 0x20 }]]);
    expect(named('endThread')).toEqual([[1]]);
    expect(named('cpuSamples')).toEqual([[{ totalSamples: 5, traces: [{ samples: 5, stackTraceSerial: 3 }] }]]);
    expect(named('controlSettings')).toEqual([[2, 16]]);
    expect(named('heapDumpInfo').map((c) => c.slice(0, 2))).toEqual([[0x41, 0x20]]);
    expect(named('root').map((c) => [c[0], c[1], c[2], c[3], c[5]])).toEqual([
      ['unknown', 0x800, -1, -1, 0],
      ['jni-global', 0x800, -1, -1, 0x900],
      ['jni-local', 0x800, 1, 2, 0],
      ['java-frame', 0x800, 1, 0, 0],
      ['native-stack', 0x800, 1, -1, 0],
      ['sticky-class', 0x100, -1, -1, 0],
      ['thread-block', 0x800, 1, -1, 0],
      ['monitor-used', 0x800, -1, -1, 0],
      ['thread-object', 0x700, 1, 3, 0],
      ['interned-string', 0x800, -1, -1, 0],
      ['finalizing', 0x800, -1, -1, 0],
      ['debugger', 0x800, -1, -1, 0],
      ['reference-cleanup', 0x800, -1, -1, 0],
      ['vm-internal', 0x800, -1, -1, 0],
      ['jni-monitor', 0x800, 1, 4, 0],
    ]);
    const [classDump] = named('classDump');
    expect(classDump![0]).toEqual({
      classId: 0x100,
      stackTraceSerial: 0,
      superId: 0,
      loaderId: 0,
      signersId: 0,
      protectionDomainId: 0,
      instanceSize: 5,
      constantPool: [{ index: 3, type: 10, value: 77 }],
      statics: [{ nameId: 0x28, type: 11, value: 2 ** 40 + 5 }],
      fields: [{ nameId: 0x28, type: 2 }, { nameId: 0x28, type: 4 }],
    });
    const [instance] = named('instanceDump');
    const data = (instance![3] as number[]).slice(instance![4] as number, (instance![4] as number) + (instance![5] as number));
    expect([instance![0], instance![2], data.length]).toEqual([0x800, 0x100, idSize + 1]);
    expect(named('objectArrayDump').map((c) => c.slice(0, 4))).toEqual([[0x808, 0, 3, 0x100]]);
    expect(named('primitiveArrayDump').map((c) => c.slice(0, 5))).toEqual([
      [0x810, 0, 5, 2, true],
      [0x818, 0, 10, 1000, false],
    ]);
    expect(named('unreachable').map((c) => c[0])).toEqual([0x820]);
    expect(named('heapDumpEnd')).toHaveLength(1);

    // The same calls whatever the chunks the bytes arrive in.
    for (const chunk of [1, 3, 7, 64]) {
      const cut = await parse(bytes, chunk);
      expect(cut.diagnostics).toEqual([]);
      const strip = (list: unknown[][]) => list.filter((c) => !['heapDumpRecord', 'instanceDump', 'objectArrayElements', 'primitiveArrayData'].includes(c[0] as string));
      expect(strip(cut.calls)).toEqual(strip(whole.calls));
      const elements = (list: unknown[][]) => list.filter((c) => c[0] === 'objectArrayElements').reduce((n, c) => n + (c[3] as number), 0);
      expect(elements(cut.calls)).toBe(3);
      const dataBytes = (list: unknown[][]) => list.filter((c) => c[0] === 'primitiveArrayData').reduce((n, c) => n + (c[3] as number), 0);
      expect(dataBytes(cut.calls)).toBe(4);
    }
  });
});

describe('bad input', () => {
  it('a dump cut short at any byte: the stop names the offset, what came before delivered, no throw', async () => {
    const bytes = everything(8);
    const full = await parse(bytes);
    const fullCount = full.calls.length;
    let lastCount = 0;
    // Record boundaries: a cut there before the first heap dump segment is a shorter, valid dump.
    const boundaries = new Set<number>();
    let firstSegment = -1;
    for (let at = 31; at < bytes.length; at += 9 + new DataView(bytes.buffer, bytes.byteOffset + at + 5, 4).getUint32(0)) {
      boundaries.add(at);
      if (bytes[at] === 0x1c && firstSegment < 0) firstSegment = at;
    }
    for (let cut = 31; cut < bytes.length; cut++) {
      const { result, calls, diagnostics } = await parse(bytes.subarray(0, cut), 5);
      // The fault that ends the reading is the result's stop, not one diagnostic among others.
      expect(diagnostics).toEqual([]);
      if (boundaries.has(cut) && cut <= firstSegment) {
        expect(result.complete).toBe(true);
        expect(result.stop).toBeNull();
      } else {
        expect(result.complete).toBe(false);
        const stop = result.stop!;
        expect(stop.diagnostic.severity).toBe('error');
        expect(stop.diagnostic.message).toMatch(/the dump ends (inside|at offset)/);
        expect(stop.diagnostic.message).toMatch(/cut short/);
        expect(stop.diagnostic.message).toMatch(/offset \d+/);
        expect(stop.offset).toBeLessThanOrEqual(cut);
      }
      expect(result.bytesRead).toBeLessThanOrEqual(cut);
      // Never fewer records for more bytes, never more than the whole dump.
      expect(calls.length).toBeGreaterThanOrEqual(lastCount);
      expect(calls.length).toBeLessThanOrEqual(fullCount);
      lastCount = calls.length;
    }
  });

  it('skips an unknown top-level record by its length and reads on', async () => {
    const w = new HprofWriter(8).string(1, 'a');
    w.record(0x55, Uint8Array.from([1, 2, 3]));
    w.string(2, 'b');
    const { result, calls, diagnostics } = await parse(w.bytes());
    expect(result.complete).toBe(true);
    expect(diagnostics).toEqual([{ offset: 31 + 9 + 9, severity: 'warning', message: 'unknown record tag 0x55 at offset 49 (3 bytes): skipped' }]);
    expect(calls.filter((c) => c[0] === 'string').map((c) => c[2])).toEqual(['a', 'b']);
  });

  it('an unknown heap sub-record: the rest of its record is skipped, the next records are read', async () => {
    const w = new HprofWriter(4);
    w.heapDump((h) => {
      h.root(0x05, 0x10);
      h.raw([0x77, 1, 2, 3, 4, 5]);
      h.root(0x05, 0x20);
    });
    w.heapDump((h) => h.root(0x05, 0x30));
    w.heapDumpEnd();
    const { result, calls, diagnostics } = await parse(w.bytes());
    expect(result.complete).toBe(true);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', offset: 31 + 9 + 5 });
    expect(diagnostics[0]!.message).toContain('unknown heap dump sub-record tag 0x77 at offset 45');
    expect(calls.filter((c) => c[0] === 'root').map((c) => c[2])).toEqual([0x10, 0x30]);
  });

  it('a sub-record that runs past its record, a bad element type, a bad field type', async () => {
    const overrun = new HprofWriter(4);
    overrun.heapDump((h) => h.raw([0x21, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1, 0]));
    overrun.heapDump((h) => h.root(0x05, 0x30));
    let r = await parse(overrun.bytes());
    expect(r.diagnostics[0]!.message).toContain('runs past the end of a HEAP_DUMP_SEGMENT record');
    expect(r.calls.filter((c) => c[0] === 'root')).toHaveLength(1);

    const badType = new HprofWriter(4);
    badType.heapDump((h) => h.raw([0x23, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 3]).root(0x05, 0x40));
    r = await parse(badType.bytes());
    expect(r.diagnostics[0]!.message).toContain('expected an element type (4 boolean … 11 long), found 3');

    const badField = new HprofWriter(4);
    badField.heapDump((h) => h.classDump({ classId: 0x100, fields: [{ nameId: 1, type: 12 }] }));
    r = await parse(badField.bytes());
    expect(r.diagnostics[0]!.message).toContain('not a basic type');
  });

  it('lengths that lie do not make it allocate them', async () => {
    const w = new HprofWriter(8);
    // A STRING record claiming 4 GB, then nothing: skipped as implausible, then the end.
    const bytes = Uint8Array.from([...w.bytes(), 0x01, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xf0, 1, 2, 3]);
    const before = process.memoryUsage().arrayBuffers;
    const r = await parse(bytes);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['STRING record at offset 31 claims 4294967280 bytes, more than any such record holds: skipped']);
    expect(r.result.stop!.diagnostic.message).toContain('the dump ends inside a STRING record that starts at offset 31');
    // An instance claiming 16 MB of field values inside a small segment.
    const v = new HprofWriter(4);
    v.heapDump((h) => h.raw([0x21, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0]));
    const r2 = await parse(v.bytes());
    expect(r2.diagnostics[0]!.message).toContain('runs past the end');
  });

  it('reports an identifier beyond 2^53 once (two such ids could read as one number)', async () => {
    const w = new HprofWriter(8);
    w.heapDump((h) => h.root(0x05, 2 ** 60).root(0x05, 2 ** 61));
    w.heapDumpEnd();
    const r = await parse(w.bytes());
    expect(r.diagnostics).toEqual([{ offset: expect.any(Number), severity: 'warning', message: 'identifier 0x1000000000000000 is above 2^53: identifiers this large may be confused with each other' }]);
    expect(r.calls.filter((c) => c[0] === 'root')).toHaveLength(2);
  });

  it('a header timestamp that is no date is a warning naming its offset, and the dump is read whole', async () => {
    const w = new HprofWriter(8);
    w.heapDump((h) => h.root(0x05, 0x100));
    w.heapDumpEnd();
    const good = w.bytes();
    // One byte of the u8 after "JAVA PROFILE 1.0.2", NUL and the u4 identifier size set to 0xff.
    const at = 'JAVA PROFILE 1.0.2'.length + 1 + 4;
    for (const [index, value] of [[0, '0xff00018bcfe56800'], [1, '0x00ff018bcfe56800']] as const) {
      const bad = good.slice();
      bad[at + index] = 0xff;
      const r = await parse(bad);
      expect(r.result.complete).toBe(true);
      expect(r.result.header!.timestampMs).toBeNull();
      expect(r.diagnostics).toEqual([
        { offset: at, severity: 'warning', message: `the header's timestamp at offset ${at} is ${value}, which is no date (expected milliseconds since 1970, before the year 10000): the time the dump was taken is unknown; the dump is read as usual` },
      ]);
      expect(r.calls.filter((c) => c[0] === 'root')).toEqual((await parse(good)).calls.filter((c) => c[0] === 'root'));
    }
    // The last millisecond of the year 9999 is still a date.
    const latest = new HprofWriter(8, { timestampMs: 253_402_300_799_999 }).bytes();
    expect((await parse(latest)).result.header!.timestampMs).toBe(253_402_300_799_999);
  });

  it('refuses what is not an HPROF header', async () => {
    expect((await parse(new TextEncoder().encode('JAVA PROFILE 9.9\0\0\0\0\x08'))).result.stop!.diagnostic.message).toContain("found 'JAVA PROFILE 9.9'");
    const five = Uint8Array.from([...new TextEncoder().encode('JAVA PROFILE 1.0.2\0'), 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0]);
    const refused = await parse(five);
    expect(refused.result.stop).toMatchObject({ offset: 19, diagnostic: { message: 'expected an identifier size of 4 or 8 bytes, found 5' } });
    expect(refused.result.header).toBeNull();
    expect(refused.diagnostics).toEqual([]);
  });
});
