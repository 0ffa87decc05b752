// libs' own converter tests as an oracle (test/libscap/test_suites/engines/savefile/converter.cpp,
// read into libs-converter/converter-cases.json by libs-converter/extract.mjs). Each case is an old
// exit (with the enter libs' converter stored before it, if any) and the extended exit libs turn it
// into. capscope is fed both as captures: the pair (enter + old exit) and the converted exit alone;
// what it derives from them must be the same: the event's fd, fd name, type and role, its result,
// the fds it made, the threads it changed. Only the latency differs: known for the pair, unknown
// (null) for the exit alone.

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eventInfo, type ParamType } from '../../core/formats/scap/parser/event-table';
import { P, ScapWriter, type FdSpec } from '../helpers/scap-writer';
import { REPO_ROOT, scratchDir } from '../helpers/paths';
import { ppme } from './helpers/call-forms';
import { processCapture, type ProcessedCapture } from './helpers/process-capture';

type Value = { int: string } | { str: string } | { bytes: string } | { empty: true };
interface CaseEvent {
  type: string;
  ts: string;
  tid: string;
  params: Value[];
}
interface ConverterCase {
  name: string;
  enter: CaseEvent | null;
  input: CaseEvent;
  expected: CaseEvent;
}
interface Fixture {
  source: string;
  commit: string;
  cases: ConverterCase[];
  skipped: { name: string; reason: string }[];
}

const FIXTURE = path.join(REPO_ROOT, 'test/scap/libs-converter/converter-cases.json');
const EXTRACTOR = path.join(REPO_ROOT, 'test/scap/libs-converter/extract.mjs');
const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Fixture;

const WIDTH: Partial<Record<ParamType, number>> = {
  INT8: 1, UINT8: 1, FLAGS8: 1, ENUMFLAGS8: 1, SIGTYPE: 1, L4PROTO: 1, SOCKFAMILY: 1,
  INT16: 2, UINT16: 2, FLAGS16: 2, ENUMFLAGS16: 2, PORT: 2, SYSCALLID: 2,
  INT32: 4, UINT32: 4, FLAGS32: 4, ENUMFLAGS32: 4, UID: 4, GID: 4, MODE: 4, BOOL: 4, SIGSET: 4, IPV4ADDR: 4,
  INT64: 8, UINT64: 8, ERRNO: 8, FD: 8, PID: 8, RELTIME: 8, ABSTIME: 8, DOUBLE: 8,
};

/** A param's bytes as libscap's scap_create_event writes them for the event table's type. */
function encode(type: ParamType, v: Value, where: string): Buffer {
  if ('empty' in v) return Buffer.alloc(0);
  if ('bytes' in v) return Buffer.from(v.bytes, 'hex');
  if ('str' in v) return P.str(v.str);
  const width = WIDTH[type];
  if (!width) throw new Error(`${where}: a number for a ${type} param`);
  const n = BigInt.asUintN(width * 8, BigInt(v.int));
  const b = Buffer.alloc(width);
  if (width === 8) b.writeBigUInt64LE(n);
  else b.writeUIntLE(Number(n), 0, width);
  return b;
}

function eventSpec(e: CaseEvent, ts: bigint, name: string) {
  const type = ppme(e.type);
  const info = eventInfo(type)!;
  const params = e.params.map((v, i) => encode(info.params[i]?.type ?? 'BYTEBUF', v, `${name} ${e.type} param ${i}`));
  return { type, tid: Number(e.tid), ts, params };
}

/** The fds the case names: each an fd of its thread before the call (a socket for NET calls). */
function fdsOf(c: ConverterCase): FdSpec[] {
  const fds = new Set<number>();
  for (const e of [c.enter, c.input, c.expected]) {
    if (!e) continue;
    const info = eventInfo(ppme(e.type))!;
    e.params.forEach((v, i) => {
      if (info.params[i]?.type === 'FD' && 'int' in v && Number(v.int) >= 0 && Number(v.int) < 1000) fds.add(Number(v.int));
    });
  }
  const net = eventInfo(ppme(c.input.type))!.category === 'NET';
  return [...fds].sort((a, b) => a - b).map((fd) => (net ? { fd, kind: 'ipv4', sip: '10.1.0.5', sport: 40000 + fd, dip: '10.1.0.9', dport: 80 } : { fd, kind: 'file', name: `/srv/data/file-${fd}` }));
}

const T0 = 1_700_000_000_000_000_000n;

function capture(c: ConverterCase, events: { e: CaseEvent; ts: bigint }[]): Buffer {
  const tid = Number(c.input.tid);
  const w = new ScapWriter().shb().machineInfo({ hostname: 'node-1' });
  w.procList([{ tid, comm: 'app', exe: '/usr/bin/app', args: ['--serve'], cwd: '/srv' }], 9);
  w.fdList(tid, fdsOf(c), 2);
  for (const { e, ts } of events) w.event(eventSpec(e, ts, c.name));
  return w.bytes();
}

/**
 * What capscope derives from the call: its exit's row, the fds and the threads it leaves. The
 * event's name is the event table's, not derived: libs' old accept4 events are named "accept".
 */
function facts(p: ProcessedCapture, withName: boolean) {
  const exit = p.rows.at(-1)!;
  // Pairing state, and how many events (an enter and its exit, or the exit alone) the thread had.
  const threads = [...p.threads.values()].map(
    ({ lastEnterType: _t, lastEnterTs: _ts, lastFd: _fd, enterArgs: _e, written: _w, fds: _fds, activity: _a, firstActivityTs: _f, ...t }) => t,
  );
  return {
    exit: { type: withName ? exit.type : undefined, tid: exit.tid, pid: exit.pid, proc: exit.proc, fd: exit.fd, fdName: exit.fdName, fdFlags: exit.fdFlags, res: exit.res, containerId: exit.containerId },
    fds: [...p.fds.entries()].map(([k, f]) => [k, { ...f, streamId: undefined, written: undefined }]),
    threads,
    streams: p.streams.map(({ id: _id, ...s }) => s),
    chunks: p.chunks.map(({ frame: _f, ...ch }) => ({ ...ch, data: Buffer.from(ch.data).toString('hex') })),
  };
}

/**
 * A case without an enter whose converted exit holds a value at an FD param (or at the result) the
 * old exit did not have: libs' converter defaults it to 0, which names fd 0 (or success), not what
 * the call did, which neither form knows.
 */
function inventsAFact(c: ConverterCase): boolean {
  if (c.enter) return false;
  const info = eventInfo(ppme(c.expected.type))!;
  return c.expected.params.some((v, i) => i >= c.input.params.length && (info.params[i]?.type === 'FD' || i === 0) && !('empty' in v));
}

describe("libs' converter tests as an oracle: an old exit (with its enter) and its converted exit make the same facts", () => {
  it('the fixture holds the cases of the libs commit the event table was read from', () => {
    const table = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'core/formats/scap/parser/gen/libs-event-table.json'), 'utf8')) as { commit: string };
    expect(fixture.commit).toBe(table.commit);
    expect(fixture.cases.length).toBeGreaterThan(150);
    // Every conversion the socket, fd and process state rests on is among the cases.
    const names = new Set(fixture.cases.map((c) => c.name));
    for (const n of ['PPME_SOCKET_SOCKET_X_to_5_params_with_enter', 'PPME_SOCKET_CONNECT_X_3_to_4_params_with_enter', 'PPME_SYSCALL_READ_X_to_4_params_with_enter',
      'PPME_SYSCALL_WRITE_X_to_4_params_with_enter', 'PPME_SYSCALL_CLOSE_X_to_2_params_with_enter', 'PPME_SOCKET_SENDTO_X_to_5_params_with_enter',
      'PPME_SYSCALL_FCNTL_X_to_4_params_with_enter', 'PPME_SYSCALL_DUP_X_1_to_1_X_2_params_with_enter', 'PPME_SOCKET_SOCKETPAIR_X_to_8_params_with_enter',
      'PPME_SYSCALL_EXECVE_19_X_18_to_31_params_with_enter', 'PPME_SYSCALL_CLONE_20_X_20_to_21_params_no_enter', 'PPME_SYSCALL_OPENAT_X_1_to_2_X_7_params_with_enter']) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it('extract.mjs reads the same fixture from the libs tree (with a libs tree in CAPSCOPE_LIBS_SOURCE)', () => {
    const tree = process.env.CAPSCOPE_LIBS_SOURCE;
    if (!tree) return; // CI has no libs checkout: the checked-in fixture is the oracle.
    const out = path.join(scratchDir('libs-converter'), 'converter-cases.json');
    const r = spawnSync(process.execPath, [EXTRACTOR, tree, '--commit', fixture.commit, '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(FIXTURE, 'utf8'));
  });

  const compared = fixture.cases.filter((c) => !inventsAFact(c));
  it('skips only the cases it says why (counted)', () => {
    const skippedHere = fixture.cases.filter(inventsAFact).map((c) => c.name);
    // The no-enter cases whose converted exit names fd 0, or result 0, by default (read, write, close, sendmmsg, ...).
    expect(skippedHere).toHaveLength(34);
    // Each has its with-enter sibling among the compared cases (sendmmsg and recvmmsg, whose old
    // exit had no params at all, have none).
    const comparedNames = new Set(compared.map((c) => c.name));
    for (const n of skippedHere) {
      if (/MMSG_X_0_to_\d+_params$/.test(n)) continue;
      expect(comparedNames.has(n.replace(/_no_enter$/, '_with_enter')), n).toBe(true);
    }
    expect(compared.length + skippedHere.length).toBe(fixture.cases.length);
  });

  for (const c of compared) {
    it(c.name, async () => {
      const exitTs = T0 + 10_000n;
      const pair = await processCapture(capture(c, [...(c.enter ? [{ e: c.enter, ts: exitTs - 1500n }] : []), { e: c.input, ts: exitTs }]));
      const alone = await processCapture(capture(c, [{ e: c.expected, ts: exitTs }]));
      const sameEvent = ppme(c.input.type) === ppme(c.expected.type);
      expect(facts(alone, sameEvent)).toEqual(facts(pair, sameEvent));
      // Latency: known where the pair had its enter, never 0 for an exit alone.
      expect(alone.rows.at(-1)!.latency).toBeNull();
      const paired = c.enter !== null && ppme(c.enter.type) === ppme(c.input.type) - 1;
      expect(pair.rows.at(-1)!.latency).toBe(paired ? 1500n : null);
    });
  }
});
