// The HTTP parse done while a capture is read (core/analysis/http/live-views.ts) must leave the
// index exactly as the parse from the index does. Each capture is indexed once (in-thread, with the
// live parse), then a copy of its index is analysed again on a fresh connection, where nothing was
// parsed live and every stream is read back from the chunks table: the HTTP tables and findings of
// the two must be identical, row for row. Real captures with keep-alive, pipelined, chunked,
// close-delimited, truncated (snaplen), lossy and malformed HTTP, and edits of them.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ViewParser } from '../../core/analysis/http/views';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';
import { tcpConversationPcap, type Payload } from './helpers/conversation';
import { readPcapFile, tcpOf, writePcapFile } from './helpers/pcap-edit';
import { callsOf, HTTP_DUMPS, liveAgainstIndex as liveAgainstIndexOf } from './helpers/live-against-index';

const dir = scratchDir('live-http');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

const TABLES = { protocols: HTTP_DUMPS.protocols, exchanges: HTTP_DUMPS.exchanges, diagnostics: HTTP_DUMPS.diagnostics, findings: HTTP_DUMPS.findings };


/** Indexes `file` with the live parse; returns both dumps and how many streams the live parse left to the index. */
async function liveAgainstIndex(file: string) {
  const r = await liveAgainstIndexOf(file, dir, TABLES, callsOf(ViewParser.prototype, 'parse'));
  return { ...r, exchanges: r.live.exchanges!.length };
}

afterEach(() => vi.restoreAllMocks());

/** One TCP connection written to a pcap file in the scratch directory. */
function conversation(name: string, payloads: Payload[], afterFins?: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, tcpConversationPcap(payloads, afterFins));
  return file;
}

const GET = (target: string) => ({ from: 'client' as const, data: `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n` });
const OK = (body: string) => ({ from: 'server' as const, data: `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}` });

const CAPTURES = [
  corpus('pcap', 'haproxy-502.pcap'),
  corpus('pcap', 'haproxy-502.pcapng'),
  corpus('pcap', 'seladb_PcapPlusPlus__HttpMalformedResponse.pcapng'),
  corpus('pcap', 'seladb_PcapPlusPlus__four_ipv6_http_streams.pcap'),
  corpus('pcap', 'seladb_PcapPlusPlus__one_http_stream_rst.pcap'),
  corpus('pcap', 'seladb_PcapPlusPlus__three_http_streams.pcap'),
  corpus('pcap', 'seladb_PcapPlusPlus__tcp-reassembly.pcap'),
  corpus('pcap', 'seladb_PcapPlusPlus__unidirectional_tcp_stream_with_missing_packet.pcap'),
  corpus('pcap', 'seladb_PcapPlusPlus__sll.pcap'),
  path.join(FIXTURES, 'pcap', 'nginx-keepalive-chunked.pcap'),
  path.join(FIXTURES, 'pcap', 'snaplen-120.pcap'),
  path.join(FIXTURES, 'pcap', 'lossy-retransmissions.pcap'),
  path.join(FIXTURES, 'pcap', 'wrk-close.pcap'),
  path.join(FIXTURES, 'pcap', 'wrk-keepalive.pcap'),
  path.join(FIXTURES, 'pcap', 'port-reuse.pcap'),
  path.join(FIXTURES, 'pcap', 'haproxy-any-sll2.pcap'),
  path.join(FIXTURES, 'http', 'haproxy-incidents.pcap'),
];

describe('HTTP parsed while reading equals HTTP parsed from the index', () => {
  for (const file of CAPTURES) {
    it(path.basename(file), async () => {
      const r = await liveAgainstIndex(file);
      expect(r.live).toEqual(r.fromIndex);
    });
  }

  it('parses every stream of the real captures live, none from the index', async () => {
    for (const file of [corpus('pcap', 'haproxy-502.pcap'), path.join(FIXTURES, 'pcap', 'wrk-keepalive.pcap'), path.join(FIXTURES, 'pcap', 'nginx-keepalive-chunked.pcap')]) {
      const r = await liveAgainstIndex(file);
      expect(r.exchanges).toBeGreaterThan(0);
      expect(r.leftToIndex, path.basename(file)).toBe(0);
    }
  });

  it('server bytes missing from the capture (every 7th data segment dropped)', async () => {
    const pcap = readPcapFile(path.join(FIXTURES, 'pcap', 'nginx-keepalive-chunked.pcap'));
    let n = 0;
    const file = path.join(dir, 'dropped.pcap');
    writePcapFile(file, { header: pcap.header, records: pcap.records.filter((r) => !((tcpOf(r)?.payloadLength ?? 0) > 0 && ++n % 7 === 0)) });
    const r = await liveAgainstIndex(file);
    expect(r.exchanges).toBeGreaterThan(0);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('a capture that starts after the requests: responses come first', async () => {
    const pcap = readPcapFile(path.join(FIXTURES, 'pcap', 'wrk-keepalive.pcap'));
    const file = path.join(dir, 'late-start.pcap');
    writePcapFile(file, { header: pcap.header, records: pcap.records.slice(Math.floor(pcap.records.length / 3)) });
    const r = await liveAgainstIndex(file);
    expect(r.exchanges).toBeGreaterThan(0);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('a HEAD answered before the request was handed out: left to the parse from the index', async () => {
    const file = conversation('head.pcap', [
      { from: 'client', data: 'HEAD /big HTTP/1.1\r\nHost: x\r\n\r\n' },
      { from: 'server', data: 'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n' },
      GET('/small'),
      OK('hello'),
    ]);
    const r = await liveAgainstIndex(file);
    expect(r.exchanges).toBe(2);
    expect(r.leftToIndex).toBe(1);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('GETs on a keep-alive connection are parsed live', async () => {
    const r = await liveAgainstIndex(conversation('gets.pcap', [GET('/a'), OK('one'), GET('/b'), OK('two'), GET('/c'), OK('three')]));
    expect(r.exchanges).toBe(3);
    expect(r.leftToIndex).toBe(0);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('bytes after both FINs: the parse completed when the connection finished is revoked, and the index parse stands', async () => {
    const r = await liveAgainstIndex(conversation('after-fins.pcap', [GET('/a'), OK('one')], 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nlate'));
    expect(r.leftToIndex).toBe(1);
    expect(r.exchanges).toBeGreaterThan(0);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('the server side sends the requests', async () => {
    const r = await liveAgainstIndex(conversation('reversed.pcap', [{ ...GET('/x'), from: 'server' }, { ...OK('ok'), from: 'client' }]));
    expect(r.exchanges).toBe(1);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('the first chunks point one way, later ones the other: the live parse is dropped', async () => {
    const r = await liveAgainstIndex(conversation('flip.pcap', [{ from: 'client', data: 'hello\r\n' }, { ...GET('/in'), from: 'server' }, GET('/out'), OK('x')]));
    expect(r.leftToIndex).toBe(1);
    expect(r.live).toEqual(r.fromIndex);
  });

  it('TLS after an HTTP start, and a protocol that is not HTTP', async () => {
    const hello = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]);
    for (const [name, payloads] of [
      ['tls.pcap', [GET('/'), { from: 'server' as const, data: hello }]],
      ['other.pcap', Array.from({ length: 10 }, (_, i) => ({ from: i % 2 ? ('server' as const) : ('client' as const), data: `+PING ${i}\r\n` }))],
    ] as const) {
      const r = await liveAgainstIndex(conversation(name, [...payloads]));
      expect(r.exchanges, name).toBe(0);
      expect(r.leftToIndex, name).toBe(0);
      expect(r.live).toEqual(r.fromIndex);
    }
  });

  it('one connection captured twice (an archive of two captures of it): its two views are one group, staged each and then parsed together, as without staging', async () => {
    const tar = path.join(dir, 'captured-twice.tar');
    const twice = path.join(dir, 'twice');
    fs.mkdirSync(twice, { recursive: true });
    fs.copyFileSync(corpus('pcap', 'haproxy-502.pcap'), path.join(twice, 'at-the-proxy.pcap'));
    fs.copyFileSync(corpus('pcap', 'haproxy-502.pcap'), path.join(twice, 'at-the-node.pcap'));
    execFileSync('tar', ['-cf', tar, '-C', twice, 'at-the-proxy.pcap', 'at-the-node.pcap']);
    const r = await liveAgainstIndex(tar);
    // Each group's views are parsed from the index, as the pass after ingest parses a group of several.
    expect(r.leftToIndex).toBeGreaterThan(0);
    expect(r.exchanges).toBeGreaterThan(0);
    expect((r.live.exchanges as { views: bigint }[]).every((x) => x.views === 2n)).toBe(true);
    expect(r.live).toEqual(r.fromIndex);
  });
});
