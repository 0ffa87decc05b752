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

const FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'http2', 'emojivoto-incident.pcap');
const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2-tiles-'));
  const dbPath = path.join(dir, 'emojivoto.sqlite');
  expect((await runIngest({ file: FILE, dbPath })).state).toBe('done');
  dbs.set('emojivoto', new Database(dbPath, { readonly: true }));
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
