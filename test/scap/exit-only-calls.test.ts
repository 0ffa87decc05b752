// A TCP conversation between two processes (socket, bind, listen, connect, accept, write, read,
// close) written once with every call as an enter/exit pair (sysdig 0.29's form) and again with
// some or all calls as the extended exit alone (current libs with enter events off, or libs'
// savefile converter): the streams, chunks, fds and the events' fd, name, type and result must be
// the same; only the latency differs (unknown, null, without the enter).

import { describe, expect, it } from 'vitest';
import type { Call, CallForm } from './helpers/call-forms';
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
