// A plain capture's payload is not copied into the index: its chunks say where their bytes lie in
// the capture, and the stream views read them from there (core/index/chunk-bytes.ts). These tests
// hold the bytes read by reference against the same capture indexed from a gzip copy (whose bytes
// the index holds), and show that a capture moved, changed or cut since it was indexed is one
// line naming the file and the byte, never other bytes shown as the stream's.

import type Database from 'better-sqlite3';
import { openIndexDb } from '../helpers/index-db';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api/wire';
import { runIngest } from '../../core/ingest/pipeline';
import { installFilterFunctions } from '../../core/index/sql-functions';
import { exploreApiOver } from '../helpers/explore-api';
import { corpus, scratchDir } from '../helpers/paths';

const SOURCE = corpus('pcap', 'seladb_PcapPlusPlus__three_http_streams.pcap');
const dir = scratchDir('chunk-reference');
const plain = path.join(dir, 'three.pcap');
const gzipped = path.join(dir, 'three.pcap.gz');
const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);

async function open(caseId: string, file: string): Promise<Database.Database> {
  const dbPath = path.join(dir, `${caseId}.sqlite`);
  expect((await runIngest({ file, dbPath })).state).toBe('done');
  const db = openIndexDb(dbPath, { readonly: true });
  installFilterFunctions(db);
  dbs.set(caseId, db);
  return db;
}

/** Every chunk of every stream of a case as the stream view pages it: "stream seq dir base64". */
async function allChunks(caseId: string): Promise<string[]> {
  const db = dbs.get(caseId)!;
  const ids = db.prepare('SELECT id FROM streams ORDER BY id').pluck().all() as number[];
  const out: string[] = [];
  for (const streamId of ids) {
    for (let fromSeq = 0; ; ) {
      const page = await api['stream.chunks']({ caseId, streamId, fromSeq, limit: 100 });
      for (const c of page.chunks) out.push(`${streamId} ${c.seq} ${c.dir} ${c.data}`);
      if (!page.hasAfter) break;
      fromSeq = page.chunks.at(-1)!.seq + 1;
    }
  }
  return out;
}

/** The error a stream view request fails with, or null. */
async function failure(caseId: string): Promise<ApiError | null> {
  try {
    await allChunks(caseId);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
}

beforeAll(async () => {
  fs.copyFileSync(SOURCE, plain);
  fs.writeFileSync(gzipped, zlib.gzipSync(fs.readFileSync(SOURCE)));
  await open('plain', plain);
  await open('gzip', gzipped);
});
afterAll(() => {
  for (const db of dbs.values()) db.close();
});

describe('chunks read from the capture file by reference', () => {
  it('give the bytes the index holds for the same capture compressed, and keep no copy of them', async () => {
    const stored = (caseId: string) => dbs.get(caseId)!.prepare('SELECT count(*) FILTER (WHERE data IS NULL) AS ref, count(*) FILTER (WHERE data IS NOT NULL AND captured > 0) AS held FROM chunks').get();
    expect(stored('gzip')).toEqual({ ref: 0, held: expect.any(Number) });
    expect(stored('plain')).toEqual({ ref: expect.any(Number), held: 0 });
    const ours = await allChunks('plain');
    expect(ours.length).toBeGreaterThan(3);
    expect(ours).toEqual(await allChunks('gzip'));
    // Search and the raw export read them the same way.
    const search = async (caseId: string) => (await api['search.bytes']({ caseId, query: { mode: 'text', pattern: 'HTTP/1.1 200' }, limit: 50 })).hits;
    expect((await search('plain')).length).toBeGreaterThan(0);
    expect(await search('plain')).toEqual(await search('gzip'));
  });

  it('a capture moved away since it was indexed is one line naming it and the byte asked for; put back, it reads again', async () => {
    const before = await allChunks('plain');
    const moved = `${plain}.moved`;
    fs.renameSync(plain, moved);
    try {
      const err = await failure('plain');
      expect(err?.code).toBe('not-found');
      expect(err?.message).toMatch(new RegExp(`^${escape(plain)} at byte \\d+: expected the capture this case was indexed from, whose payload is read from it; found no file there \\(moved or deleted\\): put it back or index the capture again$`));
    } finally {
      fs.renameSync(moved, plain);
    }
    expect(await allChunks('plain')).toEqual(before);
  });

  it('a capture changed since it was indexed is refused, not read: other bytes of the same size and time, or another size', async () => {
    const original = fs.readFileSync(plain);
    const { mtimeMs, atimeMs } = fs.statSync(plain);
    // The modification time set back as the fingerprint holds it (whole milliseconds).
    const setTimesBack = () => fs.utimesSync(plain, atimeMs / 1000, (Math.trunc(mtimeMs) + 0.5) / 1000);
    try {
      // One payload byte flipped, size and modification time kept: the sampled bytes differ.
      const flipped = Buffer.from(original);
      flipped[flipped.length - 10] = flipped[flipped.length - 10]! ^ 0xff;
      fs.writeFileSync(plain, flipped);
      setTimesBack();
      const err = await failure('plain');
      expect(err?.message).toMatch(new RegExp(`^${escape(plain)} at byte \\d+: expected the capture as it was indexed \\(${original.length} bytes, modified [^)]+\\), whose payload is read from it; found other bytes of the same size and time \\(changed since\\): index it again$`));

      // Cut short: another size.
      fs.writeFileSync(plain, original.subarray(0, original.length - 100));
      expect((await failure('plain'))?.message).toMatch(new RegExp(`^${escape(plain)} at byte \\d+: expected the capture as it was indexed \\(${original.length} bytes, modified [^)]+\\), whose payload is read from it; found ${original.length - 100} bytes, modified [^)]+ \\(changed since\\): index it again$`));
    } finally {
      fs.writeFileSync(plain, original);
      setTimesBack();
    }
    expect((await failure('plain'))).toBeNull();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
