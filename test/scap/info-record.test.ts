// An event's info text made in C from its record (core/formats/scap/info-record.ts, the native
// core/index/native/scap-info.c) is the text infoText makes in JavaScript, the reference held to
// sysdig by the oracle tests: on every event of every corpus capture, and on events of every type
// made of random parameter bytes (invalid UTF-8, byte order marks, NULs, values at the edges of
// 2^31, 2^53 and 2^63, every address family, DYN indexes past the table, fds with long and
// non-ASCII names), where the two ways of making it could part.

import fs from 'node:fs';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { indexExtensionPath, loadIndexExtension } from '../../core/index/row-batch-extension';
import { newRowBatchBuffers, RowBatchEncoder } from '../../core/index/row-batch';
import { infoTableBlob, writeInfoRecord } from '../../core/formats/scap/info-record';
import { EventProcessor, infoText } from '../../core/formats/scap/event-processor';
import { readScap } from '../../core/formats/scap/parser/scap-reader';
import { Bytes } from '../../core/formats/scap/parser/bytes';
import { EF, EVENT_TYPE_COUNT, eventInfo, type ParamInfo } from '../../core/formats/scap/parser/event-table';
import type { ScapEvent } from '../../core/formats/scap/parser/event';
import type { FdInfo, FdType } from '../../core/formats/scap/parser/fds';
import { ByteReader } from '../../parsers/source/byte-reader';
import { corpus } from '../helpers/paths';

describe.skipIf(indexExtensionPath() === null)('the info text made from an event record in C', () => {
  const db = new Database(':memory:');
  loadIndexExtension(db);
  db.prepare('SELECT scap_info_table(?)').get(Buffer.from(infoTableBlob()));
  const render = db.prepare('SELECT scap_info(?)').pluck();
  afterAll(() => db.close());

  /** A text as the index stores it: UTF-8 (a surrogate cut in half by the 200-unit limit is U+FFFD). */
  const stored = (text: string) => Buffer.from(text).toString();

  let enc = new RowBatchEncoder(newRowBatchBuffers());
  /** The record writeInfoRecord writes for ev, as the writer gets it. */
  function recordOf(ev: ScapEvent, fds: Map<number, FdInfo>): Buffer {
    if (enc.full || !enc.hasDataRoom(1 << 20)) enc = new RowBatchEncoder(newRowBatchBuffers());
    enc.row(0);
    const start = enc.dataOffset;
    writeInfoRecord(enc, ev, fds);
    return Buffer.from(enc.reserveData(0).subarray(start, enc.dataOffset));
  }

  it('is every corpus event’s text', async () => {
    const files = fs.readdirSync(corpus('scap')).filter((f) => f.endsWith('.scap'));
    expect(files.length).toBeGreaterThan(10);
    let events = 0;
    for (const file of files) {
      const processor = new EventProcessor();
      const expected: string[] = [];
      const records: Buffer[] = [];
      async function* source() {
        // Most of the corpus is gzip-compressed.
        const raw = fs.readFileSync(corpus('scap', file));
        yield raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
      }
      await readScap(new ByteReader(source()), {
        procList: (list) => processor.addThreads(list),
        fdList: (tid, list) => processor.addFds(tid, list),
        event: (ev) => {
          const row = processor.process(ev);
          expected.push(stored(infoText(ev, row.fds)));
          records.push(recordOf(ev, row.fds));
        },
        diagnostic: () => {},
      });
      const got = records.map((r) => render.get(r));
      for (let i = 0; i < expected.length; i++) expect(got[i], `${file} event ${i + 1}`).toBe(expected[i]);
      events += expected.length;
    }
    expect(events).toBeGreaterThan(10_000);
  }, 120_000);

  // ----- random events -----

  let seed = 20;
  const rand = () => {
    // mulberry32: the same events every run.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const bytes = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 256));
  const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
  const EDGES = [0n, 1n, 2n, 3n, 7n, 8n, 0x40n, 0x80n, 0x200n, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, (1n << 64n) - 2049n, 0x1234_5678_9abcn];
  const integer = (): bigint => {
    const r = rand();
    if (r < 0.5) {
      const e = pick(EDGES);
      return rand() < 0.3 ? -e : e;
    }
    if (r < 0.8) return BigInt(Math.floor(rand() * 70000)) - 35000n;
    return BigInt.asIntN(64, BigInt(`0x${Buffer.from(bytes(8)).toString('hex')}`));
  };
  const TEXTS = ['/etc/hosts', '', 'héllo wörld', '日本語のパス', '😀 emoji 😀', '\u{feff}bom', 'x'.repeat(199) + '😀', 'é'.repeat(250), 'a'.repeat(300)];
  const text = (): number[] => {
    const r = rand();
    if (r < 0.4) return [...Buffer.from(pick(TEXTS))];
    if (r < 0.55) return [0xef, 0xbb, 0xbf, ...Buffer.from(pick(TEXTS))];
    // Random bytes: invalid UTF-8, cut sequences, surrogates encoded, NULs.
    const pieces = [0xc0, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0xa0, 0x80, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff, 0xbf, 0x80, 0x00, 0x41, 0xe2, 0x82, 0xac];
    return Array.from({ length: Math.floor(rand() * (rand() < 0.2 ? 400 : 40)) }, () => (rand() < 0.6 ? pick(pieces) : Math.floor(rand() * 256)));
  };
  const address = (family: number): number[] => {
    const r = rand();
    const v4 = () => (r < 0.3 ? [0, 0, 0, 0] : bytes(4));
    const v6 = () => {
      const w = bytes(16).map((b) => (rand() < 0.5 ? 0 : b));
      if (rand() < 0.2) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...bytes(4)];
      return w;
    };
    return family === 2 ? v4() : v6();
  };
  const valueFor = (p: ParamInfo): number[] => {
    const r = rand();
    switch (p.type) {
      case 'CHARBUF': case 'FSPATH': case 'FSRELPATH': case 'CHARBUFARRAY': case 'CHARBUF_PAIR_ARRAY':
        return r < 0.1 ? [] : p.type === 'CHARBUFARRAY' && rand() < 0.5 ? [...text(), 0, ...text(), 0, ...(rand() < 0.5 ? text() : [])] : [...text(), ...(rand() < 0.7 ? [0] : [])];
      case 'BYTEBUF':
        return bytes(pick([0, 1, 39, 40, 41, 42, 80, 300]));
      case 'SOCKADDR': case 'SOCKTUPLE': {
        const family = pick([1, 2, 10, 0, 16]);
        const port = () => le(BigInt(Math.floor(rand() * 65536)), 2);
        let body: number[];
        if (family === 2) body = p.type === 'SOCKADDR' ? [...address(2), ...port()] : [...address(2), ...port(), ...address(2), ...port()];
        else if (family === 10) body = p.type === 'SOCKADDR' ? [...address(10), ...port()] : [...address(10), ...port(), ...address(10), ...port()];
        else if (family === 1) body = p.type === 'SOCKADDR' ? text() : [...le(integer(), 8), ...le(integer(), 8), ...text()];
        else body = bytes(Math.floor(rand() * 20));
        if (rand() < 0.15) body = body.slice(0, Math.floor(rand() * body.length));
        return rand() < 0.05 ? [] : [family, ...body];
      }
      case 'FDLIST': {
        const n = Math.floor(rand() * 5);
        const out = [...le(BigInt(rand() < 0.1 ? n + 2 : n), 2)];
        for (let i = 0; i < n; i++) out.push(...le(integer(), 8), ...le(BigInt(Math.floor(rand() * 65536)), 2));
        return rand() < 0.1 ? out.slice(0, Math.floor(rand() * out.length)) : out;
      }
      case 'DYN': {
        const idx = Math.floor(rand() * ((p.dynamic?.length ?? 0) + 1));
        const shape = p.dynamic?.[idx];
        return rand() < 0.05 ? [] : [idx, ...(shape ? valueFor(shape) : bytes(4))];
      }
      case 'IPV4ADDR': return rand() < 0.1 ? bytes(2) : address(2);
      case 'IPV6ADDR': return rand() < 0.1 ? bytes(8) : address(10);
      default: {
        const width = rand() < 0.9 ? { INT8: 1, UINT8: 1, FLAGS8: 1, ENUMFLAGS8: 1, INT16: 2, UINT16: 2, FLAGS16: 2, ENUMFLAGS16: 2, PORT: 2, INT32: 4, UINT32: 4, FLAGS32: 4, ENUMFLAGS32: 4, MODE: 4, UID: 4, GID: 4, SIGTYPE: 1, L4PROTO: 1, SOCKFAMILY: 1, BOOL: 1, SIGSET: 4 }[p.type as string] ?? 8 : pick([0, 1, 2, 3, 4, 5, 8]);
        let v = integer();
        // Flag values: often made of the table's own bits.
        if (p.flags && rand() < 0.6) v = BigInt(p.flags.filter(() => rand() < 0.3).reduce((a, [, f]) => a | f, 0) >>> 0);
        if (p.flags && rand() < 0.1) v = BigInt(pick(p.flags)[1]);
        return le(v, width);
      }
    }
  };
  const FD_TYPES: FdType[] = ['file', 'directory', 'ipv4', 'ipv6', 'ipv4-server', 'unix', 'pipe', 'event', 'memfd', 'unknown'];
  const fdTable = (): Map<number, FdInfo> => {
    const fds = new Map<number, FdInfo>();
    for (const fd of [0, 1, 2, 3, 7, 255, 256, 0x7fffffff]) {
      const name = pick(['/etc/hosts', '', '10.0.0.1:80->10.0.0.2:443', 'ñame/日本', 'x'.repeat(195), '😀'.repeat(120)]);
      fds.set(fd, { fd, type: pick(FD_TYPES), name, l4proto: pick(['tcp', 'udp', null, 'raw']), role: null });
    }
    return fds;
  };

  it('is the text of random events of every type', () => {
    let checked = 0;
    for (let round = 0; round < 30; round++) {
      for (let type = 0; type < EVENT_TYPE_COUNT; type++) {
        const info = eventInfo(type)!;
        const params = info.params;
        const count = rand() < 0.1 ? Math.floor(rand() * (params.length + 2)) : params.length;
        const values = Array.from({ length: count }, (_, i) => {
          const p = params[i];
          if (p?.type === 'FD' && rand() < 0.5) return le(BigInt(pick([0, 1, 3, 7, 255, 256, 0x7fffffff, 9, -1, -100])), 8);
          return p ? valueFor(p) : bytes(Math.floor(rand() * 10));
        });
        // The params in a block as the reader leaves them: lengths (u16 or u32 as the event's
        // table entry says), then the values back to back, with bytes around.
        const lenSize = info.flags & EF.LARGE_PAYLOAD ? 4 : 2;
        const head = bytes(Math.floor(rand() * 5));
        const buf = [...head];
        for (const v of values) buf.push(...le(BigInt(v.length), lenSize));
        const paramAt: number[] = [];
        const paramLen: number[] = [];
        for (const v of values) {
          paramAt.push(buf.length);
          paramLen.push(v.length);
          buf.push(...v);
        }
        buf.push(...bytes(3));
        const ev = { num: 1, offset: 0, cpu: 0, flags: 0, ts: 0n, tid: 1, type, info, b: new Bytes(Uint8Array.from(buf), true), paramAt, paramLen } as ScapEvent;
        const fds = fdTable();
        const expected = stored(infoText(ev, fds));
        expect(render.get(recordOf(ev, fds)), `type ${type} (${info.name}) ${JSON.stringify(values)}`).toBe(expected);
        // A big-endian capture's events go as their text.
        const be = { ...ev, b: new Bytes(Uint8Array.from(buf), false) };
        expect(render.get(recordOf(be, fds))).toBe(stored(infoText(be, fds)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('fails a record that does not parse (a bug, never input), and a type the table does not know', () => {
    expect(() => render.get(Buffer.from([1, 0, 0, 3, 0]))).toThrow(/does not parse/);
    expect(() => render.get(Buffer.from([0xff, 0xff, 0, 0, 0]))).toThrow(/does not parse/);
  });
});
