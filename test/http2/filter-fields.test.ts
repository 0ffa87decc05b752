// The HTTP/2 and gRPC filter fields of `capscope http --filter`, on the staged captures: each picks
// the exchanges that tshark's http2 dissector (or, for what tshark 4.0 has no field for, the
// unfiltered `--json` listing) says it should.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'http2');

interface Exchange {
  client: string;
  server: string;
  version: string | null;
  http2Stream: number | null;
  grpc: { service: string | null; method: string | null; status: number | null; statusName: string | null; message: string | null } | null;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2-filter-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function exchanges(name: string, filter?: string): Exchange[] {
  const r = capscope(['http', path.join(FIXTURES, name), '--json', '--db', path.join(dir, `${name}.db`), ...(filter ? ['--filter', filter] : [])]);
  expect(r.status, r.stderr).toBe(0);
  return (onlyJson(r) as { exchanges: Exchange[] }).exchanges;
}

const key = (e: Exchange) => `${e.client}/${e.http2Stream}`;

describe('HTTP/2 and gRPC filter fields', () => {
  it('http.version: the same words as --json', () => {
    const all = exchanges('emojivoto-incident.pcap');
    for (const v of ['1.1', '2']) {
      const picked = exchanges('emojivoto-incident.pcap', `http.version=${v}`);
      expect(picked.length).toBeGreaterThan(0);
      expect(picked.map(key)).toEqual(all.filter((e) => e.version === v).map(key));
    }
  });

  it('grpc.service, grpc.method, grpc.status, grpc.status_name, grpc.message', () => {
    const all = exchanges('emojivoto-incident.pcap');
    const cases: [string, (e: Exchange) => boolean][] = [
      ['grpc.service=emojivoto.v1.VotingService', (e) => e.grpc?.service === 'emojivoto.v1.VotingService'],
      ['grpc.method=VotePoop', (e) => e.grpc?.method === 'VotePoop'],
      ['grpc.status=2', (e) => e.grpc?.status === 2],
      ['grpc.status != 0', (e) => e.grpc?.status != null && e.grpc.status !== 0],
      ['grpc.status_name=UNKNOWN', (e) => e.grpc?.statusName === 'UNKNOWN'],
      ['grpc.message=ERROR', (e) => e.grpc?.message === 'ERROR'],
      ['grpc.method startswith Vote and not grpc.status=0', (e) => (e.grpc?.method ?? '').startsWith('Vote') && e.grpc?.status !== 0],
    ];
    for (const [filter, pick] of cases) {
      const expected = all.filter(pick).map(key);
      expect(expected.length, filter).toBeGreaterThan(0);
      expect(exchanges('emojivoto-incident.pcap', filter).map(key), filter).toEqual(expected);
    }
  });

  it('http2.stream and http2.error against tshark', () => {
    const tshark = (filter: string) =>
      execFileSync('tshark', ['-r', path.join(FIXTURES, 'haproxy-grpc.pcap'), '-d', 'tcp.port==8280,http2', '-d', 'tcp.port==9201,http2', '-d', 'tcp.port==9202,http2', '-Y', filter, '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'http2.streamid'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .split('\n')
        .filter(Boolean);
    // Streams the backend reset with REFUSED_STREAM: one RST_STREAM frame per packet here.
    const reset = new Set(tshark('http2.rst_stream.error == 7 && tcp.srcport == 9201').map((l) => l.split('\t')).map(([, client, ids]) => `127.0.0.1:${client}/${ids!.split(',').at(-1)}`));
    expect(reset.size).toBeGreaterThan(0);
    const ours = exchanges('haproxy-grpc.pcap', 'http2.error=REFUSED_STREAM and fd.sport=9201').map(key);
    expect(new Set(ours)).toEqual(reset);
    expect(exchanges('haproxy-grpc.pcap', 'http2.stream=3 and fd.sport=9201').map(key)).toEqual([...reset].filter((k) => k.endsWith('/3')));
  });
});
