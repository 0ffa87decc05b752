// A connection upgraded from HTTP/1.1 to HTTP/2 with `Upgrade: h2c` (curl --http2 against
// test/fixtures/http2/h2c-upgrade-server.py, staged by stage-grpc-incidents.sh), held against
// tshark, which follows the upgrade on its own: the upgrade request is stream 1 and answered there
// in HTTP/2, later requests are HTTP/2 streams, and a plain HTTP/1.1 connection beside it stays so.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/paths';

const FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'http2', 'h2c-upgrade.pcap');

interface Exchange {
  client: string;
  version: string | null;
  http2Stream: number | null;
  method: string | null;
  target: string | null;
  status: number | null;
  diagnostics: { code: string }[];
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2c-upgrade-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** tshark's calls per client port: HTTP/1 requests and responses, HTTP/2 HEADERS by stream. */
function tsharkCalls(): string[] {
  const out = execFileSync('tshark', ['-r', FILE, '-Y', 'http || http2.type==1', '-T', 'fields', '-E', 'aggregator=\x1e', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.response.code', '-e', 'http2.streamid', '-e', 'http2.header.name', '-e', 'http2.header.value'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const http1 = new Map<string, { method: string; uri: string; statuses: string[] }[]>();
  const http2 = new Map<string, { method?: string; path?: string; status?: string }>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [src, dst, method, uri, code, ids, names, values] = line.split('\t');
    const toServer = dst === '8093';
    const client = toServer ? src! : dst!;
    if (method) http1.set(client, [...(http1.get(client) ?? []), { method, uri: uri!, statuses: [] }]);
    if (code) http1.get(client)!.at(-1)!.statuses.push(code);
    if (ids) {
      const id = ids.split('\x1e').find((i) => i !== '0')!;
      const fields = Object.fromEntries(names!.split('\x1e').map((n, i) => [n, values!.split('\x1e')[i]]));
      const call = http2.get(`${client}/${id}`) ?? {};
      http2.set(`${client}/${id}`, { ...call, ...(toServer ? { method: fields[':method'], path: fields[':path'] } : { status: fields[':status'] }) });
    }
  }
  // As calls: an HTTP/1 request answered 101 and then on HTTP/2 stream 1 is one call, on stream 1.
  const calls: string[] = [];
  for (const [client, requests] of http1) {
    for (const r of requests) {
      if (r.statuses.at(-1) === '101') calls.push(`${client} 2 1 ${r.method} ${r.uri} ${http2.get(`${client}/1`)!.status}`);
      else calls.push(`${client} 1.1 - ${r.method} ${r.uri} ${r.statuses.at(-1)}`);
    }
  }
  for (const [key, c] of http2) if (!key.endsWith('/1')) calls.push(`${key.split('/')[0]} 2 ${key.split('/')[1]} ${c.method} ${c.path} ${c.status}`);
  return calls.sort();
}

describe('an HTTP/1.1 connection upgraded to h2c', () => {
  it('gives the calls tshark gives: the upgrade request answered on stream 1, then HTTP/2 streams', () => {
    const r = capscope(['http', FILE, '--json', '--db', path.join(dir, 'u.db')]);
    expect(r.status, r.stderr).toBe(0);
    const exchanges = (onlyJson(r) as { exchanges: Exchange[] }).exchanges;
    const ours = exchanges.map((e) => `${e.client.split(':')[1]} ${e.version} ${e.http2Stream ?? '-'} ${e.method} ${e.target} ${e.status}`).sort();
    const theirs = tsharkCalls();
    expect(theirs).toHaveLength(3);
    expect(theirs.filter((c) => / 2 1 GET \/first 200$/.test(c))).toHaveLength(1);
    expect(ours).toEqual(theirs);
    // Nothing after the 101 is read as HTTP/1 gone wrong, nor the HTTP/1 part as frames.
    expect(exchanges.flatMap((e) => e.diagnostics)).toEqual([]);
  });
});
