// What the HTTP view reads for HTTP/2 and gRPC exchanges (the http.* API the renderer calls): rows
// with their version, stream and gRPC status; an exchange's detail with its decoded header fields
// and its gRPC messages framed, each message's length and bytes held against tshark's grpc
// dissector (grpc.message_length, grpc.message_data) on the emojivoto capture.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFilterFunctions } from '../../core/index/sql-functions';
import { readCaptured } from '../../core/domain/streams/stream-bytes';
import { runIngest } from '../../core/ingest/pipeline';
import { exploreApiOver } from '../helpers/explore-api';
import { REPO_ROOT } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';

const FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'http2', 'emojivoto-incident.pcap');
const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2-view-'));
  const dbPath = path.join(dir, 'emojivoto.sqlite');
  expect((await runIngest({ file: FILE, dbPath })).state).toBe('done');
  const db = openIndexDb(dbPath, { readonly: true });
  installFilterFunctions(db);
  dbs.set('e', db);
});
afterAll(() => {
  for (const db of dbs.values()) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** tshark's gRPC messages as "side stream length hex" (packets holding frames of one stream only). */
function tsharkMessages(): string[] {
  const out = execFileSync('tshark', ['-r', FILE, '-d', 'tcp.port==8081,http2', '-Y', 'grpc', '-T', 'fields', '-e', 'tcp.srcport', '-e', 'http2.streamid', '-e', 'grpc.message_length', '-e', 'grpc.message_data'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [src, ids, length, data] = line.split('\t');
      const streams = [...new Set(ids!.split(',').filter((id) => id !== '0'))];
      expect(streams).toHaveLength(1);
      return `${src === '8081' ? 'response' : 'request'} ${streams[0]} ${length} ${data ?? ''}`;
    })
    .sort();
}

describe('the HTTP view on HTTP/2 and gRPC', () => {
  it('lists each call with its version, stream and gRPC status', async () => {
    const { rows } = await api['http.exchanges']({ caseId: 'e', scope: { filter: 'grpc.method=VotePoop' }, offset: 0, limit: 10 });
    expect(rows.map((r) => [r.version, r.http2Stream, r.target, r.status, r.grpc?.statusName, r.grpc?.message])).toEqual([
      ['2', 3, '/emojivoto.v1.VotingService/VotePoop', 200, 'UNKNOWN', 'ERROR'],
      ['2', 9, '/emojivoto.v1.VotingService/VotePoop', 200, 'UNKNOWN', 'ERROR'],
      ['2', 13, '/emojivoto.v1.VotingService/VotePoop', 200, 'UNKNOWN', 'ERROR'],
    ]);
    const http1 = await api['http.exchanges']({ caseId: 'e', scope: { filter: 'fd.sport=8080' }, offset: 0, limit: 1 });
    expect([http1.rows[0]!.version, http1.rows[0]!.http2Stream, http1.rows[0]!.grpc]).toEqual(['1.1', null, null]);
  });

  it("shows each call's decoded header fields and its gRPC messages framed, as tshark reads them", async () => {
    const { rows } = await api['http.exchanges']({ caseId: 'e', scope: { filter: 'fd.sport=8081' }, offset: 0, limit: 100 });
    const ours: string[] = [];
    for (const row of rows) {
      const detail = await api['http.exchange']({ caseId: 'e', id: row.id });
      expect(detail.request.headers).toContainEqual([':path', row.target!]);
      expect(detail.response?.headers).toContainEqual([':status', '200']);
      for (const m of detail.grpcMessages) {
        expect(m.capturedBytes).toBe(m.length);
        // The framed offset is the message's prefix: its length octets are there in the stream.
        ours.push(`${m.side} ${row.http2Stream} ${m.length} ${Buffer.from(m.data, 'base64').toString('hex')}`);
      }
    }
    expect(ours.sort()).toEqual(tsharkMessages());
    expect(ours.some((m) => m.startsWith('response ') && !m.endsWith(' '))).toBe(true);
  });

  it('frames every gRPC message in the stream view: its prefix where its length octets are, its body in pieces, as tshark reads them', async () => {
    const { rows } = await api['http.exchanges']({ caseId: 'e', scope: { filter: 'fd.sport=8081' }, offset: 0, limit: 100 });
    const { grpcMessages } = await api['stream.get']({ caseId: 'e', streamId: rows[0]!.streamId });
    const db = dbs.get('e')!;
    const bytesAt = (dir: string, from: number, length: number) => {
      return readCaptured(db, rows[0]!.streamId, dir as 'in' | 'out', from, from + length);
    };
    const byStream = new Map(rows.map((r) => [r.id, r.http2Stream]));
    const ours = grpcMessages.map((m) => {
      const prefix = bytesAt(m.dir, m.offset, 5);
      // The prefix at the framed offset declares the framed length.
      expect(prefix.readUInt32BE(1)).toBe(m.length);
      const body = Buffer.concat(m.pieces.map(([at, length]) => bytesAt(m.dir, at, length)));
      return `${m.side} ${byStream.get(m.exchangeId)} ${m.length} ${body.toString('hex')}`;
    });
    expect(ours.sort()).toEqual(tsharkMessages());
  });
});

