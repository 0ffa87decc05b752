// The pcap parsers are handed views into the reader's buffers, a MiB each. What they keep past the
// packet (an out-of-order segment waiting for the bytes before it, a fragment waiting for the
// rest of its datagram, an HTTP/2 connection's first chunks waiting for both directions to show
// how it began) must be their own copy: Buffer's slice() is a view, and kept, it keeps the whole
// MiB alive. Each test hands over a view into a MiB buffer, drops the buffer and collects: the
// buffer must be gone while what was kept still waits.

import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { TcpDirection, type DeliverTarget, type PendingBudget } from '../../core/formats/pcap/parser/tcp-direction';
import { FragmentReassembler } from '../../core/formats/pcap/parser/ip-fragments';
import { LiveHttp2Parse } from '../../core/formats/pcap/live-http2';
import { PreparsedViews } from '../../core/analysis/http/preparsed';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Whether the MiB buffer a view of which `keep` was handed is still alive after a collection. */
async function pinned(keep: (view: Buffer) => void): Promise<boolean> {
  let big: Buffer | null = Buffer.alloc(1 << 20, 0x41);
  const ref = new WeakRef(big.buffer);
  keep(big.subarray(1000, 1400));
  big = null;
  // A WeakRef's target stays alive until the job that made it ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  return ref.deref() !== undefined;
}

describe("what the pcap parsers keep is not a view into the reader's buffer", () => {
  it('an out-of-order TCP segment waiting for the bytes before it', async () => {
    const delivered: Uint8Array[] = [];
    const target: DeliverTarget = { deliver: (_dir, _offset, _length, data) => delivered.push(data) };
    const budget: PendingBudget = { bytes: 0, holders: new Set() };
    const d = new TcpDirection(0, target, budget);
    d.start(1000, false);
    // 400 bytes at sequence 1100: 100 bytes after the next expected one, so it waits.
    expect(await pinned((view) => d.segment(1100, view.length, view, 0, 0, 2))).toBe(false);
    expect(d.queued).toBe(400);
    d.segment(1000, 100, Buffer.alloc(100, 0x42), 0, 0, 3);
    expect(delivered.map((b) => b.length)).toEqual([100, 400]);
    expect(Buffer.from(delivered[1]!).equals(Buffer.alloc(400, 0x41))).toBe(true);
  });

  it('an IP fragment waiting for the rest of its datagram', async () => {
    const fragments = new FragmentReassembler();
    expect(await pinned((view) => expect(fragments.add('a', 0, 400, true, view, 0)).toBeNull())).toBe(false);
    const whole = fragments.add('a', 400, 8, false, Buffer.alloc(8, 0x42), 0);
    expect(whole && Buffer.from(whole).equals(Buffer.concat([Buffer.alloc(400, 0x41), Buffer.alloc(8, 0x42)]))).toBe(true);
  });

  it("an HTTP/2 connection's first chunk waiting for the other direction", async () => {
    const parse = new LiveHttp2Parse(new PreparsedViews());
    // The server's bytes first (a capture begun mid-connection): they wait for the client's.
    expect(await pinned((view) => parse.chunk(1, 0, view.length, view, 1n))).toBe(false);
    expect(parse.abandoned).toBe(false);
  });
});
