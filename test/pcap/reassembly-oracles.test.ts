// TCP reassembly on the hard cases, made out of a real capture (three 160 kB downloads from nginx
// over a lossy loopback, MTU 1500) by dropping, swapping, duplicating and rewriting packets, then
// held against tshark's conversations and Follow TCP Stream on the very same edited file.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, scratchDir } from '../helpers/paths';
import { checkAgainstOracles } from './helpers/compare';
import { readPcapFile, shiftSequence, tcpOf, writePcapFile, type PcapFile, type PcapRecord } from './helpers/pcap-edit';

const SOURCE = path.join(REPO_ROOT, 'test', 'fixtures', 'pcap', 'lossy-retransmissions.pcap');
const SERVER_PORT = 18080;
const dir = scratchDir('pcap-edits');

let original: PcapFile;
beforeAll(() => {
  original = readPcapFile(SOURCE);
});

function edited(name: string, edit: (records: PcapRecord[]) => PcapRecord[], after?: (p: PcapFile) => void): string {
  const copy: PcapFile = { header: original.header, records: edit(original.records.map((r) => ({ ...r, data: Buffer.from(r.data) }))) };
  after?.(copy);
  const file = path.join(dir, `${name}.pcap`);
  writePcapFile(file, copy);
  return file;
}

const isServerData = (r: PcapRecord) => {
  const t = tcpOf(r);
  return t !== null && t.srcPort === SERVER_PORT && t.payloadLength > 0;
};

function expectAgreement(file: string, connections = 3) {
  const r = checkAgainstOracles(file);
  expect(r.indexed.status).toBe(0);
  expect(r.packets.ours).toBe(r.packets.capinfos);
  expect(r.conversations).toEqual([]);
  expect(r.follow.mismatches).toEqual([]);
  expect(r.follow.checked).toBe(connections);
  return r;
}

describe('TCP reassembly against tshark on edited real captures', () => {
  it('the unedited capture: retransmissions and out-of-order segments from real loss', () => {
    const r = expectAgreement(SOURCE);
    expect(r.follow.bytesCompared).toBeGreaterThan(3 * 160_000);
    // Each download: the same response headers and the 160,000-byte body, nothing missing.
    expect(new Set(r.indexed.streams.map((s) => s.bytesIn)).size).toBe(1);
    expect(r.indexed.streams[0]!.bytesIn).toBeGreaterThan(160_000);
    expect(r.indexed.streams.every((s) => s.gapBytes === 0)).toBe(true);
  });

  it('segments missing from the capture but acknowledged by the receiver become gaps, never spliced', () => {
    let n = 0;
    const file = edited('missing', (records) => records.filter((r) => !(isServerData(r) && ++n % 9 === 0)));
    const r = expectAgreement(file);
    const gaps = r.indexed.streams.reduce((sum, s) => sum + s.gapBytes, 0);
    expect(gaps).toBeGreaterThan(10_000);
    // Each gap met tshark's "[N bytes missing in capture file]" marker with the same N.
    expect(r.follow.withheld).toBe(0);
  });

  it('a hole nobody acknowledges (the capture ends): kept as a gap, the data after it kept too', () => {
    // Cut every packet from the client after the middle of the file, and one server segment after that.
    const half = Math.floor(original.records.length / 2);
    let dropped = false;
    const file = edited('unacknowledged', (records) =>
      records.filter((r, i) => {
        const t = tcpOf(r);
        if (i < half || !t) return true;
        if (t.dstPort === SERVER_PORT) return false;
        if (!dropped && isServerData(r)) return !(dropped = true);
        return true;
      }),
    );
    const r = expectAgreement(file);
    expect(r.follow.withheld).toBeGreaterThan(0);
    expect(r.indexed.streams.some((s) => s.gapBytes > 0)).toBe(true);
  });

  it('segments swapped in pairs arrive out of order and are put back in order', () => {
    let n = 0;
    const file = edited('swapped', (records) => {
      const out = [...records];
      for (let i = 0; i + 1 < out.length; i++) {
        if (isServerData(out[i]!) && isServerData(out[i + 1]!) && ++n % 3 === 0) {
          [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
          i++;
        }
      }
      return out;
    });
    const r = expectAgreement(file);
    expect(r.indexed.streams.every((s) => s.gapBytes === 0)).toBe(true);
  });

  it('duplicated segments (retransmissions) are delivered once', () => {
    let n = 0;
    const file = edited('duplicated', (records) => records.flatMap((r) => (isServerData(r) && ++n % 4 === 0 ? [r, { ...r, data: Buffer.from(r.data) }] : [r])));
    expectAgreement(file);
  });

  it('a retransmission overlapping with different bytes: the first copy of each byte wins', () => {
    let n = 0;
    const file = edited('overlap', (records) =>
      records.flatMap((r) => {
        const t = tcpOf(r);
        if (!t || !isServerData(r) || ++n % 11 !== 0 || t.payloadLength < 200) return [r];
        // A copy starting half-way through the segment, running past its end, with other bytes.
        const copy = { ...r, data: Buffer.from(r.data) };
        const payloadAt = t.tcpAt + (copy.data[t.tcpAt + 12]! >> 4) * 4;
        copy.data.writeUInt32BE((t.seq + Math.floor(t.payloadLength / 2)) >>> 0, t.tcpAt + 4);
        copy.data.fill(0x5a, payloadAt);
        return [r, copy];
      }),
    );
    expectAgreement(file);
  });

  it('sequence numbers that wrap past 2^32 in the middle of the transfer', () => {
    const first = original.records.map(tcpOf).find((t) => t && t.srcPort === SERVER_PORT && t.flags & 0x02)!;
    const file = edited(
      'wrap',
      (records) => records,
      (p) => shiftSequence(p, SERVER_PORT, 2 ** 32 - first.seq - 80_000),
    );
    const r = expectAgreement(file);
    expect(r.indexed.streams.every((s) => s.gapBytes === 0)).toBe(true);
  });

  it('a capture that starts in the middle of the connections', () => {
    // Start 20 packets after the second connection's SYN: it is seen from its middle on.
    // (A retransmitted SYN carries the same port and sequence number: counted once.)
    const seen = new Set<string>();
    const syns = original.records.flatMap((r, i) => {
      const t = tcpOf(r);
      if (!t || (t.flags & 0x12) !== 0x02 || seen.has(`${t.srcPort}:${t.seq}`)) return [];
      seen.add(`${t.srcPort}:${t.seq}`);
      return [i];
    });
    expect(syns).toHaveLength(3);
    const file = edited('midstream', (records) => records.slice(syns[1]! + 20));
    const r = expectAgreement(file, 2);
    const mid = r.indexed.streams.filter((s) => s.state === 'midstream' || s.clientGuessed);
    expect(mid.length).toBeGreaterThan(0);
    // Without a SYN the lower port is taken for the server's: 18080 against an ephemeral port.
    for (const s of mid) expect(s.endpoints.find((e) => e.role === 'server')!.port).toBe(SERVER_PORT);
  });
});
