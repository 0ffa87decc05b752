// Broken captures: each fault becomes a diagnostic naming the place and what was expected there,
// everything before it is kept, nothing hangs, and memory stays bounded (a block that claims 4 GiB
// is never allocated). Block layouts of every version the reader knows are decoded here too.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScap, type ScapHandlers } from '../../core/formats/scap/parser/scap-reader';
import type { ScapEvent } from '../../core/formats/scap/parser/event';
import type { ScapThread } from '../../core/formats/scap/parser/state-blocks';
import { ByteReader } from '../../parsers/source/byte-reader';
import { scratchDir } from '../helpers/paths';
import { P, ScapWriter } from '../helpers/scap-writer';
import { indexCapture } from './oracle-helpers';
import { evType } from './scenarios';

const dir = scratchDir('scap-bad');
const T0 = 1_700_000_000_000_000_000n;

/** A small valid capture: header, one process, `n` close events of tid 10. */
function capture(n = 4, w = new ScapWriter()): ScapWriter {
  w.shb().machineInfo({ hostname: 'h' }).procList([{ tid: 10, comm: 'app' }], 9);
  for (let i = 0; i < n; i++) w.event({ type: evType('close', i % 2 ? '<' : '>'), tid: 10, ts: T0 + BigInt(i), params: [P.i64(i % 2 ? 0 : 3)] });
  return w;
}

interface Seen {
  events: ScapEvent[];
  threads: ScapThread[];
  fds: { tid: number; n: number }[];
  diagnostics: { offset: number | null; severity: string; message: string }[];
}

/** Reads `bytes` in chunks of `chunk` bytes (blocks straddle chunk ends). */
async function read(bytes: Uint8Array, chunk = 7): Promise<Seen & Omit<Awaited<ReturnType<typeof readScap>>, 'events'>> {
  async function* source() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const seen: Seen = { events: [], threads: [], fds: [], diagnostics: [] };
  const handlers: ScapHandlers = {
    event: (ev) => seen.events.push({ ...ev, paramAt: [...ev.paramAt] }),
    procList: (t) => seen.threads.push(...t),
    fdList: (tid, fds) => seen.fds.push({ tid, n: fds.length }),
    diagnostic: (offset, { severity, message }) => seen.diagnostics.push({ offset, severity, message }),
  };
  const result = await readScap(new ByteReader(source()), handlers);
  return { ...result, ...seen };
}

describe('scap reader on bad input', () => {
  it('reads a good capture in 7-byte pieces', async () => {
    const r = await read(capture().bytes());
    expect(r.fault).toBeNull();
    expect(r.events.map((e) => e.num)).toEqual([1, 2, 3, 4]);
    expect(r.diagnostics).toEqual([]);
  });

  it('a file cut inside a block: a fault at that block, the events before it kept', async () => {
    const good = capture(4).bytes();
    const cut = good.subarray(0, good.length - 10);
    const r = await read(cut);
    expect(r.events).toHaveLength(3);
    const lastBlock = r.events[2]!.offset + (r.events[1]!.offset - r.events[0]!.offset);
    expect(r.fault).toMatchObject({ offset: lastBlock });
    expect(r.fault!.expected).toMatch(/bytes from byte/);
    expect(r.fault!.found).toMatch(/truncated/);
  });

  it('a cut inside a block header', async () => {
    const good = capture(2).bytes();
    const r = await read(Buffer.concat([good, Buffer.from([0x04, 0x02, 0, 0])]));
    expect(r.events).toHaveLength(2);
    expect(r.fault).toMatchObject({ offset: good.length, expected: 'a block header (8 bytes)' });
  });

  it('a block length of 0 stops the reading with the offset of the length field', async () => {
    const good = capture(2).bytes();
    const r = await read(Buffer.concat([good, Buffer.from([0x16, 0x02, 0, 0, 0, 0, 0, 0]), capture(2).bytes()]));
    expect(r.events).toHaveLength(2);
    expect(r.fault).toMatchObject({ offset: good.length + 4 });
    expect(r.fault!.found).toMatch(/^0 /);
  });

  it('a block length of 4 GiB that runs past the end: a truncation fault, without allocating it', async () => {
    const good = capture(2).bytes();
    const before = process.memoryUsage().rss;
    const r = await read(Buffer.concat([good, Buffer.from([0x16, 0x02, 0, 0, 0xfc, 0xff, 0xff, 0xff]), Buffer.alloc(100)]), 1 << 16);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 << 20);
    expect(r.events).toHaveLength(2);
    expect(r.fault).toMatchObject({ offset: good.length });
    expect(r.fault!.found).toMatch(/truncated/);
    expect(r.diagnostics.some((d) => d.message.includes('larger than'))).toBe(true);
  });

  it('a wrong trailer stops the reading: the blocks after it cannot be located', async () => {
    const good = capture(2).bytes();
    const bad = Buffer.from(capture(1, new ScapWriter()).bytes().subarray(good.length - 0));
    const w = capture(2);
    const bytes = Buffer.from(w.bytes());
    bytes.writeUInt32LE(12345, bytes.length - 4);
    const r = await read(Buffer.concat([bytes, bad]));
    expect(r.events).toHaveLength(1);
    expect(r.fault).toMatchObject({ offset: bytes.length - 4 });
    expect(r.fault!.expected).toMatch(/trailing length/);
  });

  it('an unknown event type is skipped with a diagnostic and the reading goes on', async () => {
    const w = capture(2);
    w.event({ type: 999, tid: 10, ts: T0 + 10n, params: [P.u32(1)] });
    w.event({ type: 999, tid: 10, ts: T0 + 11n, params: [P.u32(1)] });
    w.event({ type: evType('close', '>'), tid: 10, ts: T0 + 12n, params: [P.i64(4)] });
    const r = await read(w.bytes());
    expect(r.fault).toBeNull();
    expect(r.events.map((e) => e.num)).toEqual([1, 2, 3]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('unknown type 999'), '2 events of unknown type 999 were skipped in all']);
  });

  it('a parameter longer than its event: a diagnostic at the length field, the block skipped, the next read', async () => {
    const w = capture(2);
    const before = w.bytes().length;
    w.event({ type: evType('read', '<'), tid: 10, ts: T0 + 10n, params: [P.i64(5), P.buf('hello')], paramLenOverride: [1, 5000] });
    w.event({ type: evType('close', '>'), tid: 10, ts: T0 + 11n, params: [P.i64(4)] });
    const r = await read(w.bytes());
    expect(r.fault).toBeNull();
    expect(r.events).toHaveLength(3);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', offset: before + 8 + 2 + 26 + 2 });
    expect(r.diagnostics[0]!.message).toMatch(/parameter 2 \(data\) of read .* found a length of 5000/);
  });

  it('an event length beyond its block is a diagnostic, not a crash', async () => {
    const w = capture(1);
    w.event({ type: evType('close', '>'), tid: 10, ts: T0, params: [P.i64(4)], lenOverride: 100000 });
    const r = await read(w.bytes());
    expect(r.events).toHaveLength(1);
    expect(r.diagnostics[0]!.message).toMatch(/expected an event length between 26 and \d+/);
  });

  it('an unknown block type is skipped with a diagnostic', async () => {
    const w = capture(1);
    w.raw(Buffer.from([0x00, 0x03, 0, 0, 16, 0, 0, 0, 1, 2, 3, 4, 16, 0, 0, 0]));
    w.event({ type: evType('close', '<'), tid: 10, ts: T0, params: [P.i64(0)] });
    const r = await read(w.bytes());
    expect(r.events).toHaveLength(2);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['unknown block type 0x300 (16 bytes): skipped']);
  });

  it('garbage instead of a section header, and an empty stream', async () => {
    expect((await read(Buffer.from('not a capture at all'))).fault).toMatchObject({ offset: 0 });
    expect((await read(Buffer.alloc(0))).fault).toMatchObject({ expected: 'a scap section header block' });
  });

  it('a 17 MB event (container metadata) is read whole: large blocks are normal', async () => {
    const w = capture(0);
    const json = JSON.stringify({ container: { id: 'c0ffee000001', name: 'big', image: 'x', labels: { blob: 'x'.repeat(17_835_000) } } });
    w.event({ type: 324, tid: -1, ts: T0, params: [P.str(json)], block: 'EV_V2_LARGE' });
    const r = await read(w.bytes(), 1 << 20);
    expect(r.fault).toBeNull();
    expect(r.events).toHaveLength(1);
    expect(r.events[0]!.paramLen[0]).toBe(json.length + 1);
  });
});

describe('scap block versions', () => {
  it('reads process lists V1 to V9 and the _INT numbers', async () => {
    for (const v of [1, 2, 3, 4, 5, 6, 7, 8, 9] as const) {
      for (const internal of v <= 3 ? [false, true] : [false]) {
        const w = new ScapWriter().shb();
        w.procList([{ tid: 7, pid: 7, comm: 'web', exe: '/bin/web', args: ['-p', '80'], cwd: '/srv', env: ['A=1'], cgroups: ['cpuset=/docker/' + 'c'.repeat(64)], uid: 33 }], v, internal);
        w.event({ type: evType('close', '>'), tid: 7, ts: T0, params: [P.i64(1)] });
        const r = await read(w.bytes());
        expect(r.fault, `PL V${v}`).toBeNull();
        const t = r.threads[0]!;
        expect([t.tid, t.comm, t.exe, t.args, t.cwd, t.uid], `PL V${v}`).toEqual([7, 'web', '/bin/web', ['-p', '80'], '/srv', 33]);
        expect(t.env, `PL V${v}`).toEqual(v >= 3 ? ['A=1'] : []);
        expect(t.cgroups.length, `PL V${v}`).toBe(v >= 4 ? 1 : 0);
      }
    }
  });

  it('reads fd lists V1 and V2, interface and user lists V1 and V2', async () => {
    for (const v of [1, 2] as const) {
      const w = new ScapWriter().shb().procList([{ tid: 7, comm: 'x' }], 9);
      w.fdList(7, [{ fd: 0, kind: 'file-v1', name: '/dev/null' }, { fd: 3, kind: 'ipv4', sip: '1.2.3.4', sport: 5, dip: '6.7.8.9', dport: 80 }, { fd: 4, kind: 'unix', source: 1n, dest: 2n, name: '/run/s' }, { fd: 5, kind: 'ipv6', sip: '::1', sport: 1, dip: '::1', dport: 2 }], v);
      w.ifList([{ name: 'eth0', ip: '10.0.0.1' }], v).userList([{ uid: 0, gid: 0, name: 'root' }], v);
      w.event({ type: evType('close', '>'), tid: 7, ts: T0, params: [P.i64(1)] });
      const r = await read(w.bytes());
      expect(r.fault).toBeNull();
      expect(r.diagnostics).toEqual([]);
      expect(r.fds).toEqual([{ tid: 7, n: 4 }]);
    }
  });

  it('reads V1 event blocks, whose parameter count comes from the table, and EVF blocks with flags', async () => {
    const w = new ScapWriter().shb().procList([{ tid: 7, comm: 'x' }], 9);
    w.event({ type: evType('open', '<'), tid: 7, ts: T0, params: [P.i64(3), P.str('/a'), P.u32(1), P.u32(0), P.u32(0)], block: 'EV' });
    w.event({ type: evType('open', '<'), tid: 7, ts: T0, params: [P.i64(3), P.str('/a'), P.u32(1)], block: 'EV_INT' });
    w.event({ type: evType('close', '>'), tid: 7, ts: T0, params: [P.i64(3)], block: 'EVF', flags: 5 });
    w.event({ type: evType('close', '<'), tid: 7, ts: T0, params: [P.i64(0)], block: 'EVF_V2_LARGE', flags: 6 });
    const r = await read(w.bytes());
    expect(r.fault).toBeNull();
    expect(r.events.map((e) => [e.paramAt.length, e.flags])).toEqual([[5, 0], [3, 0], [1, 5], [1, 6]]);
  });

  it('reads a big-endian capture', async () => {
    const w = new ScapWriter({ littleEndian: false }).shb().procList([{ tid: 7, comm: 'x' }], 5);
    w.event({ type: evType('read', '<'), tid: 7, ts: T0, params: [P.i64(2, false), P.buf('hi')] });
    const r = await read(w.bytes());
    expect(r.fault).toBeNull();
    expect([r.threads[0]!.comm, r.events[0]!.ts, r.events[0]!.tid, r.events[0]!.paramLen]).toEqual(['x', T0, 7, [8, 2]]);
  });
});

describe('scap ingest on bad input', () => {
  it('a truncated file: the source fails with the file and offset, the events before the cut are in the index', async () => {
    const good = capture(6).bytes();
    const file = path.join(dir, 'cut.scap');
    fs.writeFileSync(file, good.subarray(0, good.length - 5));
    const { db, state } = await indexCapture(file);
    try {
      expect(state).toBe('failed');
      expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(5);
      const source = db.prepare('SELECT status, error FROM sources').get() as { status: string; error: string };
      expect(source.status).toBe('failed');
      expect(source.error).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at byte \\d+: expected the \\d+ bytes of this EV_V2`));
      const diag = db.prepare("SELECT offset, message FROM diagnostics WHERE severity = 'error'").get() as { offset: number; message: string };
      expect(diag.offset).toBeGreaterThan(0);
      expect(diag.message).toContain('truncated');
    } finally {
      db.close();
    }
  });
});
