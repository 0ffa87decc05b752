// Hand-made captures for what the recorded ones do not contain: IP fragments (v4 and v6, out of
// order), IPv6 extension headers, 802.1ad + 802.1Q double tags, pcapng with several sections of
// both byte orders, interfaces of different link types and clocks, simple and obsolete packet
// blocks, name-resolution and statistics blocks, comments; unsupported link types. tshark and
// capinfos read the same files.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { ACK, FIN, PSH, SYN, epb, ethernet, idb, ipv4, ipv6, isb, nrb, obsoletePb, pcapFile, sll2, shb, spb, tcpSegment, type Frame } from './helpers/build';
import { checkAgainstOracles } from './helpers/compare';
import { openIndexDb } from '../helpers/index-db';

const dir = scratchDir('pcap-crafted');

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** A whole exchange as IP packets: handshake, a request, a two-segment response, both FINs. */
function exchange(ip: typeof ipv4 | typeof ipv6, client: string, server: string, opts: { fragmentBytes?: number; cport?: number; isn?: number } = {}): Buffer[] {
  const cport = opts.cport ?? 40000;
  const c = opts.isn ?? 1000;
  const s = 900_000;
  const request = Buffer.from(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 2400\r\n\r\n${'a'.repeat(2400)}`);
  const response = [Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1200\r\n\r\n'), Buffer.from('b'.repeat(1200))];
  const up = (seq: number, ack: number, flags: number, payload?: Buffer) => tcpSegment({ src: client, dst: server, sport: cport, dport: 80, seq, ack, flags, payload });
  const down = (seq: number, ack: number, flags: number, payload?: Buffer) => tcpSegment({ src: server, dst: client, sport: 80, dport: cport, seq, ack, flags, payload });
  const P = (l4: Buffer, from: 'c' | 's', fragment = false) =>
    (from === 'c' ? ip(client, server, 6, l4, fragment ? { fragmentBytes: opts.fragmentBytes, id: 77 } : {}) : ip(server, client, 6, l4));
  const reqEnd = c + 1 + request.length;
  const r0 = response[0]!.length;
  const r1 = response[1]!.length;
  const fragments = P(up(c + 1, s + 1, ACK | PSH, request), 'c', opts.fragmentBytes !== undefined);
  // The fragments of the request arrive last-first.
  return [
    ...P(up(c, 0, SYN), 'c'),
    ...P(down(s, c + 1, SYN | ACK), 's'),
    ...P(up(c + 1, s + 1, ACK), 'c'),
    ...fragments.reverse(),
    ...P(down(s + 1, reqEnd, ACK), 's'),
    ...P(down(s + 1, reqEnd, ACK | PSH, response[0]), 's'),
    ...P(down(s + 1 + r0, reqEnd, ACK | PSH, response[1]), 's'),
    ...P(up(reqEnd, s + 1 + r0 + r1, ACK | FIN), 'c'),
    ...P(down(s + 1 + r0 + r1, reqEnd + 1, ACK | FIN), 's'),
    ...P(up(reqEnd + 1, s + 2 + r0 + r1, ACK), 'c'),
  ];
}

const frames = (packets: Buffer[], wrap: (ip: Buffer) => Buffer = (b) => b): Frame[] => packets.map((p, i) => ({ sec: 1_800_000_000, usec: i * 1000, data: wrap(p) }));

function expectAgreement(file: string, tcpStreams: number) {
  const r = checkAgainstOracles(file);
  expect(r.indexed.stderr).toBe('');
  expect(r.packets.ours).toBe(r.packets.capinfos);
  expect(r.conversations).toEqual([]);
  expect(r.follow.mismatches).toEqual([]);
  expect(r.follow.checked).toBe(tcpStreams);
  return r;
}

describe('hand-made captures against tshark', () => {
  it('IPv4 fragments arriving out of order, inside 802.1ad + 802.1Q double tags', () => {
    const packets = exchange(ipv4, '10.1.0.5', '10.1.0.9', { fragmentBytes: 800 });
    const file = write('v4-fragments-qinq.pcap', pcapFile(1, frames(packets, (ip) => ethernet(ip, [0x88a8, 0x8100]))));
    const r = expectAgreement(file, 1);
    const s = r.indexed.streams[0]!;
    expect(s.tuple).toBe('10.1.0.5:40000->10.1.0.9:80');
    expect(s.bytesOut).toBe(2400 + 56);
    expect(s.state).toBe('closed');
  });

  it('IPv6 with a hop-by-hop header and fragments, as raw IPv6 (229) and raw IP (101)', () => {
    const packets = exchange(ipv6, 'fd00::5', 'fd00:0:0:1::9', { fragmentBytes: 1000 });
    for (const linkType of [229, 101]) {
      const file = write(`v6-fragments-${linkType}.pcap`, pcapFile(linkType, frames(packets)));
      const r = expectAgreement(file, 1);
      expect(r.indexed.streams[0]!.tuple).toBe('[fd00::5]:40000->[fd00:0:0:1::9]:80');
    }
  });

  it('a link type capscope does not read is counted and skipped with a diagnostic', () => {
    const packets = exchange(ipv4, '10.1.0.5', '10.1.0.9');
    const file = write('usbpcap.pcap', pcapFile(249, frames(packets)));
    const db = path.join(dir, 'usbpcap.sqlite');
    const result = capscope(['index', '--json', '--db', db, file]);
    expect(result.status).toBe(0);
    const d = openIndexDb(db, { readonly: true });
    const diags = d.prepare('SELECT offset, severity, message FROM diagnostics').all() as { offset: number; severity: string; message: string }[];
    const skipped = diags.find((x) => x.message.includes('USBPcap'))!;
    expect(skipped.severity).toBe('warning');
    expect(skipped.offset).toBe(24);
    expect(skipped.message).toContain(`${file} at byte 24`);
    expect(skipped.message).toContain(`${packets.length} packets counted and skipped`);
    expect(d.prepare("SELECT count(*) FROM packets WHERE proto = 'unsupported'").pluck().get()).toBe(packets.length);
    expect(d.prepare('SELECT count(*) FROM streams').pluck().get()).toBe(0);
    d.close();
  });

  it('pcapng: two sections of opposite byte order, three interfaces, every packet block kind, comments', () => {
    const a = exchange(ipv4, '192.168.7.1', '192.168.7.2', { cport: 41000 });
    const b = exchange(ipv4, '192.168.7.1', '192.168.7.2', { cport: 41001, isn: 5_000_000 });
    const c = exchange(ipv6, 'fd00::1', 'fd00::2', { cport: 41002 });
    const base = 1_800_000_000n;
    const le = true;
    const be = false;
    const parts: Buffer[] = [
      shb(le, 'section one: little-endian'),
      idb(le, 1, { name: 'eth-ns', tsresol: 9, snapLen: 262144 }), // Ethernet, nanoseconds
      idb(le, 276, { name: 'any-2^-20', tsresol: 0x80 | 20, tsoffset: 3600n }), // SLL2, binary fractions, an hour's offset
      nrb(le),
      ...a.map((p, i) => (i % 3 === 2 ? obsoletePb(le, 0, base * 1_000_000_000n + BigInt(i) * 1_234_567n, ethernet(p)) : epb(le, 0, base * 1_000_000_000n + BigInt(i) * 1_234_567n, ethernet(p), i === 0 ? 'first SYN' : undefined))),
      ...b.map((p, i) => epb(le, 1, (base - 3600n) * 1_048_576n + BigInt(i) * 5_000n, sll2(p))),
      isb(le, 0),
      shb(be, 'section two: big-endian'),
      idb(be, 101, { name: 'raw-us' }),
      ...c.map((p, i) => (i === c.length - 1 ? spb(be, p) : epb(be, 0, (base + 10n) * 1_000_000n + BigInt(i) * 7n, p, i === 3 ? 'a comment in a big-endian section' : undefined))),
    ];
    const file = write('two-sections.pcapng', Buffer.concat(parts));
    const r = expectAgreement(file, 3);
    expect(r.indexed.streams.map((s) => s.tuple)).toEqual(['192.168.7.1:41000->192.168.7.2:80', '192.168.7.1:41001->192.168.7.2:80', '[fd00::1]:41002->[fd00::2]:80']);

    // Every packet's interface and time (to the nanosecond) against tshark; the simple packet block
    // has no time of its own (capscope gives it its predecessor's), so it is left out.
    const tshark = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.interface_id', '-e', 'frame.time_epoch', '-e', 'frame.comment'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const db = openIndexDb(r.indexed.db, { readonly: true });
    const ours = db.prepare('SELECT frame, interface_id, ts FROM packets ORDER BY frame').safeIntegers().all() as { frame: bigint; interface_id: bigint; ts: bigint }[];
    expect(ours.length).toBe(tshark.length);
    for (const [i, [frame, iface, epoch]] of tshark.entries()) {
      const o = ours[i]!;
      expect(String(o.frame)).toBe(frame);
      // tshark 4.0 numbers interfaces within their section; capscope across the file.
      const inSectionTwo = Number(frame) > a.length + b.length;
      expect(Number(o.interface_id)).toBe(Number(iface) + (inSectionTwo ? 2 : 0));
      if (Number(frame) === tshark.length) continue;
      const [sec, frac] = epoch!.split('.') as [string, string];
      expect(String(o.ts)).toBe(`${sec}${frac.padEnd(9, '0')}`.replace(/^0+/, ''));
    }
    const comments = db.prepare('SELECT scope, frame, text FROM capture_comments ORDER BY id').all() as { scope: string; frame: number | null; text: string }[];
    expect(comments).toEqual([
      { scope: 'section', frame: null, text: 'section one: little-endian' },
      { scope: 'packet', frame: 1, text: 'first SYN' },
      { scope: 'section', frame: null, text: 'section two: big-endian' },
      { scope: 'packet', frame: a.length + b.length + 4, text: 'a comment in a big-endian section' },
    ]);
    for (const [frame, , , comment] of tshark) {
      if (comment) expect(comments.find((x) => x.frame === Number(frame))?.text).toBe(comment);
    }
    const interfaces = db.prepare('SELECT interface_id, link_type, name, ts_units, ts_offset FROM capture_interfaces ORDER BY interface_id').all();
    expect(interfaces).toEqual([
      { interface_id: 0, link_type: 1, name: 'eth-ns', ts_units: '1000000000', ts_offset: 0 },
      { interface_id: 1, link_type: 276, name: 'any-2^-20', ts_units: '1048576', ts_offset: 3600 },
      { interface_id: 2, link_type: 101, name: 'raw-us', ts_units: '1000000', ts_offset: 0 },
    ]);
    db.close();
  });

  it('streams --json follows the contract: ids, kinds, endpoints, byte counts, ns timestamps as strings', () => {
    const packets = exchange(ipv4, '10.1.0.5', '10.1.0.9');
    const file = write('contract.pcap', pcapFile(1, frames(packets, (ip) => ethernet(ip))));
    const doc = onlyJson(capscope(['streams', '--json', '--db', path.join(dir, 'contract.sqlite'), file])) as { streams: Record<string, unknown>[] };
    expect(doc.streams).toHaveLength(1);
    const s = doc.streams[0]!;
    expect(s).toMatchObject({
      id: 1,
      kind: 'tcp',
      tuple: '10.1.0.5:40000->10.1.0.9:80',
      endpoints: [
        { container: null, proc: null, pid: null, fd: null, role: 'client', addr: '10.1.0.5', port: 40000 },
        { container: null, proc: null, pid: null, fd: null, role: 'server', addr: '10.1.0.9', port: 80 },
      ],
      bytesOut: 2456,
      bytesIn: 1241,
      capturedOut: 2456,
      capturedIn: 1241,
      firstTs: '1800000000000000000',
      lastTs: `1800000000${String((packets.length - 1) * 1000 * 1000).padStart(9, '0')}`,
      state: 'closed',
      connectionIndex: 0,
      clientGuessed: false,
      packetsOut: 5,
      packetsIn: 5,
    });
    const follow = onlyJson(capscope(['follow', '--json', '--db', path.join(dir, 'contract.sqlite'), file, '1'])) as { chunks: { dir: string; op: string; offset: number; length: number; data: string }[] };
    expect(follow.chunks.map((c) => [c.dir, c.op, c.offset, c.length])).toEqual([
      ['out', 'write', 0, 2456],
      ['in', 'read', 0, 41],
      ['in', 'read', 41, 1200],
    ]);
    expect(Buffer.from(follow.chunks[1]!.data, 'base64').toString()).toBe('HTTP/1.1 200 OK\r\nContent-Length: 1200\r\n\r\n');
    const text = capscope(['follow', '--db', path.join(dir, 'contract.sqlite'), file, '1']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('------ read 41 B  server→client  2027-01-15T08:00:00.005000000Z  frame 6\nHTTP/1.1 200 OK\n');
  });
});
