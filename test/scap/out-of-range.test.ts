// Values a field cannot hold: an id or a size whose 64 bits say more than the index keeps exactly
// (±2^53), a timestamp past 2^63. Each is diagnosed where it is read (file, byte, field, value)
// and the rest of the capture is kept; none reaches SQLite as a REAL that a column refuses (which
// once failed the whole ingest: one corrupt fd in an fd list lost all 1,728 events of a capture).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCAP_BLOCK_TYPES as T } from '../../core/formats/scap/parser/block-types';
import { corpus, scratchDir } from '../helpers/paths';
import { P, ScapWriter } from '../helpers/scap-writer';
import { indexCapture } from './oracle-helpers';
import { evType } from './scenarios';

const dir = scratchDir('scap-range');
const T0 = 1_700_000_000_000_000_000n;
const HUGE = 2 ** 60;

interface Indexed {
  db: Database.Database;
  state: string;
  file: string;
  diagnostics: { offset: number | null; severity: string; message: string }[];
}

async function index(name: string, bytes: Uint8Array): Promise<Indexed> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  const { db, state } = await indexCapture(file);
  const diagnostics = db.prepare("SELECT offset, severity, message FROM diagnostics WHERE severity <> 'info' ORDER BY id").all() as Indexed['diagnostics'];
  return { db, state, file, diagnostics };
}

const count = (db: Database.Database, sql: string) => db.prepare(sql).pluck().get() as number;

describe('scap values out of range', () => {
  it('a corrupt fd in an fd list (top bit set): that entry is diagnosed and dropped, every event is kept', async () => {
    const bytes = Buffer.from(zlib.gunzipSync(fs.readFileSync(corpus('scap', 'single_ipv6_conn.scap'))));
    // The first FDL_V2 block: type, length, tid (8), then its first entry: length (4), fd (8).
    let at = 0;
    while (bytes.readUInt32LE(at) !== T.FDL_V2) at += bytes.readUInt32LE(at + 4);
    const fdAt = at + 8 + 8 + 4;
    const fd = bytes.readBigInt64LE(fdAt);
    bytes[fdAt + 7]! |= 0x80;
    const corrupt = bytes.readBigInt64LE(fdAt);
    const r = await index('fd-top-bit.scap', bytes);
    try {
      expect(r.state).toBe('done');
      expect(count(r.db, 'SELECT count(*) FROM events')).toBe(1728);
      expect(r.db.prepare('SELECT status FROM sources').pluck().get()).toBe('indexed');
      expect(r.diagnostics).toHaveLength(1);
      const d = r.diagnostics[0]!;
      expect(d.offset).toBe(fdAt);
      expect(d.message).toContain(`${r.file} at byte ${fdAt}`);
      expect(d.message).toContain(`fd is ${corrupt}`);
      expect(d.message).toMatch(/the entry was skipped/);
      expect(d.message).not.toContain('\n');
      // The entries after the corrupt one in the same block are kept.
      expect(count(r.db, 'SELECT count(*) FROM fds WHERE pid = 1')).toBeGreaterThan(0);
      expect(fd).toBe(0n);
    } finally {
      r.db.close();
    }
  });

  it('process list: a tid beyond 2^53 drops its entry; a pid, ptid, vtid or vpid beyond it is unknown', async () => {
    const w = new ScapWriter().shb().machineInfo({ hostname: 'h', memory: HUGE * 4 });
    w.procList([
      { tid: 10, comm: 'good' },
      { tid: HUGE, comm: 'lost' },
      { tid: 11, pid: HUGE, ptid: -HUGE, comm: 'kept' },
    ], 5);
    w.event({ type: evType('close', '>'), tid: 10, ts: T0, params: [P.i64(3)] });
    w.event({ type: evType('close', '>'), tid: 11, ts: T0 + 1n, params: [P.i64(3)] });
    const r = await index('proclist.scap', w.bytes());
    try {
      expect(r.state).toBe('done');
      expect(count(r.db, 'SELECT count(*) FROM events')).toBe(2);
      const threads = r.db.prepare('SELECT tid, pid, ptid, comm FROM threads ORDER BY tid').all();
      expect(threads).toEqual([
        { tid: 10, pid: 10, ptid: 1, comm: 'good' },
        { tid: 11, pid: 11, ptid: -1, comm: 'kept' },
      ]);
      expect(r.db.prepare('SELECT memory_bytes FROM machine').pluck().get()).toBeNull();
      const messages = r.diagnostics.map((d) => d.message);
      expect(messages).toEqual([
        expect.stringMatching(/MI block at 28: memory_size_bytes is 4611686018427387904, beyond ±2\^53, which capscope cannot keep exactly; stored as unknown/),
        expect.stringMatching(/PL_V5 block at \d+: tid is 1152921504606846976, beyond ±2\^53, which capscope cannot keep exactly; the entry was skipped/),
        expect.stringMatching(/PL_V5 block at \d+: pid is 1152921504606846976, beyond ±2\^53, which capscope cannot keep exactly; taken as the thread's own tid/),
        expect.stringMatching(/PL_V5 block at \d+: ptid is -1152921504606846976, beyond ±2\^53, which capscope cannot keep exactly; stored as unknown/),
        // The writer gives a V4+ entry's vpid its pid.
        expect.stringMatching(/PL_V5 block at \d+: vpid is 1152921504606846976, beyond ±2\^53, which capscope cannot keep exactly; stored as unknown/),
      ]);
      for (const d of r.diagnostics) expect(d.message.startsWith(`${r.file} at byte ${d.offset}: `)).toBe(true);
    } finally {
      r.db.close();
    }
  });

  it('an fd list whose tid is beyond 2^53: the block is skipped with a diagnostic, the rest kept', async () => {
    const w = new ScapWriter().shb().procList([{ tid: 10, comm: 'app' }], 9);
    w.fdList(HUGE, [{ fd: 3, kind: 'file', name: '/a' }]);
    w.fdList(10, [{ fd: 4, kind: 'file', name: '/b' }, { fd: HUGE, kind: 'file', name: '/c' }, { fd: 5, kind: 'file', name: '/d' }], 1);
    w.event({ type: evType('close', '>'), tid: 10, ts: T0, params: [P.i64(4)] });
    const r = await index('fdlist.scap', w.bytes());
    try {
      expect(r.state).toBe('done');
      expect(r.db.prepare('SELECT fd, name FROM fds ORDER BY fd').all()).toEqual([{ fd: 4, name: '/b' }, { fd: 5, name: '/d' }]);
      expect(r.diagnostics.map((d) => d.message)).toEqual([
        expect.stringMatching(/FDL_V2 block at \d+: tid is 1152921504606846976, beyond ±2\^53, which capscope cannot keep exactly; the block was skipped/),
        expect.stringMatching(/FDL block at \d+: fd is 1152921504606846976, beyond ±2\^53, which capscope cannot keep exactly; the entry was skipped/),
      ]);
    } finally {
      r.db.close();
    }
  });

  it("events: a tid or a time out of range skips the event; an fd or pid parameter out of range is unknown; mmap's -ENOMEM is -12", async () => {
    const w = new ScapWriter().shb().procList([{ tid: 10, comm: 'app' }], 9);
    w.event({ type: evType('close', '>'), tid: HUGE, ts: T0, params: [P.i64(3)] });
    w.event({ type: evType('close', '>'), tid: 10, ts: 1n << 63n, params: [P.i64(3)] });
    w.event({ type: evType('close', '>'), tid: 10, ts: T0 + 2n, params: [P.i64(HUGE)] });
    w.event({ type: evType('close', '<'), tid: 10, ts: T0 + 3n, params: [P.i64(0)] });
    w.event({ type: evType('read', '<'), tid: 10, ts: T0 + 4n, params: [P.i64(-HUGE), P.buf('')] });
    w.event({ type: 161, tid: 10, ts: T0 + 5n, params: [P.u64(2n ** 64n - 12n), P.u32(1), P.u32(1), P.u32(0)] });
    const r = await index('events.scap', w.bytes());
    try {
      expect(r.state).toBe('done');
      const rows = r.db.prepare('SELECT num, tid, type, fd, res, info FROM events ORDER BY num').all();
      expect(rows).toEqual([
        { num: 1, tid: 10, type: 'close', fd: null, res: null, info: 'fd=1152921504606846976' },
        { num: 2, tid: 10, type: 'close', fd: null, res: 0, info: 'res=0' },
        { num: 3, tid: 10, type: 'read', fd: null, res: null, info: 'res=-1152921504606846976 data=' },
        { num: 4, tid: 10, type: 'mmap', fd: null, res: -12, info: 'res=fffffffffffffff4 vm_size=1 vm_rss=1 vm_swap=0' },
      ]);
      expect(r.diagnostics.map((d) => d.message)).toEqual([
        expect.stringMatching(/EV_V2 block at \d+: expected a thread id within ±2\^53, found 1152921504606846976; the block was skipped/),
        expect.stringMatching(/EV_V2 block at \d+: expected a time below 2\^63 ns, found 9223372036854775808; the block was skipped/),
        expect.stringMatching(/EV_V2 block at \d+: close fd is 1152921504606846976, beyond ±2\^53, which capscope cannot keep exactly; stored as unknown/),
        expect.stringMatching(/EV_V2 block at \d+: read res is -1152921504606846976, beyond ±2\^53, which capscope cannot keep exactly; stored as unknown/),
      ]);
    } finally {
      r.db.close();
    }
  });
});
