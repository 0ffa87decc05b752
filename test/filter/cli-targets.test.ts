// `--filter` in every command that lists rows, held against tshark on the seed incident: the
// streams and HTTP exchanges a filter selects are the ones tshark's display filter selects.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
let db: string;

beforeAll(() => {
  db = path.join(scratchDir('filter-cli'), 'haproxy-502.sqlite');
  expect(capscope(['index', PCAP, '--db', db]).status).toBe(0);
}, 120_000);

function tsharkCount(displayFilter: string, fields = ['frame.number']): number {
  const r = spawnSync('tshark', ['-r', PCAP, '-Y', displayFilter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter(Boolean).length;
}

/** TCP conversations (tshark's tcp.stream numbers) whose first packet matches the display filter. */
function tsharkStreams(displayFilter: string): number {
  const r = spawnSync('tshark', ['-r', PCAP, '-Y', `tcp.flags.syn==1 && tcp.flags.ack==0 && (${displayFilter})`, '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8' });
  return new Set(r.stdout.split('\n').filter(Boolean)).size;
}

const streams = (filter: string) => (onlyJson(capscope(['streams', PCAP, '--db', db, '--json', '--filter', filter])) as { streams: unknown[] }).streams.length;
const exchanges = (filter: string) => (onlyJson(capscope(['http', PCAP, '--db', db, '--json', '--filter', filter])) as { exchanges: { status: number | null }[] }).exchanges;

describe('streams --filter (connections)', () => {
  it.each([
    ['fd.sport=9001', 'tcp.dstport==9001'],
    ['fd.sport=8080', 'tcp.dstport==8080'],
    ['fd.sport in (8080, 9001) and fd.l4proto=tcp', 'tcp.dstport==8080 || tcp.dstport==9001'],
    ['fd.cport > 45000', 'tcp.srcport > 45000'],
    ['not fd.sport=9001', 'tcp.dstport!=9001'],
  ])('%s', (filter, display) => {
    const expected = tsharkStreams(display);
    expect(expected).toBeGreaterThan(0);
    expect(streams(filter)).toBe(expected);
  });
});

describe('http --filter (exchanges)', () => {
  it.each([
    ['http.status=502', 'http.response.code==502'],
    ['http.status >= 500 and fd.sport=8080', 'http.response.code>=500 && tcp.srcport==8080'],
    ['http.status=200 and fd.sport=9001', 'http.response.code==200 && tcp.srcport==9001'],
    ['http.url startswith /health', 'http.response && http.response_for.uri contains "/health"'],
    ['http.method=GET and http.url contains getticket and fd.sport=8080', 'http.request.method=="GET" && http.request.uri contains "getticket" && tcp.dstport==8080'],
  ])('%s', (filter, display) => {
    const expected = tsharkCount(display);
    expect(expected).toBeGreaterThan(0);
    expect(exchanges(filter).length).toBe(expected);
  });

  it('finds the responses with an invalid header name, as many as tshark flags', () => {
    const expected = tsharkCount('_ws.expert.message contains "Illegal characters found in header name"');
    expect(exchanges('http.diagnostic contains invalid-field-name').length).toBe(expected);
  });
});

describe('errors', () => {
  it('a misspelt field is a usage error naming its column and the field meant', () => {
    const r = capscope(['streams', PCAP, '--db', db, '--filter', 'fd.sport=80 and fd.sprot=81']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--filter: unknown field 'fd.sprot' at column 17 — did you mean fd.sport?");
  });

  it('a field of another kind of row says where it applies', () => {
    const r = capscope(['http', PCAP, '--db', db, '--filter', 'evt.type=read']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'evt.type' at column 1 applies to syscall events, not to HTTP exchanges");
  });
});
