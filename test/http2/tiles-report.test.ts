// The overview's gRPC tiles and the report's gRPC section on the staged emojivoto capture: the
// counts are tshark's (gRPC calls: client HEADERS with content-type application/grpc; errors:
// grpc-status other than 0 in the server's header blocks), and the report names the failing method
// and its explanation.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TileValue } from '../../core/domain/overview/contract';
import { runIngest } from '../../core/ingest/pipeline';
import { exploreApiOver } from '../helpers/explore-api';
import { REPO_ROOT } from '../helpers/paths';
import { reportRunner, tableAfter } from '../report/helpers/report-cli';
import { openIndexDb } from '../helpers/index-db';

const FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'http2', 'emojivoto-incident.pcap');
const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2-tiles-'));
  const dbPath = path.join(dir, 'emojivoto.sqlite');
  expect((await runIngest({ file: FILE, dbPath })).state).toBe('done');
  dbs.set('emojivoto', openIndexDb(dbPath, { readonly: true }));
});
afterAll(() => {
  for (const db of dbs.values()) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** tshark's header blocks on port 8081 as [from client, names, values]. */
function tsharkBlocks(): { fromClient: boolean; fields: [string, string][] }[] {
  const out = execFileSync('tshark', ['-r', FILE, '-d', 'tcp.port==8081,http2', '-Y', 'http2.type==1', '-T', 'fields', '-E', 'aggregator=\x1e', '-e', 'tcp.dstport', '-e', 'http2.header.name', '-e', 'http2.header.value'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [dst, names, values] = line.split('\t');
      const n = names!.split('\x1e');
      const v = values!.split('\x1e');
      return { fromClient: dst === '8081', fields: n.map((name, i) => [name, v[i] ?? ''] as [string, string]) };
    });
}

describe('gRPC tiles', () => {
  it('count gRPC calls and gRPC errors as tshark sees them', async () => {
    const { tiles } = await api['overview.tiles']({ caseId: 'emojivoto', scope: {} });
    const tile = (id: string) => tiles.find((t: TileValue) => t.metric === id)!;
    const blocks = tsharkBlocks();
    const calls = blocks.filter((b) => b.fromClient && b.fields.some(([n, v]) => n === 'content-type' && v.startsWith('application/grpc'))).length;
    const errors = blocks.filter((b) => !b.fromClient && b.fields.some(([n, v]) => n === 'grpc-status' && v !== '0')).length;
    expect(calls).toBe(7);
    expect(tile('grpcCalls').value).toBe(calls);
    expect(tile('grpcErrors').value).toBe(errors);
    expect(tile('grpcErrors').label).toBe('gRPC errors');
    // Narrowed by a filter like the HTTP tiles.
    const narrowed = await api['overview.tiles']({ caseId: 'emojivoto', scope: { filter: 'grpc.method=VotePoop' } });
    expect(narrowed.tiles.find((t: TileValue) => t.metric === 'grpcCalls')!.value).toBe(3);
  });
});

describe('the report of the emojivoto capture', () => {
  const runner = reportRunner('grpc');
  let markdown: string;
  let htmlText: string;

  beforeAll(async () => {
    const md = await runner.run([FILE, '--format', 'md', '--out', '-']);
    expect(md.status, md.stderr).toBe(0);
    markdown = md.stdout;
    const out = path.join(runner.dir, 'emojivoto.html');
    const h = await runner.run([FILE, '--out', out]);
    expect(h.status, h.stderr).toBe(0);
    htmlText = fs.readFileSync(out, 'utf8');
  });

  it('has a gRPC calls table per method, with how each ended and its first error, counted as tshark does', () => {
    const [head, ...rows] = tableAfter(markdown, 'gRPC calls');
    expect(head).toEqual(['server', 'call', 'calls', 'errors', 'ended with', 'first error', 'p50', 'p99']);
    const blocks = tsharkBlocks();
    const paths = blocks.filter((b) => b.fromClient).map((b) => b.fields.find(([n]) => n === ':path')![1]);
    const byCall = new Map<string, number>();
    for (const p of paths) byCall.set(p.slice(1), (byCall.get(p.slice(1)) ?? 0) + 1);
    expect(new Map(rows.map((r) => [r[1]!, Number(r[2])]))).toEqual(byCall);
    const poop = rows.find((r) => r[1] === 'emojivoto.v1.VotingService/VotePoop')!;
    expect(poop[3]).toBe('3');
    expect(poop[4]).toBe('UNKNOWN 3');
    expect(poop[5]).toMatch(/^ERROR \d{4}-\d\d-\d\d /);
    // Failed calls come first.
    expect(rows[0]![1]).toBe('emojivoto.v1.VotingService/VotePoop');
    expect(htmlText).toContain('<h3>gRPC calls</h3>');
    expect(htmlText).toMatch(/<td class="mono">emojivoto\.v1\.VotingService\/VotePoop<\/td><td class="num">3<\/td><td class="num bad">3<\/td>/);
  });

  it('puts the failed gRPC call among the exchanges worth reading, and the frontend 500 explained among the findings', () => {
    const worth = markdown.slice(markdown.indexOf('### Exchanges worth reading'));
    expect(worth).toMatch(/\*\*failed\*\*: `POST \/emojivoto\.v1\.VotingService\/VotePoop` → \*\*200\*\* +· grpc \*\*UNKNOWN\*\* `ERROR`/);
    const findings = markdown.slice(markdown.indexOf('## Findings'), markdown.indexOf('## Timeline'));
    expect(findings).toContain('because its call to emojivoto.v1.VotingService/VotePoop on 127.0.0.1:8081 failed with grpc-status 2 UNKNOWN');
  });
});
