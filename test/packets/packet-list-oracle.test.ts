// The packet list held against tshark on the corpus captures: every packet's number, time, source,
// destination, transport protocol and length, and for TCP the relative Seq, Ack, Len and the
// window the Info says, equal what tshark prints for the same frame; a segment that ends an HTTP/1
// message says HTTP and the message's first line, as tshark's Protocol and Info columns do (tshark
// told to read HTTP on the server ports where the index found HTTP exchanges). The list pages through the
// index and decodes each page's records from the capture, so the whole capture is read page by page.

import type Database from 'better-sqlite3';
import { openIndexDb } from '../helpers/index-db';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import type { PacketRow } from '../../core/domain/packets/contract';
import { corpus, scratchDir } from '../helpers/paths';
import { exploreApiOver } from '../helpers/explore-api';

const FILES = [
  'haproxy-502.pcap',
  'haproxy-502.pcapng',
  'haproxy-502.pcap.gz',
  'seladb_PcapPlusPlus__four_ipv6_http_streams.pcap',
  'seladb_PcapPlusPlus__sll.pcap',
  'seladb_PcapPlusPlus__raw_ip.pcap',
  'seladb_PcapPlusPlus__null_loopback.pcap',
  'seladb_PcapPlusPlus__nanosecs_big_endian.pcap',
  'seladb_PcapPlusPlus__unidirectional_tcp_stream_with_missing_packet.pcap',
  'seladb_PcapPlusPlus__tcp-reassembly.pcap',
  'seladb_PcapPlusPlus__many_interfaces-1.pcapng',
  'seladb_PcapPlusPlus__pcapng-example.pcapng.zst',
  'google_gopacket__test_vlan.pcap',
  'google_gopacket__test101.pcapng',
  'haproxy-502-mid-stream.pcap',
  // Recorded for capscope (test/fixtures/pcap/README.md): retransmissions, keep-alive with chunked
  // bodies, a snap length that cuts messages, client ports reused.
  'lossy-retransmissions.pcap',
  'nginx-keepalive-chunked.pcap',
  'nginx-ipv6-nsec.pcap',
  'snaplen-120.pcap',
  'port-reuse.pcap',
  'wrk-close.pcap',
];
const FIXTURES = new Set(['lossy-retransmissions.pcap', 'nginx-keepalive-chunked.pcap', 'nginx-ipv6-nsec.pcap', 'snaplen-120.pcap', 'port-reuse.pcap', 'wrk-close.pcap']);
const dir = scratchDir('packet-list');
/**
 * The seed capture cut by tshark itself so that its first connection begins mid-stream (no SYN)
 * and its second has the client's SYN but not the server's SYN/ACK: relative numbers and window
 * scaling then follow Wireshark's rules for what it did not see.
 */
const MID_STREAM = 'haproxy-502-mid-stream.pcap';
const fileOf = (name: string) => (name === MID_STREAM ? path.join(dir, name) : FIXTURES.has(name) ? path.join(__dirname, '..', 'fixtures', 'pcap', name) : corpus('pcap', name));
const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);

beforeAll(async () => {
  execFileSync('tshark', ['-r', corpus('pcap', 'haproxy-502.pcap'), '-Y', 'frame.number > 3 and not (tcp.flags.syn == 1 and tcp.flags.ack == 1 and tcp.srcport == 9001)', '-w', fileOf(MID_STREAM)], { stdio: 'ignore' });
  for (const name of FILES) {
    const dbPath = path.join(dir, `${name}.sqlite`);
    expect((await runIngest({ file: fileOf(name), dbPath })).state).toBe('done');
    dbs.set(name, openIndexDb(dbPath, { readonly: true }));
  }
}, 180_000);

const FIELDS = ['frame.number', 'frame.time_epoch', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Info', 'ip.src', 'ipv6.src', 'frame.len', 'frame.protocols', 'tcp.seq', 'tcp.ack', 'tcp.flags.ack', 'tcp.len', 'tcp.window_size', 'ip.flags.mf', 'ip.frag_offset'] as const;
type Tshark = Record<(typeof FIELDS)[number], string>;

function tshark(file: string, httpPorts: readonly number[]): Tshark[] {
  const decodeAs = httpPorts.flatMap((port) => ['-d', `tcp.port==${port},http`]);
  const out = execFileSync('tshark', ['-r', file, '-n', ...decodeAs, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l !== '').map((line) => Object.fromEntries(line.split('\t').map((v, i) => [FIELDS[i], v])) as Tshark);
}

/** 1511432456.123456000 as ns since the epoch, decimal. */
const epochNs = (t: string) => {
  const [s, f = ''] = t.split('.');
  return (BigInt(s!) * 1_000_000_000n + BigInt(f.padEnd(9, '0').slice(0, 9))).toString();
};

const TRANSPORTS: Record<string, string> = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', icmpv6: 'ICMPv6', arp: 'ARP' };

/** The outermost transport tshark found (sFlow over UDP carries sampled TCP headers), as the Protocol column names it. */
function transport(protocols: string): string | null {
  const layer = protocols.split(':').find((l) => l in TRANSPORTS);
  return layer ? TRANSPORTS[layer]! : null;
}

/**
 * Where the index itself reads a frame otherwise than tshark (the ingest's decoding, not the
 * list's), said so and left out of the comparison: the list shows what the index holds.
 */
const INGEST_DIFFERS: Record<string, Record<number, string>> = {
  // A NULL (BSD loopback) header 0f 00 08 00: the ingest's link decoder reads its family as not IP;
  // Wireshark reads 08 00 as an Ethernet type.
  'seladb_PcapPlusPlus__null_loopback.pcap': { 3: 'source destination protocol' },
  // A simple packet block has no time: tshark says 0, the ingest gives it the block before's.
  'google_gopacket__test101.pcapng': { 3: 'time' },
};

/** Interface 1 of this capture stamps times past 2^63 ns, which the index's INTEGER clamps. */
const TIME_PAST_INT64 = 9223372036854775807n;

async function allRows(caseId: string): Promise<PacketRow[]> {
  const rows: PacketRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api['packets.page']({ caseId, scope: {}, offset, limit: 500 });
    expect(page.unread).toBeNull();
    rows.push(...page.rows);
    if (rows.length >= page.total) return rows;
  }
}

/**
 * Wireshark hands an image body to its image dissector and puts that dissector's name in the
 * parentheses (`JPEG JFIF image`, `GIF89a`) where capscope puts the media type, as Wireshark does
 * for every other body: the line before them must still agree.
 */
const IMAGE_NAMES: Record<string, RegExp> = { 'image/jpeg': /^JPEG\b/, 'image/gif': /^GIF8[79]a$/, 'image/png': /^PNG\b/ };

function sameInfo(ours: string, theirs: string): boolean {
  if (ours === theirs) return true;
  const o = /^(.*)  \((image\/[a-z]+)\)$/.exec(ours);
  const t = /^(.*)  \((.*)\)$/.exec(theirs);
  return !!o && !!t && o[1] === t[1] && (IMAGE_NAMES[o[2]!]?.test(t[2]!) ?? false);
}

const cell = (row: PacketRow, column: string) => row.cells[['frame', 'time', 'source', 'destination', 'protocol', 'length', 'info'].indexOf(column)];

describe('the packet list against tshark', () => {
  for (const name of FILES) {
    it(name, async () => {
      const httpPorts = dbs.get(name)!.prepare('SELECT DISTINCT s.server_port FROM http_exchanges x JOIN streams s ON s.id = x.stream_id WHERE x.http2_stream IS NULL AND s.server_port IS NOT NULL').pluck().all() as number[];
      const expected = tshark(fileOf(name), httpPorts);
      const rows = await allRows(name);
      expect(rows.length).toBe(expected.length);
      // The Packets tab's count.
      expect((await api['explore.shape']({ caseId: name })).packets).toBe(expected.length);
      const wrong: string[] = [];
      rows.forEach((row, i) => {
        const t = expected[i]!;
        const differs = INGEST_DIFFERS[name]?.[Number(t['frame.number'])] ?? '';
        const say = (what: string, ours: unknown, theirs: unknown) => !differs.includes(what) && ours !== theirs && wrong.push(`frame ${t['frame.number']} ${what}: ours ${JSON.stringify(ours)}, tshark ${JSON.stringify(theirs)}`);
        say('number', cell(row, 'frame'), t['frame.number']);
        const time = epochNs(t['frame.time_epoch'] || '0');
        say('time', cell(row, 'time'), BigInt(time) > TIME_PAST_INT64 ? TIME_PAST_INT64.toString() : time);
        say('length', cell(row, 'length'), t['frame.len']);
        const fragment = t['ip.flags.mf'].split(',').includes('1') || t['ip.frag_offset'].split(',').some((o) => o !== '' && o !== '0');
        const ip = t['ip.src'] !== '' || t['ipv6.src'] !== '';
        if (ip) {
          say('source', cell(row, 'source'), t['_ws.col.Source']);
          say('destination', cell(row, 'destination'), t['_ws.col.Destination']);
        }
        // After a message's first frame cut by the snap length, Wireshark reads some frames of the
        // rest as HTTP Continuation (depending on what their cut bytes hold); capscope lists them as TCP.
        const continuation = t['_ws.col.Protocol'] === 'HTTP' && t['_ws.col.Info'].startsWith('Continuation') && cell(row, 'protocol') === 'TCP';
        const http = t['_ws.col.Protocol'] === 'HTTP' && !continuation;
        if (http) {
          say('protocol', cell(row, 'protocol'), 'HTTP');
          const info = String(cell(row, 'info'));
          say('info', sameInfo(info, t['_ws.col.Info']) ? t['_ws.col.Info'] : info, t['_ws.col.Info']);
          return;
        }
        const proto = transport(t['frame.protocols']);
        if (proto && !fragment && !continuation) say('protocol', cell(row, 'protocol'), proto);
        if (proto === 'TCP' && !fragment) {
          const info = String(cell(row, 'info'));
          const field = (key: string) => new RegExp(`(?:^| )${key}=(\\d+)`).exec(info)?.[1] ?? null;
          say('Seq', field('Seq'), t['tcp.seq']);
          say('Ack', field('Ack'), t['tcp.flags.ack'] === '1' || t['tcp.flags.ack'] === 'True' ? t['tcp.ack'] : null);
          say('Len', field('Len'), t['tcp.len']);
          say('Win', field('Win'), t['tcp.window_size']);
        }
      });
      expect(wrong.slice(0, 20)).toEqual([]);
    });
  }
});
