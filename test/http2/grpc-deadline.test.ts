// gRPC deadlines on a staged capture (stage-grpc-incidents.sh deadline): three calls to a method
// that takes 1 s, each with a 300 ms deadline, which the client (grpcio) saw end in
// DEADLINE_EXCEEDED, and one with 2 s that succeeded. The server answered two of the three with
// grpc-status 4 itself; the client gave up on the other with RST_STREAM CANCEL as its deadline fired,
// a little before the grpc-timeout it sent said (grpc rounds the header up: 301m for 300 ms left).
// tshark says which frames there were; capscope says what the client saw.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/paths';

const FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'http2', 'grpc-deadline.pcap');

interface Exchange {
  client: string;
  http2Stream: number | null;
  latencyNs: string | null;
  grpc: { method: string | null; status: number | null; statusName: string | null; deadlineExceeded: boolean } | null;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2-deadline-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** tshark's frames as "client-port/stream kind": HEADERS with grpc-timeout, RST_STREAM by the client, grpc-status by the server. */
function tsharkFacts(): string[] {
  const out = execFileSync('tshark', ['-r', FILE, '-d', 'tcp.port==8085,http2', '-Y', 'http2.type==1 || http2.type==3', '-T', 'fields', '-E', 'aggregator=|', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'http2.streamid', '-e', 'http2.type', '-e', 'http2.rst_stream.error', '-e', 'http2.header.name', '-e', 'http2.header.value'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const facts: string[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [src, dst, ids, types, errors, names, values] = line.split('\t');
    const client = src === '8085' ? dst : src;
    const stream = ids!.split('|').find((i) => i !== '0');
    const n = names ? names.split('|') : [];
    const v = values ? values.split('|') : [];
    const field = (name: string) => v[n.indexOf(name)];
    if (types!.split('|').includes('3') && src !== '8085') facts.push(`${client}/${stream} client RST_STREAM ${errors}`);
    if (field('grpc-timeout')) facts.push(`${client}/${stream} grpc-timeout ${field('grpc-timeout')}`);
    if (field('grpc-status')) facts.push(`${client}/${stream} grpc-status ${field('grpc-status')}`);
  }
  return facts;
}

describe('gRPC deadlines', () => {
  it('a call the client gave up on at its deadline is DEADLINE_EXCEEDED, whether the server said so or the client reset it', () => {
    const r = capscope(['http', FILE, '--json', '--db', path.join(dir, 'd.db')]);
    expect(r.status, r.stderr).toBe(0);
    const calls = (onlyJson(r) as { exchanges: Exchange[] }).exchanges.filter((e) => e.grpc?.method === 'Leaderboard');
    const facts = tsharkFacts();
    const short = facts.filter((f) => / grpc-timeout 30\dm$/.test(f)).map((f) => f.split(' ')[0]);
    expect(short).toHaveLength(3);
    // One of them ended by the client's reset (CANCEL, 8) with no status from the server; the others
    // by the server's grpc-status 4 (the client may reset those too, after).
    const unanswered = short.filter((k) => !facts.includes(`${k} grpc-status 4`));
    expect(unanswered).toHaveLength(1);
    expect(facts).toContain(`${unanswered[0]} client RST_STREAM 8`);
    const key = (e: Exchange) => `${e.client.split(':')[1]}/${e.http2Stream}`;
    for (const e of calls) {
      const expected = short.includes(key(e)) ? ['DEADLINE_EXCEEDED', true] : ['OK', false];
      expect([key(e), e.grpc!.statusName, e.grpc!.deadlineExceeded]).toEqual([key(e), ...expected]);
    }
    expect(calls).toHaveLength(4);
  });
});
