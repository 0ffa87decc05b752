// A TCP conversation between two processes (socket, bind, listen, connect, accept, write, read,
// close) written once with every call as an enter/exit pair (sysdig 0.29's form) and again with
// some or all calls as the extended exit alone (current libs with enter events off, or libs'
// savefile converter): the streams, chunks, fds and the events' fd, name, type and result must be
// the same; only the latency differs (unknown, null, without the enter).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { P, ScapWriter } from '../helpers/scap-writer';
import { scratchDir } from '../helpers/paths';
import { agreement, indexCapture, ourEvents, sysdigEvents } from './oracle-helpers';
import { ppme, writeCall, type Call, type CallForm } from './helpers/call-forms';
import { calls, capture, CLIENT, REQUEST, RESPONSE, SERVER } from './helpers/tcp-conversation';
import { processCapture, type ProcessedCapture } from './helpers/process-capture';

/** The facts both forms must agree on (the chunk's frame is the event number, which differs). */
function facts(p: ProcessedCapture) {
  const exits = p.rows.filter((r) => r.dir === '<');
  return {
    exits: exits.map((r) => ({ type: r.type, tid: r.tid, fd: r.fd, fdName: r.fdName, fdFlags: r.fdFlags, res: r.res, ts: r.ts })),
    streams: p.streams.map(({ id: _id, firstTs: _f, ...s }) => s),
    chunks: p.chunks.map(({ frame: _frame, ...c }) => ({ ...c, data: Buffer.from(c.data).toString() })),
    fds: [...p.fds.entries()].map(([k, f]) => [k, { ...f, streamId: undefined, written: undefined }]),
  };
}

describe('calls as extended exits alone make the state their enter/exit pairs make', () => {
  const mixes: [string, (call: Call, i: number) => CallForm][] = [
    ['every call an exit alone', () => 'exit'],
    ['the client exit-only, the server paired', (c) => (c.tid === CLIENT ? 'exit' : 'pair')],
    ['alternate calls exit-only', (_c, i) => (i % 2 === 0 ? 'exit' : 'pair')],
  ];
  for (const [name, formOf] of mixes) {
    it(name, async () => {
      const paired = await processCapture(capture(() => 'pair'));
      const mixed = await processCapture(capture(formOf));
      const expected = facts(paired);
      // The all-paired form is the conversation itself: one TCP stream each way, bytes each way.
      expect(expected.streams.map((s) => [s.pid, s.role, s.tuple, s.bytesOut, s.bytesIn, s.state])).toEqual([
        [CLIENT, 'client', '10.0.0.1:40000->10.0.0.2:8080', REQUEST.length, RESPONSE.length, 'closed'],
        [SERVER, 'server', '10.0.0.1:40000->10.0.0.2:8080', RESPONSE.length, REQUEST.length, 'closed'],
      ]);
      expect(facts(mixed)).toEqual(expected);
      // Latency: known for a paired exit, unknown (null, never 0) for an exit alone.
      const exitsOf = (p: ProcessedCapture) => p.rows.filter((r) => r.dir === '<');
      const forms = calls().map(formOf);
      exitsOf(mixed).forEach((r, i) => expect(r.latency, `${r.type} ${i}`).toBe(forms[i] === 'pair' ? 1000n : null));
      exitsOf(paired).forEach((r) => expect(r.latency).toBe(1000n));
    });
  }
});

describe('an fd copied by fcntl(F_DUPFD) or dup is the same socket, paired or exit alone', () => {
  const F_DUPFD = 1;
  const data = 'PING\r\n';
  /** A client with a connected socket on fd 5 copies it (fcntl → 7, dup → 8) and writes on each copy. */
  function copies(form: CallForm): Buffer {
    const w = new ScapWriter();
    w.shb().machineInfo({ hostname: 'node-1' });
    w.procList([{ tid: CLIENT, comm: 'curl', exe: '/usr/bin/curl' }], 9);
    w.fdList(CLIENT, [{ fd: 5, kind: 'ipv4', sip: '10.0.0.1', sport: 40000, dip: '10.0.0.2', dport: 8080 }], 2);
    let ts = 1_700_000_000_000_000_000n;
    writeCall(w, { exit: 'PPME_SYSCALL_FCNTL_X', tid: CLIENT, enter: [P.i64(5), P.u8(F_DUPFD)], oldExit: [P.i64(7)], appended: [P.i64(5), P.u8(F_DUPFD), P.u64(0)] }, form, (ts += 10_000n));
    writeCall(w, { exit: 'PPME_SYSCALL_WRITE_X', tid: CLIENT, enter: [P.i64(7), P.u32(data.length)], oldExit: [P.i64(data.length), P.buf(data)], appended: [P.i64(7), P.u32(data.length)] }, form, (ts += 10_000n));
    // dup: sysdig 0.29's pair is dup's first events (enter fd, exit res); current libs write dup_1's exit (res, oldfd).
    if (form === 'pair') {
      w.event({ type: ppme('PPME_SYSCALL_DUP_E'), tid: CLIENT, ts: (ts += 10_000n) - 1000n, params: [P.i64(5)] });
      w.event({ type: ppme('PPME_SYSCALL_DUP_X'), tid: CLIENT, ts, params: [P.i64(8)] });
    } else w.event({ type: ppme('PPME_SYSCALL_DUP_1_X'), tid: CLIENT, ts: (ts += 10_000n), params: [P.i64(8), P.i64(5)] });
    writeCall(w, { exit: 'PPME_SYSCALL_WRITE_X', tid: CLIENT, enter: [P.i64(8), P.u32(data.length)], oldExit: [P.i64(data.length), P.buf(data)], appended: [P.i64(8), P.u32(data.length)] }, form, (ts += 10_000n));
    return w.bytes();
  }

  it('sysdig 0.29 names the copies as the socket, and capscope agrees on the pair form', async () => {
    const file = path.join(scratchDir('scap-exit-only'), 'fd-copies.scap');
    fs.writeFileSync(file, copies('pair'));
    const oracle = sysdigEvents(file);
    expect(oracle.status, oracle.stderr).toBe(0);
    const writes = oracle.events.filter((e) => e.type === 'write' && e.dir === '<');
    expect(writes.map((e) => e.fdName)).toEqual(['10.0.0.1:40000->10.0.0.2:8080', '10.0.0.1:40000->10.0.0.2:8080']);
    const { db, state, error } = await indexCapture(file);
    try {
      expect(state, error ?? '').toBe('done');
      expect(agreement(oracle.events, ourEvents(db)).disagreements).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('the exit-alone form makes the same fds, events and streams', async () => {
    const paired = await processCapture(copies('pair'));
    const alone = await processCapture(copies('exit'));
    expect(facts(alone)).toEqual(facts(paired));
    expect(paired.streams.map((s) => [s.fd, s.fdName, s.bytesOut])).toEqual([
      [7, '10.0.0.1:40000->10.0.0.2:8080', data.length],
      [8, '10.0.0.1:40000->10.0.0.2:8080', data.length],
    ]);
  });
});
